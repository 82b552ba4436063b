import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedTicket } from '#shared/tickets-api.ts';
import type { DeskLifecycleRules, LifecycleRulesInput, OpenFollowUpInput, RequestLifecycle, SurveyAnswerInput, SurveyResults } from '#shared/lifecycle-api.ts';
import { api } from '../../lib/api.ts';

export type { DeskLifecycleRules, LifecycleRulesInput, RequestLifecycle, SurveyResults };
export type SurveyByLink = { key: string; summary: string; answered: boolean; rating: number | null };
export type SurveyResultsQuery = { from: string; to: string; deskId?: string | undefined };

const path = (key: string, rest: string) => `/requests/${encodeURIComponent(key)}${rest}`;

export const lifecycleKeys = {
  /** Under the request's detail key: whatever refreshes the request refreshes this too. */
  request: (key: string, version: string) => ['requests', 'detail', key, 'lifecycle', version] as const,
  rules: ['admin', 'lifecycle', 'rules'] as const,
  results: (query: SurveyResultsQuery) => ['admin', 'survey', 'results', query] as const,
  link: (token: string) => ['survey', token] as const,
};

export const lifecycleApi = {
  openFollowUp: (key: string, body: OpenFollowUpInput, idempotencyKey: string) => api<CreatedTicket>(path(key, '/follow-up'), { body, idempotencyKey }),
  answerOnPage: (key: string, body: SurveyAnswerInput) => api<RequestLifecycle>(path(key, '/survey'), { body }),
  answerByLink: (token: string, body: SurveyAnswerInput) => api<SurveyByLink>(`/survey/${encodeURIComponent(token)}`, { body }),
  saveRules: (deskId: string, body: LifecycleRulesInput) => api<DeskLifecycleRules>(`/admin/lifecycle/rules/${deskId}`, { method: 'PUT', body }),
};

/** The countdown, closure and survey of a request; `version` (status and last change) refetches it after every change of the request. */
export function useRequestLifecycle(key: string, version: string) {
  return useQuery({ queryKey: lifecycleKeys.request(key, version), queryFn: ({ signal }) => api<RequestLifecycle>(path(key, '/lifecycle'), { signal }) });
}

export function useStoreLifecycle(key: string, version: string) {
  const queryClient = useQueryClient();
  return (value: RequestLifecycle) => queryClient.setQueryData(lifecycleKeys.request(key, version), value);
}

export function useSurveyByLink(token: string) {
  return useQuery({
    queryKey: lifecycleKeys.link(token),
    queryFn: ({ signal }) => api<SurveyByLink>(`/survey/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}

export function useLifecycleRules() {
  return useQuery({ queryKey: lifecycleKeys.rules, queryFn: ({ signal }) => api<DeskLifecycleRules[]>('/admin/lifecycle/rules', { signal }) });
}

export function useSurveyResults(query: SurveyResultsQuery) {
  return useQuery({
    queryKey: lifecycleKeys.results(query),
    queryFn: ({ signal }) => api<SurveyResults>('/admin/survey/results', { signal, query }),
    retry: false,
  });
}
