import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BillingRun,
  ContractSettings,
  FlexSummary,
  LedgerEntry,
  ProjectDetail,
  Purchase,
  Statement,
  TimeEntry,
  timeEntriesSchema,
  updateContractSettingsSchema,
} from '#shared/flex-api.ts';
import { api, apiUrl } from '../../lib/api.ts';

export type { BillingRun, ContractSettings, FlexSummary, LedgerEntry, ProjectDetail, Purchase, Statement, TimeEntry };
export type TimeEntries = z.infer<typeof timeEntriesSchema>;
export type TimeEntryInput = { minutes: number; workedOn: string; description: string; billable: boolean };
export type Period = { from?: string | undefined; to?: string | undefined };

export const flexKeys = {
  all: ['flex'] as const,
  summary: (organizationId: string) => ['flex', 'summary', organizationId] as const,
  statement: (organizationId: string, period: Period) => ['flex', 'statement', organizationId, period.from ?? '', period.to ?? ''] as const,
  balances: ['flex', 'balances'] as const,
  contract: (organizationId: string) => ['flex', 'contract', organizationId] as const,
  timeEntries: (key: string) => ['flex', 'time', key] as const,
  project: (id: string) => ['flex', 'project', id] as const,
};

export const flexApi = {
  summary: (organizationId: string) => api<FlexSummary>(`/flex/organizations/${organizationId}`),
  statement: (organizationId: string, period: Period) => api<Statement>(`/flex/organizations/${organizationId}/statement`, { query: period }),
  statementCsvUrl: (organizationId: string, period: Period) => apiUrl(`/flex/organizations/${organizationId}/statement.csv`, period),
  exportCsvUrl: (query: { from: string; to: string; organizationId?: string | undefined }) => apiUrl('/staff/flex/export.csv', query),
  balances: () => api<FlexSummary[]>('/staff/flex/balances'),
  contract: (organizationId: string) => api<ContractSettings>(`/admin/organizations/${organizationId}/contract`),
  updateContract: (organizationId: string, changes: z.infer<typeof updateContractSettingsSchema>) =>
    api<ContractSettings>(`/admin/organizations/${organizationId}/contract`, { method: 'PATCH', body: changes }),
  addPurchase: (organizationId: string, body: { purchasedOn: string; hours: number; reference: string }, idempotencyKey: string) =>
    api<Purchase>(`/admin/organizations/${organizationId}/flex-purchases`, { body, idempotencyKey }),
  runBilling: (body: { periodStart: string; periodEnd: string; organizationId?: string }, idempotencyKey: string) =>
    api<BillingRun>('/admin/flex/billing-runs', { body, idempotencyKey }),
  timeEntries: (key: string) => api<TimeEntries>(`/requests/${key}/time-entries`),
  logTime: (key: string, body: TimeEntryInput, idempotencyKey: string) => api<TimeEntry>(`/requests/${key}/time-entries`, { body, idempotencyKey }),
  correctTime: (id: string, body: Partial<TimeEntryInput>) => api<TimeEntry>(`/time-entries/${id}`, { method: 'PATCH', body }),
  deleteTime: (id: string) => api<null>(`/time-entries/${id}`, { method: 'DELETE' }),
  /** reason: Customer Services' own; customerNote: what the customer reads (left out: no reason for them). */
  reverseTime: (id: string, body: { reason: string; customerNote?: string }) => api<LedgerEntry>(`/admin/time-entries/${id}/reversal`, { body }),
  project: (id: string) => api<ProjectDetail>(`/projects/${id}`),
};

export const useFlexSummary = (organizationId: string | null | undefined) =>
  useQuery({ queryKey: flexKeys.summary(organizationId ?? ''), queryFn: () => flexApi.summary(organizationId!), enabled: Boolean(organizationId) });
export const useStatement = (organizationId: string, period: Period) =>
  useQuery({ queryKey: flexKeys.statement(organizationId, period), queryFn: () => flexApi.statement(organizationId, period) });
export const useBalances = () => useQuery({ queryKey: flexKeys.balances, queryFn: flexApi.balances });
export const useContract = (organizationId: string, enabled: boolean) =>
  useQuery({ queryKey: flexKeys.contract(organizationId), queryFn: () => flexApi.contract(organizationId), enabled });
export const useTimeEntries = (key: string) => useQuery({ queryKey: flexKeys.timeEntries(key), queryFn: () => flexApi.timeEntries(key) });
export const useProject = (id: string) => useQuery({ queryKey: flexKeys.project(id), queryFn: () => flexApi.project(id) });

/** A Flex change: every Flex query is read again afterwards (balances, statements, time lists). */
export function useFlexMutation<A, R>(fn: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: flexKeys.all }) });
}
