import { CRITICALITIES, type Criticality, type Status } from '#shared/tickets.ts';
import type { ClockKind } from '#shared/sla-api.ts';
import type { JsmMapping, JsmUnmapped } from '#shared/jsm-import-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, requestType } from '../../db/schema.ts';
import type { JsmClient } from './jsm-client.ts';

/*
 * The mapping file of an import (#shared/jsm-import-api.ts): proposed from what the JSM site holds,
 * edited by the administrator, checked against Guichet's catalogue before anything is written.
 */

type Catalog = {
  desks: { id: string; slug: string; keyPrefix: string; names: Record<string, string> }[];
  types: { id: string; deskId: string; slug: string; names: Record<string, string>; active: boolean }[];
};

async function loadCatalog(db: DbOrTx): Promise<Catalog> {
  const [desks, types] = await Promise.all([
    db.select({ id: desk.id, slug: desk.slug, keyPrefix: desk.keyPrefix, names: desk.names }).from(desk),
    db
      .select({ id: requestType.id, deskId: requestType.deskId, slug: requestType.slug, names: requestType.names, active: requestType.active })
      .from(requestType),
  ]);
  return { desks, types };
}

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const namedLike = (names: Record<string, string>, slug: string, wanted: string) => {
  const w = norm(wanted);
  return norm(slug) === w || Object.values(names).some((n) => norm(n) === w);
};

/** JSM's default priorities and the usual others, to Guichet's criticality levels. */
const PRIORITY_GUESSES: Record<string, Criticality> = {
  highest: 'critical',
  blocker: 'critical',
  critical: 'critical',
  high: 'high',
  major: 'high',
  medium: 'medium',
  normal: 'medium',
  low: 'low',
  lowest: 'low',
  minor: 'low',
  trivial: 'low',
};

/** JSM's default workflow statuses by name, then by status category. */
const STATUS_GUESSES: Record<string, Status> = {
  open: 'open',
  'to do': 'open',
  'waiting for support': 'open',
  reopened: 'open',
  'in progress': 'in_progress',
  'work in progress': 'in_progress',
  escalated: 'in_progress',
  'waiting for customer': 'waiting_customer',
  pending: 'waiting_third_party',
  'waiting for approval': 'waiting_third_party',
  resolved: 'resolved',
  done: 'resolved',
  closed: 'closed',
  canceled: 'canceled',
  cancelled: 'canceled',
  declined: 'canceled',
  'won t do': 'canceled',
};
const CATEGORY_GUESSES: Record<string, Status> = { new: 'open', indeterminate: 'in_progress', done: 'resolved' };

const SLA_GUESSES: Record<string, ClockKind | 'ignore'> = {
  'time to first response': 'engagement',
  'time to resolution': 'resolution',
  'time to close after resolution': 'ignore',
  'time to approve normal change': 'ignore',
};

/**
 * A mapping proposed from the site's service desks, request types, priorities and statuses, and
 * the SLA names of its first requests (JSM lists no SLA metrics outside a request), each guessed by
 * name where Guichet has a match, null where it has none.
 */
export async function proposeMapping(db: DbOrTx, client: JsmClient, sampleJql?: string): Promise<JsmMapping> {
  const catalog = await loadCatalog(db);
  const serviceDesks: JsmMapping['serviceDesks'] = [];
  const requestTypes: JsmMapping['requestTypes'] = [];
  for await (const sd of client.serviceDesks()) {
    const guess =
      catalog.desks.find((d) => d.keyPrefix.toLowerCase() === sd.projectKey.toLowerCase()) ??
      catalog.desks.find((d) => namedLike(d.names, d.slug, sd.projectName));
    serviceDesks.push({ id: sd.id, projectKey: sd.projectKey, name: sd.projectName, desk: guess?.slug ?? null });
    const deskTypes = guess ? catalog.types.filter((t) => t.deskId === guess.id) : [];
    for await (const rt of client.requestTypes(sd.id)) {
      const typeGuess =
        deskTypes.find((t) => namedLike(t.names, t.slug, rt.name)) ??
        (deskTypes.filter((t) => t.active).length === 1 ? deskTypes.find((t) => t.active) : undefined);
      requestTypes.push({ id: rt.id, serviceDeskId: sd.id, name: rt.name, requestType: typeGuess?.slug ?? null });
    }
  }
  const priorities = (await client.priorities()).map((p) => ({ name: p.name, criticality: PRIORITY_GUESSES[norm(p.name)] ?? null }));
  const statuses = (await client.statuses()).map((s) => ({
    name: s.name,
    category: s.statusCategory.key,
    status: STATUS_GUESSES[norm(s.name)] ?? CATEGORY_GUESSES[s.statusCategory.key] ?? null,
  }));
  const slaNames = new Set(['Time to first response', 'Time to resolution']);
  const keys = serviceDesks.map((sd) => sd.projectKey);
  if (keys.length) {
    const page = await client.searchPage(sampleJql || defaultJql(keys), undefined, 10, SEARCH_FIELDS);
    for (const issue of page.issues) {
      const request = await client.request(issue.key);
      for (const sla of request?.sla ?? []) slaNames.add(sla.name);
    }
  }
  const slas = [...slaNames].map((name) => ({ name, clock: SLA_GUESSES[norm(name)] ?? null }));
  return { version: 1, jql: '', serviceDesks, requestTypes, priorities: dedupe(priorities), statuses: dedupe(statuses), slas };
}

