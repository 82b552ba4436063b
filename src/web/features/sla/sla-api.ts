import { useQuery } from '@tanstack/react-query';
import type { EscalationMatrix, EscalationMatrixInput, SlaPolicy, SlaTargetsInput } from '#shared/sla-api.ts';
import type { SlaReport } from '#shared/sla-report-api.ts';
import type { Criticality } from '#shared/tickets.ts';
import { api } from '../../lib/api.ts';

export type { EscalationMatrix, EscalationMatrixInput, SlaPolicy, SlaReport, SlaTargetsInput };
export type OpeningInterval = { start: string; end: string };
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** The business calendar as the server stores it (calendarConfigSchema). */
export type FullCalendarConfig = {
  timeZone: string;
  weekly: Record<Weekday, OpeningInterval[]>;
  holidays: { country: string; region?: string } | null;
  eveClosing: string | null;
  closureDays: string[];
};
export type CalendarConfig = FullCalendarConfig;
export type SlaReportQuery = { from: string; to: string; deskId?: string | undefined };
export type SlaPreview = {
  start: string;
  countingFrom: string;
  policyVersion: number;
  engagementMinutes: number;
  resolutionMinutes: number;
  engagementDeadline: string;
  resolutionDeadline: string;
};

export const slaKeys = {
  escalation: ['escalation'] as const,
  policies: ['admin', 'sla', 'policies'] as const,
  calendar: ['admin', 'sla', 'calendar'] as const,
  report: (query: SlaReportQuery) => ['admin', 'sla', 'report', query] as const,
  adminEscalation: (deskId: string) => ['admin', 'escalation', deskId] as const,
};

export const slaApi = {
  updatePolicy: (requestTypeId: string, targets: SlaTargetsInput) =>
    api<SlaPolicy>(`/admin/sla/policies/${requestTypeId}`, { method: 'PUT', body: { targets } }),
  addClosureDay: (day: string) => api<CalendarConfig>(`/admin/sla/closure-days/${encodeURIComponent(day)}`, { method: 'POST' }),
  removeClosureDay: (day: string) => api<CalendarConfig>(`/admin/sla/closure-days/${encodeURIComponent(day)}`, { method: 'DELETE' }),
  saveCalendar: (config: FullCalendarConfig) => api<FullCalendarConfig>('/admin/sla/calendar', { method: 'PUT', body: config }),
  preview: (body: { start: string; requestTypeId: string; criticality: Criticality }) => api<SlaPreview>('/admin/sla/preview', { body }),
  setEscalation: (deskId: string, body: EscalationMatrixInput) => api<EscalationMatrix>(`/admin/escalation/${deskId}`, { method: 'PUT', body }),
};

/** The public escalation matrix of every active desk. */
export function useEscalation() {
  return useQuery({
    queryKey: slaKeys.escalation,
    queryFn: ({ signal }) => api<{ items: EscalationMatrix[] }>('/escalation', { signal }),
    staleTime: 60_000,
  });
}

export function useSlaPolicies() {
  return useQuery({ queryKey: slaKeys.policies, queryFn: ({ signal }) => api<SlaPolicy[]>('/admin/sla/policies', { signal }) });
}

export function useSlaCalendar() {
  return useQuery({ queryKey: slaKeys.calendar, queryFn: ({ signal }) => api<CalendarConfig>('/admin/sla/calendar', { signal }) });
}

export function useAdminEscalation(deskId: string | null) {
  return useQuery({
    queryKey: slaKeys.adminEscalation(deskId ?? ''),
    queryFn: ({ signal }) => api<EscalationMatrix>(`/admin/escalation/${deskId}`, { signal }),
    enabled: Boolean(deskId),
  });
}

export function useSlaReport(query: SlaReportQuery | null) {
  return useQuery({
    queryKey: slaKeys.report(query ?? { from: '', to: '' }),
    queryFn: ({ signal }) => api<SlaReport>('/admin/sla/report', { signal, query: query! }),
    enabled: query !== null,
    retry: false,
  });
}
