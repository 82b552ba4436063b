import { useEffect } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EmailPreferences, Notification } from '#shared/notifications-api.ts';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../../i18n/index.ts';
import { api, type Page } from '../../lib/api.ts';

export type { EmailPreferences, Notification };

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: (language: string) => ['notifications', 'list', language] as const,
  preferences: ['me', 'email-preferences'] as const,
};

/** How often the bell asks for the unread count (the query reads one partial index). */
export const UNREAD_POLL_MS = 30_000;

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => api<{ unread: number }>('/notifications/unread-count', { signal }),
    enabled,
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** The latest notifications, a page at a time (keyset), titled in the language the app is read in now. */
export function useNotificationList(enabled: boolean) {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return useInfiniteQuery({
    queryKey: notificationKeys.list(language ?? ''),
    queryFn: ({ pageParam, signal }) => api<Page<Notification>>('/notifications', { query: { limit: 10, cursor: pageParam ?? undefined, language }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids?: string[]) => api<{ marked: number }>('/notifications/read', { method: 'POST', body: ids ? { ids } : {} }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

/**
 * Opening a request's page reads its news: the user's notifications about it are marked read once
 * per request shown (the bell is refreshed only when something changed).
 */
export function useMarkTicketNotificationsRead(ticketId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    api<{ marked: number }>('/notifications/read', { method: 'POST', body: { ticketId } })
      .then(({ marked }) => {
        // Also after the page was left: the bell elsewhere must not keep a stale count.
        if (marked > 0) void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      })
      .catch(() => {
        /* not worth an error on the page: the bell still works */
      });
  }, [ticketId, queryClient]);
}

export const preferencesApi = {
  get: (signal?: AbortSignal) => api<EmailPreferences>('/me/email-preferences', { signal }),
  update: (changes: Partial<EmailPreferences>) => api<EmailPreferences>('/me/email-preferences', { method: 'PATCH', body: changes }),
};
