import { useInfiniteQuery, keepPreviousData } from '@tanstack/react-query';
import type { ApiToken, CreateApiToken, CreatedApiToken, ServiceUser } from '#shared/api-tokens-api.ts';
import { api } from '../../lib/api.ts';

export type { ApiToken, CreateApiToken, CreatedApiToken, ServiceUser };

type Page<T> = { items: T[]; nextCursor: string | null };

export const apiTokenKeys = {
  mine: ['api-tokens', 'mine'] as const,
  all: ['api-tokens', 'all'] as const,
  serviceUsers: ['api-tokens', 'service-users'] as const,
};

const PAGE_SIZE = 50;

/** A list of tokens, page by page: mine (`/me/api-tokens`) or everyone's (`/admin/api-tokens`). */
export function useTokenList(key: readonly string[], path: string, filters: Record<string, string | undefined> = {}) {
  return useInfiniteQuery({
    queryKey: [...key, filters],
    queryFn: ({ pageParam, signal }) => api<Page<ApiToken>>(path, { query: { ...filters, cursor: pageParam ?? undefined, limit: PAGE_SIZE }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const apiTokensApi = {
  createMine: (body: CreateApiToken) => api<CreatedApiToken>('/me/api-tokens', { body }),
  revokeMine: (id: string) => api<ApiToken>(`/me/api-tokens/${id}`, { method: 'DELETE' }),
  revoke: (id: string) => api<ApiToken>(`/admin/api-tokens/${id}`, { method: 'DELETE' }),
  serviceUsers: (signal?: AbortSignal) => api<{ items: ServiceUser[] }>('/admin/service-users', { signal }),
  createServiceUser: (body: { name: string; role: ServiceUser['role'] }) => api<ServiceUser>('/admin/service-users', { body }),
  createServiceToken: (userId: string, body: CreateApiToken) => api<CreatedApiToken>(`/admin/service-users/${encodeURIComponent(userId)}/api-tokens`, { body }),
};
