import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  InboundMessage,
  InboundMessageDetail,
  InboundReason,
  InboundStatus,
  MessageOriginal,
  OpenFromTriageInput,
  TriageItem,
} from '#shared/inbound-api.ts';
import { api, apiUrl, type Page } from '../../lib/api.ts';

export type { InboundMessage, InboundMessageDetail, InboundReason, InboundStatus, MessageOriginal, OpenFromTriageInput, TriageItem };

export const INBOUND_PAGE_SIZE = 50;

/** Keys of the e-mail channel's queries: the administration's log, and the workspace's triage. */
export const inboundKeys = {
  log: ['admin', 'inbound'] as const,
  message: (id: string) => ['admin', 'inbound', 'message', id] as const,
  triage: ['inbound', 'triage'] as const,
  original: (key: string, messageId: string) => ['requests', key, 'messages', messageId, 'original'] as const,
};

/** Messages an administrator may run through the rules again (the server's reprocess-inbound.ts says the same). */
export const REPROCESSABLE: readonly InboundStatus[] = ['failed', 'ignored', 'refused', 'dismissed'];

export const inboundApi = {
  message: (id: string, signal?: AbortSignal) => api<InboundMessageDetail>(`/admin/inbound/${id}`, { signal }),
  rawUrl: (id: string) => apiUrl(`/admin/inbound/${id}/raw`),
  reprocess: (id: string) => api<InboundMessage>(`/admin/inbound/${id}/reprocess`, { method: 'POST' }),
  openFromTriage: (id: string, body: OpenFromTriageInput) => api<{ key: string }>(`/inbound/triage/${id}/open`, { body }),
  dismiss: (id: string) => api<void>(`/inbound/triage/${id}/dismiss`, { method: 'POST' }),
  original: (key: string, messageId: string, signal?: AbortSignal) =>
    api<MessageOriginal>(`/requests/${encodeURIComponent(key)}/messages/${messageId}/original`, { signal }),
};

/** The triage list of the chosen desk (all the caller's desks when none), "load more" appending pages. */
export function useTriage(deskId: string | undefined) {
  return useInfiniteQuery({
    queryKey: [...inboundKeys.triage, 'list', { deskId }],
    queryFn: ({ pageParam, signal }) =>
      api<Page<TriageItem>>('/inbound/triage', { query: { deskId, cursor: pageParam ?? undefined, limit: INBOUND_PAGE_SIZE }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** How many e-mails wait for triage, for the workspace's navigation: one page is counted, more shows as "50+". */
export function useTriageCount(deskId: string | undefined) {
  return useQuery({
    queryKey: [...inboundKeys.triage, 'count', { deskId }],
    queryFn: async ({ signal }) => {
      const page = await api<Page<TriageItem>>('/inbound/triage', { query: { deskId, limit: INBOUND_PAGE_SIZE }, signal });
      return { count: page.items.length, more: page.nextCursor !== null };
    },
    staleTime: 30_000,
  });
}
