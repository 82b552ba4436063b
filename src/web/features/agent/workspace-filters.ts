import { useNavigate, useSearchParams } from 'react-router';
import { QUEUES, TICKET_SORTS, type Queue, type TicketSort } from '#shared/tickets-api.ts';
import { CRITICALITIES, STATUSES, type Criticality, type Status } from '#shared/tickets.ts';
import { dayInZone, zonedLocalToIso } from '../../lib/dates.ts';

/**
 * The workspace's filters live in the address, under the list API's own parameter names, so a link
 * or a bookmark reopens the same list, the back button undoes a filter, and a saved view is the
 * same query string. `open` (the request shown beside the list) is the only other parameter.
 */
export const FILTER_PARAMS = [
  'queue',
  'deskId',
  'requestTypeId',
  'criticality',
  'status',
  'organizationId',
  'assigneeId',
  'createdFrom',
  'createdTo',
  'updatedFrom',
  'updatedTo',
  'sort',
  'q',
] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** The queue a fresh workspace shows. */
export const DEFAULT_QUEUE: Queue = 'all_open';
/**
 * "All requests" in the address: the list's query has no queue then, but an address without one is a
 * fresh workspace, which opens on the default queue. Never sent to the server, nor kept in a saved view.
 */
export const ALL_REQUESTS = 'all';
const queueOfList = (params: URLSearchParams) => {
  const queue = params.get('queue');
  return queue === ALL_REQUESTS ? null : queue;
};

export type Filters = {
  queue: Queue | null;
  deskId: string | null;
  requestTypeId: string | null;
  criticality: Criticality[];
  status: Status[];
  organizationId: string | null;
  assigneeId: string | null;
  createdFrom: string | null;
  createdTo: string | null;
  updatedFrom: string | null;
  updatedTo: string | null;
  sort: TicketSort | null;
  q: string;
};

const listOf = <T extends string>(value: string | null, allowed: readonly T[]): T[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is T => (allowed as readonly string[]).includes(s));

/** What the address says; values this version does not know are ignored here (the server would refuse them). */
export function readFilters(params: URLSearchParams): Filters {
  const queue = params.get('queue');
  const sort = params.get('sort');
  return {
    queue: queue && (QUEUES as readonly string[]).includes(queue) ? (queue as Queue) : null,
    deskId: params.get('deskId'),
    requestTypeId: params.get('requestTypeId'),
    criticality: listOf(params.get('criticality'), CRITICALITIES),
    status: listOf(params.get('status'), STATUSES),
    organizationId: params.get('organizationId'),
    assigneeId: params.get('assigneeId'),
    createdFrom: params.get('createdFrom'),
    createdTo: params.get('createdTo'),
    updatedFrom: params.get('updatedFrom'),
    updatedTo: params.get('updatedTo'),
    sort: sort && (TICKET_SORTS as readonly string[]).includes(sort) ? (sort as TicketSort) : null,
    q: params.get('q') ?? '',
  };
}

/** The list API's query for the address: the workspace always lists the agent's desks. */
export function apiQueryOf(params: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams({ scope: 'desks' });
  for (const name of FILTER_PARAMS) {
    const value = name === 'queue' ? queueOfList(params) : params.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

/** The query string a saved view keeps: the filters, without the open request (no queue: all requests). */
export function viewQueryOf(params: URLSearchParams): string {
  const query = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    const value = name === 'queue' ? queueOfList(params) : params.get(name);
    if (value) query.set(name, value);
  }
  return query.toString();
}

export const hasFilters = (params: URLSearchParams) => FILTER_PARAMS.some((name) => name !== 'queue' && name !== 'sort' && params.get(name));

/** A day (YYYY-MM-DD) as the first instant of that day in the interface's zone, and back. */
export const dayToInstant = (day: string, timeZone: string) => (day ? zonedLocalToIso(`${day}T00:00`, timeZone) : null);
export const instantToDay = (iso: string | null, timeZone: string) => dayInZone(iso, timeZone);

/**
 * The filters of the address and the ways to change them. Each change is a new history entry (back
 * undoes it); the open request stays open; the selection and page go back to the start.
 */
export function useWorkspaceParams() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // From the address as it is now, not as this render saw it: a handler kept by a dropdown opened
  // before another change must not bring back the filters of that time.
  const update = (change: (next: URLSearchParams) => void, options: { replace?: boolean } = {}) => {
    const next = new URLSearchParams(window.location.search);
    change(next);
    void navigate({ search: `?${next.toString()}` }, { replace: options.replace ?? false });
  };
  const set = (name: FilterParam | 'open', value: string | string[] | null, options: { replace?: boolean } = {}) =>
    update((next) => {
      const text = Array.isArray(value) ? value.join(',') : value;
      if (text) next.set(name, text);
      else next.delete(name);
      // A search is sorted by last change only.
      if (name === 'q' && text && next.get('sort') && next.get('sort') !== 'updated') next.delete('sort');
    }, options);
  const clear = () =>
    update((next) => {
      for (const name of FILTER_PARAMS) if (name !== 'queue') next.delete(name);
    });
  const replaceAll = (query: string) =>
    update((next) => {
      const open = next.get('open');
      for (const key of [...next.keys()]) next.delete(key);
      for (const [key, value] of new URLSearchParams(query)) next.set(key, value);
      if (!next.has('queue')) next.set('queue', ALL_REQUESTS);
      if (open) next.set('open', open);
    });
  return { params, filters: readFilters(params), set, clear, replaceAll, update };
}