const dedupe = <T extends { name: string }>(items: T[]) => [...new Map(items.map((i) => [i.name, i])).values()];

/** The fields of a request the import reads from the search (with the organizations' field, when the site has one). */
export const SEARCH_FIELDS = [
  'summary',
  'description',
  'created',
  'updated',
  'resolutiondate',
  'priority',
  'status',
  'assignee',
  'reporter',
  'project',
  'attachment',
];

/** Every request of these projects, oldest first (the order the keys were given in). */
export const defaultJql = (projectKeys: string[]) => `project in (${projectKeys.map((k) => `"${k.replace(/"/g, '')}"`).join(', ')}) ORDER BY created ASC`;

export const jqlOf = (mapping: JsmMapping) => mapping.jql || defaultJql(mapping.serviceDesks.filter((sd) => sd.desk !== null).map((sd) => sd.projectKey));

/** The mapping with Guichet's ids, for the import. */
export type ResolvedMapping = {
  desks: Map<string, { deskId: string; keyPrefix: string }>;
  types: Map<string, { requestTypeId: string; deskId: string }>;
  criticalities: Map<string, Criticality>;
  statuses: Map<string, Status>;
  clocks: Map<string, ClockKind | 'ignore'>;
};

/** What the mapping leaves unmapped or maps to what Guichet does not have; with the resolved mapping when nothing is. */
export async function checkMapping(db: DbOrTx, mapping: JsmMapping): Promise<{ unmapped: JsmUnmapped[]; resolved: ResolvedMapping }> {
  const catalog = await loadCatalog(db);
  const unmapped: JsmUnmapped[] = [];
  const resolved: ResolvedMapping = { desks: new Map(), types: new Map(), criticalities: new Map(), statuses: new Map(), clocks: new Map() };
  const deskOfServiceDesk = new Map<string, Catalog['desks'][number]>();
  for (const sd of mapping.serviceDesks) {
    if (sd.desk === null) {
      unmapped.push({ kind: 'service_desk', id: sd.id, name: sd.name, reason: 'not_mapped' });
      continue;
    }
    const d = catalog.desks.find((x) => x.slug === sd.desk);
    if (!d) {
      unmapped.push({ kind: 'service_desk', id: sd.id, name: sd.name, reason: 'unknown_target' });
      continue;
    }
    deskOfServiceDesk.set(sd.id, d);
    resolved.desks.set(sd.id, { deskId: d.id, keyPrefix: d.keyPrefix });
  }
  for (const rt of mapping.requestTypes) {
    // A request type of a service desk left out of the import needs no mapping.
    const sd = mapping.serviceDesks.find((x) => x.id === rt.serviceDeskId);
    if (!sd || sd.desk === null) continue;
    if (rt.requestType === null) {
      unmapped.push({ kind: 'request_type', id: rt.id, name: rt.name, reason: 'not_mapped' });
      continue;
    }
    const d = deskOfServiceDesk.get(rt.serviceDeskId);
    const t = d && catalog.types.find((x) => x.deskId === d.id && x.slug === rt.requestType);
    if (!t) {
      if (d) unmapped.push({ kind: 'request_type', id: rt.id, name: rt.name, reason: 'unknown_target' });
      continue;
    }
    resolved.types.set(rt.id, { requestTypeId: t.id, deskId: t.deskId });
  }
  for (const p of mapping.priorities) {
    if (p.criticality === null || !CRITICALITIES.includes(p.criticality)) unmapped.push({ kind: 'priority', id: p.name, name: p.name, reason: 'not_mapped' });
    else resolved.criticalities.set(p.name, p.criticality);
  }
  for (const s of mapping.statuses) {
    if (s.status === null) unmapped.push({ kind: 'status', id: s.name, name: s.name, reason: 'not_mapped' });
    else resolved.statuses.set(s.name, s.status);
  }
  for (const s of mapping.slas) {
    if (s.clock === null) unmapped.push({ kind: 'sla', id: s.name, name: s.name, reason: 'not_mapped' });
    else resolved.clocks.set(s.name, s.clock);
  }
  return { unmapped, resolved };
}
