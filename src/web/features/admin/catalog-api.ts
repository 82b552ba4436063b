import { useQuery } from '@tanstack/react-query';
import type { Desk, FlexContract, Project, RequestType } from '#shared/catalog-api.ts';
import type { Language } from '#shared/domain.ts';
import type { Organization, UserSummary } from '#shared/api.ts';
import { api, type Page } from '../../lib/api.ts';

export type { Desk, FlexContract, Project, RequestType };
export type Localized = Record<Language, string>;
export type ProjectStatus = Project['status'];

/** Keys of the catalogue's queries; a change invalidates everything under its first two parts. */
export const catalogKeys = {
  desks: ['admin', 'desks'] as const,
  requestTypes: ['admin', 'request-types'] as const,
  projects: ['admin', 'projects'] as const,
  flexContract: (organizationId: string) => ['admin', 'flex-contract', organizationId] as const,
  staffUsers: ['admin', 'users', 'staff'] as const,
  organization: (id: string) => ['admin', 'organizations', 'one', id] as const,
};

export type DeskInput = {
  slug: string;
  keyPrefix: string;
  names: Localized;
  descriptions: Localized;
  position: number;
  coveredByMaintenance: boolean;
  inboundAddress: string | null;
  inboundRequestTypeId?: string | null;
};
export type RequestTypeInput = {
  deskId: string;
  slug: string;
  names: Localized;
  descriptions: Localized;
  underSla: boolean;
  requiresFlexContract: boolean;
  requiresProject: boolean;
  position: number;
};

export const catalogApi = {
  createDesk: (body: DeskInput, idempotencyKey: string) => api<Desk>('/admin/desks', { body, idempotencyKey }),
  updateDesk: (id: string, body: Partial<DeskInput> & { active?: boolean }) => api<Desk>(`/admin/desks/${id}`, { method: 'PATCH', body }),
  setDeskMembers: (id: string, userIds: string[]) => api<Desk>(`/admin/desks/${id}/members`, { method: 'PUT', body: { userIds } }),
  createRequestType: (body: RequestTypeInput, idempotencyKey: string) => api<RequestType>('/admin/request-types', { body, idempotencyKey }),
  updateRequestType: (id: string, body: Partial<Omit<RequestTypeInput, 'deskId'>> & { active?: boolean }) =>
    api<RequestType>(`/admin/request-types/${id}`, { method: 'PATCH', body }),
  createProject: (body: { organizationId: string; name: string; code: string | null }, idempotencyKey: string) =>
    api<Project>('/admin/projects', { body, idempotencyKey }),
  updateProject: (id: string, body: { name?: string; code?: string | null; status?: ProjectStatus }) =>
    api<Project>(`/admin/projects/${id}`, { method: 'PATCH', body }),
  flexContract: (organizationId: string, signal?: AbortSignal) => api<FlexContract>(`/admin/organizations/${organizationId}/flex-contract`, { signal }),
  addFlexWindow: (organizationId: string, body: { startsOn: string; endsOn: string }, idempotencyKey: string) =>
    api<FlexContract>(`/admin/organizations/${organizationId}/flex-contract/windows`, { body, idempotencyKey }),
  removeFlexWindow: (organizationId: string, windowId: string) =>
    api<FlexContract>(`/admin/organizations/${organizationId}/flex-contract/windows/${windowId}`, { method: 'DELETE' }),
  updateOrganizationSettings: (organizationId: string, body: { ownRequestsOnly?: boolean; twoFactorRequired?: boolean }) =>
    api<Organization>(`/admin/organizations/${organizationId}/settings`, { method: 'PATCH', body }),
};

export function useDesks() {
  return useQuery({ queryKey: catalogKeys.desks, queryFn: ({ signal }) => api<Desk[]>('/admin/desks', { signal }) });
}

export function useRequestTypes() {
  return useQuery({ queryKey: catalogKeys.requestTypes, queryFn: ({ signal }) => api<RequestType[]>('/admin/request-types', { signal }) });
}

/**
 * The agents and administrators who can belong to a desk (the first 100 of each role: the API
 * pages by 100 at most, far more than Customer Services counts).
 */
export function useStaffUsers() {
  return useQuery({
    queryKey: catalogKeys.staffUsers,
    queryFn: async ({ signal }) => {
      const [agents, admins] = await Promise.all(
        (['agent', 'admin'] as const).map((role) => api<Page<UserSummary>>('/admin/users', { query: { role, limit: 100 }, signal })),
      );
      return [...agents!.items, ...admins!.items].sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 30_000,
  });
}

/** An organization by id (to name the organization of a project). */
export function useOrganizationName(id: string) {
  const query = useQuery({
    queryKey: catalogKeys.organization(id),
    queryFn: ({ signal }) => api<Organization>(`/admin/organizations/${id}`, { signal }),
    enabled: id !== '',
    staleTime: 5 * 60_000,
  });
  return query.data?.name;
}

/** The text of a localized field in the interface language, falling back to French. */
export const localized = (value: Localized, language: string) => value[language as Language] || value.fr;

export const emptyLocalized = (): Localized => ({ fr: '', de: '', en: '' });
export const trimLocalized = (value: Localized): Localized => ({ fr: value.fr.trim(), de: value.de.trim(), en: value.en.trim() });
