import { useQuery } from '@tanstack/react-query';
import type { JsmImport, JsmImportCreate, JsmImportStatus, JsmMapping } from '#shared/jsm-import-api.ts';
import { api } from '../../lib/api.ts';

export type { JsmImport, JsmImportCreate, JsmMapping };

export const jsmImportKeys = {
  all: ['admin', 'jsm-imports'] as const,
  one: (id: string) => ['admin', 'jsm-imports', id] as const,
};

/** The worker has the import in hand: its progress moves, and its mapping cannot be changed. */
const ACTIVE: readonly JsmImportStatus[] = ['queued', 'running', 'pausing'];
export const isActive = (status: JsmImportStatus) => ACTIVE.includes(status);

/** How often an import in progress is read again. */
const POLL_MS = 2000;

export const jsmImportsApi = {
  list: (signal?: AbortSignal) => api<JsmImport[]>('/admin/jsm-imports', { signal }),
  get: (id: string, signal?: AbortSignal) => api<JsmImport>(`/admin/jsm-imports/${id}`, { signal }),
  create: (body: JsmImportCreate) => api<JsmImport>('/admin/jsm-imports', { body }),
  saveMapping: (id: string, mapping: JsmMapping) => api<JsmImport>(`/admin/jsm-imports/${id}/mapping`, { method: 'PUT', body: { mapping } }),
  start: (id: string, dryRun: boolean) => api<JsmImport>(`/admin/jsm-imports/${id}/start`, { method: 'POST', body: { dryRun } }),
  pause: (id: string) => api<JsmImport>(`/admin/jsm-imports/${id}/pause`, { method: 'POST' }),
  resume: (id: string) => api<JsmImport>(`/admin/jsm-imports/${id}/resume`, { method: 'POST' }),
};

export function useJsmImports() {
  return useQuery({
    queryKey: jsmImportKeys.all,
    queryFn: ({ signal }) => jsmImportsApi.list(signal),
    refetchInterval: (query) => (query.state.data?.some((i) => isActive(i.status)) ? POLL_MS : false),
  });
}

/** One import, read again every two seconds while the worker has it, and no more once it stops. */
export function useJsmImport(id: string) {
  return useQuery({
    queryKey: jsmImportKeys.one(id),
    queryFn: ({ signal }) => jsmImportsApi.get(id, signal),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? POLL_MS : false),
  });
}
