import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueueCounts, SavedView, TicketSummary } from '#shared/tickets-api.ts';
import type { BulkAction, BulkUpdateResult } from '#shared/tickets-bulk-api.ts';
import { api, type Page } from '../../lib/api.ts';
import { useSubmission } from '../../lib/submission.ts';
import { requestKeys, useViewerLanguage } from '../requests/requests-api.ts';

export const WORKSPACE_PAGE_SIZE = 50;

/** Under requestKeys.lists, so a change made on a request (side panel included) refreshes the list and counts. */
export const workspaceKeys = {
  list: (language: string, query: string) => [...requestKeys.lists, 'workspace', language, query] as const,
  counts: (deskId: string | undefined) => [...requestKeys.lists, 'workspace-counts', deskId ?? null] as const,
  views: ['workspace', 'views'] as const,
};

/** The workspace list for the API query string built from the address (see workspace-filters.ts). */
export function useWorkspaceList(apiQuery: URLSearchParams) {
  const language = useViewerLanguage();
  const query = apiQuery.toString();
  return useInfiniteQuery({
    queryKey: workspaceKeys.list(language, query),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(query);
      params.set('limit', String(WORKSPACE_PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      const search = Object.fromEntries(params.entries());
      return api<Page<TicketSummary>>('/requests', { query: search, signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useQueueCounts(deskId: string | undefined) {
  return useQuery({
    queryKey: workspaceKeys.counts(deskId),
    queryFn: ({ signal }) => api<QueueCounts>('/queues', { query: { deskId }, signal }),
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}

export function useSavedViews() {
  return useQuery({
    queryKey: workspaceKeys.views,
    queryFn: ({ signal }) => api<{ items: SavedView[] }>('/views', { signal }),
    staleTime: 30_000,
  });
}

export function useSaveView() {
  const queryClient = useQueryClient();
  const submission = useSubmission();
  return useMutation({
    mutationFn: (body: { name: string; query: string }) => submission(body, (idempotencyKey) => api<SavedView>('/views', { body, idempotencyKey })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: workspaceKeys.views }),
  });
}

export function useDeleteView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ items: SavedView[] }>(`/views/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (data) => queryClient.setQueryData(workspaceKeys.views, data),
  });
}

/** Assigns or changes the status of many requests; the answer says, per request, whether it was done. */
export function useBulkUpdate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { keys: string[]; action: BulkAction }) => api<BulkUpdateResult>('/requests/bulk', { body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: requestKeys.all }),
  });
}
