import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Criticality } from '#shared/tickets.ts';
import type { CreatedTicket } from '#shared/tickets-api.ts';
import { api } from '../../lib/api.ts';

export type OrganizationRef = { id: string; name: string };

export const agentKeys = {
  organizations: (q: string) => ['agent', 'organizations', q] as const,
};

/** Organizations by name, for Customer Services choosing whom a request is for (agents and administrators). */
export function useOrganizationSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: agentKeys.organizations(q),
    queryFn: ({ signal }) => api<{ items: OrganizationRef[] }>('/organizations', { query: { q: q || undefined, limit: 50 }, signal }),
    enabled,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export type CreateForCustomer = {
  requestTypeId: string;
  reporterId: string;
  summary: string;
  description: string;
  criticality: Criticality;
  projectId: string | null;
  attachmentIds: string[];
  participantIds: string[];
};

export const agentApi = {
  /** Opens a request on a customer's behalf: the customer is its reporter and gets the acknowledgement. */
  createForCustomer: (body: CreateForCustomer, idempotencyKey: string) => api<CreatedTicket>('/requests', { body, idempotencyKey }),
};
