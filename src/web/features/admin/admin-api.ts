import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { auditEntrySchema, invitationSchema, Organization, outboxMessageSchema, UserSummary } from '#shared/api.ts';
import { api, type Page } from '../../lib/api.ts';

export type { Organization, UserSummary };
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type Invitation = z.infer<typeof invitationSchema>;
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxMessageDetail = OutboxMessage & { html: string };
export type OutboxStatus = OutboxMessage['status'];

export const PAGE_SIZE = 50;

type Filters = Record<string, string | undefined>;

/** Keys of the administration lists; a change invalidates everything under its first two parts. */
export const adminKeys = {
  organizations: ['admin', 'organizations'] as const,
  users: ['admin', 'users'] as const,
  invitations: ['admin', 'invitations'] as const,
  audit: ['admin', 'audit'] as const,
  outbox: ['admin', 'outbox'] as const,
};

/** A keyset-paginated list, newest page appended by "load more". */
export function useAdminList<T>(key: readonly string[], path: string, filters: Filters = {}) {
  return useInfiniteQuery({
    queryKey: [...key, 'list', filters],
    queryFn: ({ pageParam, signal }) => api<Page<T>>(path, { query: { ...filters, cursor: pageParam ?? undefined, limit: PAGE_SIZE }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const adminApi = {
  createOrganization: (body: { name: string; domains: string[] }, idempotencyKey: string) =>
    api<Organization>('/admin/organizations', { body, idempotencyKey }),
  updateOrganization: (id: string, body: { name?: string; domains?: string[]; storageQuotaMb?: number | null }) =>
    api<Organization>(`/admin/organizations/${id}`, { method: 'PATCH', body }),
  updateUser: (id: string, body: { role?: UserSummary['role']; organizationId?: string | null; active?: boolean }) =>
    api<UserSummary>(`/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  invite: (
    body: { email: string; name?: string; role: UserSummary['role']; organizationId: string | null; language?: UserSummary['language'] },
    idempotencyKey: string,
  ) => api<Invitation>('/admin/invitations', { body, idempotencyKey }),
  outboxMessage: (id: string, signal?: AbortSignal) => api<OutboxMessageDetail>(`/admin/outbox/${id}`, { signal }),
};
