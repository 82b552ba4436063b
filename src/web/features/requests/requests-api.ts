import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PortalCatalog, StaffDesks } from '#shared/catalog-api.ts';
import type { Language } from '#shared/domain.ts';
import type { Attachment, AttachmentLimits, CreatedTicket, MovedAway, TicketDetail, TicketSummary } from '#shared/tickets-api.ts';
import type { Criticality, Status } from '#shared/tickets.ts';
import { api, ApiError, type Page } from '../../lib/api.ts';
import { isLanguage } from '../../i18n/index.ts';
import { useMe } from '../session/session.ts';

export type { Attachment, PortalCatalog, StaffDesks, TicketDetail, TicketSummary };
export type CatalogDesk = PortalCatalog['desks'][number];
export type CatalogRequestType = CatalogDesk['requestTypes'][number];
export type Member = { id: string; name: string; email: string };
export type ListScope = 'mine' | 'organization' | 'desks';
export type ListState = 'open' | 'all';

export const LIST_PAGE_SIZE = 25;

/**
 * The server writes names and status labels in the language of the profile: every key of this
 * feature carries it, so a language change refetches once the profile holds the new one.
 */
export function useViewerLanguage(): Language {
  const { data: me } = useMe();
  const { i18n } = useTranslation();
  if (me?.language) return me.language;
  return isLanguage(i18n.language) ? i18n.language : 'fr';
}

export const requestKeys = {
  all: ['requests'] as const,
  lists: ['requests', 'list'] as const,
  list: (language: Language, scope: ListScope, state: ListState, deskId: string | undefined) =>
    ['requests', 'list', language, scope, state, deskId ?? null] as const,
  detail: (key: string) => ['requests', 'detail', key] as const,
  detailIn: (key: string, language: Language) => ['requests', 'detail', key, language] as const,
  catalog: (language: Language, organizationId?: string) => ['requests', 'catalog', language, organizationId ?? null] as const,
  members: (organizationId?: string) => ['requests', 'members', organizationId ?? null] as const,
  staffDesks: (language: Language) => ['requests', 'staff-desks', language] as const,
  attachmentLimits: ['requests', 'attachment-limits'] as const,
};

/** The largest file the server accepts: a file over it is refused here, before a byte is sent. */
export function useAttachmentLimits() {
  return useQuery({
    queryKey: requestKeys.attachmentLimits,
    queryFn: ({ signal }) => api<AttachmentLimits>('/attachments/limits', { signal }),
    staleTime: Infinity,
  });
}

export function useCatalog(options: { organizationId?: string; enabled?: boolean } = {}) {
  const language = useViewerLanguage();
  return useQuery({
    queryKey: requestKeys.catalog(language, options.organizationId),
    queryFn: ({ signal }) => api<PortalCatalog>('/catalog', { query: { organizationId: options.organizationId }, signal }),
    enabled: options.enabled ?? true,
    staleTime: 60_000,
  });
}

export function useStaffDesks(enabled = true) {
  const language = useViewerLanguage();
  return useQuery({
    queryKey: requestKeys.staffDesks(language),
    queryFn: ({ signal }) => api<StaffDesks>('/desks', { signal }),
    enabled,
    staleTime: 60_000,
  });
}

/** Colleagues of the caller (customers), or of an organization (staff). */
export function useMembers(options: { organizationId?: string; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: requestKeys.members(options.organizationId),
    queryFn: ({ signal }) => api<{ items: Member[] }>('/organization-members', { query: { organizationId: options.organizationId }, signal }),
    enabled: options.enabled ?? true,
    staleTime: 60_000,
  });
}

export function useTicket(key: string) {
  const language = useViewerLanguage();
  return useQuery({
    queryKey: requestKeys.detailIn(key, language),
    queryFn: ({ signal }) => api<TicketDetail>(`/requests/${encodeURIComponent(key)}`, { signal }),
    retry: (failures, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && failures < 2,
  });
}

export function useTicketList(scope: ListScope, state: ListState, deskId?: string) {
  const language = useViewerLanguage();
  return useInfiniteQuery({
    queryKey: requestKeys.list(language, scope, state, deskId),
    queryFn: ({ pageParam, signal }) =>
      api<Page<TicketSummary>>('/requests', { query: { scope, state, deskId, cursor: pageParam ?? undefined, limit: LIST_PAGE_SIZE }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** Puts the request as the server returned it after a change into the cache, and lets the lists refetch. */
export function useStoreTicket() {
  const queryClient = useQueryClient();
  const language = useViewerLanguage();
  return (detail: TicketDetail) => {
    queryClient.setQueryData(requestKeys.detailIn(detail.key, language), detail);
    void queryClient.invalidateQueries({ queryKey: requestKeys.lists });
  };
}

/** After a creation: the lists change; the new request's page loads it. */
export function useRequestCreated() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: requestKeys.lists });
}

const path = (key: string, rest = '') => `/requests/${encodeURIComponent(key)}${rest}`;

export const requestsApi = {
  create: (
    body: {
      requestTypeId: string;
      summary: string;
      description: string;
      criticality: Criticality;
      projectId: string | null;
      attachmentIds: string[];
      participantIds: string[];
    },
    idempotencyKey: string,
  ) => api<CreatedTicket>('/requests', { body, idempotencyKey }),
  reply: (key: string, body: { body: string; visibility: 'public' | 'internal'; attachmentIds: string[] }, idempotencyKey: string) =>
    api<TicketDetail>(path(key, '/messages'), { body, idempotencyKey }),
  transition: (key: string, body: { to: Status; reason?: string }) => api<TicketDetail>(path(key, '/transitions'), { body }),
  qualify: (key: string, body: { requestTypeId?: string; criticality?: Criticality; reason?: string }) => api<TicketDetail>(path(key, '/qualify'), { body }),
  update: (key: string, body: { criticality?: Criticality; reason?: string; assigneeId?: string | null; requestTypeId?: string }) =>
    api<TicketDetail>(path(key), { method: 'PATCH', body }),
  move: (key: string, body: { deskId: string; requestTypeId: string; projectId?: string }) => api<TicketDetail | MovedAway>(path(key, '/move'), { body }),
  addParticipant: (key: string, userId: string) => api<TicketDetail>(path(key, '/participants'), { body: { userId } }),
  removeParticipant: (key: string, userId: string) => api<TicketDetail>(path(key, `/participants/${encodeURIComponent(userId)}`), { method: 'DELETE' }),
};

export const attachmentUrl = (key: string, id: string) => `/api${path(key, `/attachments/${id}`)}`;

/**
 * Uploads one file to /api/attachments (multipart, field "file"), reporting progress from 0 to 1.
 * Errors are ApiError like every other call, with the server's code and field.
 */
export function uploadAttachment(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as Attachment);
        return;
      }
      reject(ApiError.fromResponse(xhr.status, xhr.statusText, data, { code: xhr.status === 413 ? 'attachment.too_large' : undefined, field: 'file' }));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network.unreachable', 'The server cannot be reached.'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
