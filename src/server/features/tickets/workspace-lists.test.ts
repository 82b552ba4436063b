import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { desk, requestType, ticket } from '../../db/schema.ts';
import { call, loginAs, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Item = { id: string; key: string; criticality: string; status: string; createdAt: string; updatedAt: string; assignee: { id: string } | null };

const localized = (text: string) => ({ fr: text, de: text, en: text });
const letters = () => Array.from({ length: 5 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

/** A desk of its own, with two request types, so the counts of one test are not disturbed by another's requests. */
async function isolatedDesk() {
  const prefix = letters();
  const [d] = await t.db
    .insert(desk)
    .values({
      slug: `desk-${prefix.toLowerCase()}-${randomUUID().slice(0, 4)}`,
      keyPrefix: prefix,
      names: localized(`Desk ${prefix}`),
      descriptions: localized(''),
    })
    .returning();
  const types = await t.db
    .insert(requestType)
    .values([
      { deskId: d!.id, slug: 'general', names: localized('General'), descriptions: localized('') },
      { deskId: d!.id, slug: 'other', names: localized('Other'), descriptions: localized('') },
    ])
    .returning();
  return { deskId: d!.id, typeId: types[0]!.id, otherTypeId: types[1]!.id };
}

const get = (url: string, cookie: string) => call(t.app, { url, cookie });
const post = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'POST', url, cookie, body });
const patch = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'PATCH', url, cookie, body });
const keysOf = async (url: string, cookie: string) => {
  const res = await get(url, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Item[]).map((i) => i.key).sort();
};
const sorted = (keys: string[]) => [...keys].sort();

/** Every page of a list, following the cursors. */
async function allPages(url: string, cookie: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res = await get(`${url}${cursor ? `&cursor=${cursor}` : ''}`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    items.push(...res.json().items);
    cursor = res.json().nextCursor;
    if (!cursor) return items;
  }
  throw new Error('too many pages');
}

describe('queues and their counts', () => {
  it('puts each request in its queues, counts them over the agent’s desks only, and keeps "recently resolved" to 14 days', async () => {
    const d = await isolatedDesk();
    const elsewhere = await isolatedDesk();
    const c = await customerOrg(t);
    const agent = await agentOf(t, [d.deskId, elsewhere.deskId], 'Queue Agent');
    const colleague = await agentOf(t, [d.deskId], 'Queue Colleague');
    const outsider = await agentOf(t, [elsewhere.deskId], 'Outsider Agent');
    const open = () => openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId });
    const to = (key: string, status: string, cookie = agent.cookie) => post(`/api/requests/${key}/transitions`, cookie, { to: status });

    // Finished long ago: not "recently resolved".
    const oldResolved = await open();
    await to(oldResolved.key, 'resolved');
    const oldClosed = await open();
    await to(oldClosed.key, 'resolved');
    await to(oldClosed.key, 'closed', c.reporter.cookie);
    t.clock.advance(15 * 86_400_000);

    const toQualify = await open();
    const mine = await open();
    await patch(`/api/requests/${mine.key}`, agent.cookie, { assigneeId: agent.id });
    await to(mine.key, 'in_progress');
    const theirs = await open();
    await patch(`/api/requests/${theirs.key}`, agent.cookie, { assigneeId: colleague.id });
    await to(theirs.key, 'qualified');
    const waitingCustomer = await open();
    await to(waitingCustomer.key, 'waiting_customer');
    const waitingThird = await open();
    await to(waitingThird.key, 'qualified');
    await to(waitingThird.key, 'waiting_third_party');
    const resolved = await open();
    await to(resolved.key, 'resolved');
    const closed = await open();
    await to(closed.key, 'resolved');
    await to(closed.key, 'closed', c.reporter.cookie);
    const canceled = await open();
    await to(canceled.key, 'canceled', c.reporter.cookie);
    const atOtherDesk = await openRequest(t, c.reporter.cookie, { requestTypeId: elsewhere.typeId });

    const expected: Record<string, string[]> = {
      to_qualify: [toQualify.key],
      mine: [mine.key],
      unassigned: [toQualify.key, waitingCustomer.key, waitingThird.key],
      waiting_customer: [waitingCustomer.key],
      waiting_third_party: [waitingThird.key],
      all_open: [toQualify.key, mine.key, theirs.key, waitingCustomer.key, waitingThird.key],
      recently_resolved: [resolved.key, closed.key],
      // Just opened: no clock is near its deadline (workspace-sla.test.ts).
      sla_at_risk: [],
      sla_breached: [],
    };
    for (const [queue, keys] of Object.entries(expected)) {
      expect(await keysOf(`/api/requests?queue=${queue}&deskId=${d.deskId}&limit=100`, agent.cookie), queue).toEqual(sorted(keys));
    }
    // Without scope, a queue lists the agent's desks: the other desk's open request is there.
    expect(await keysOf('/api/requests?queue=to_qualify&limit=100', agent.cookie)).toEqual(sorted([toQualify.key, atOtherDesk.key]));

    const counts = async (cookie: string, deskId?: string) => {
      const res = await get(`/api/queues${deskId ? `?deskId=${deskId}` : ''}`, cookie);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries((res.json().items as { queue: string; count: number }[]).map((i) => [i.queue, i.count]));
    };
    const expectedCounts = Object.fromEntries(Object.entries(expected).map(([q, keys]) => [q, keys.length]));
    expect(await counts(agent.cookie, d.deskId)).toEqual(expectedCounts);
    // Over both desks of the agent: the other desk's open request counts too.
    expect(await counts(agent.cookie)).toEqual({ ...expectedCounts, to_qualify: 2, unassigned: 4, all_open: 6 });
    // The colleague's "mine" is their own.
    expect((await counts(colleague.cookie, d.deskId)).mine).toBe(1);
    // An agent of another desk counts nothing of this one, even asking for it.
    expect(Object.values(await counts(outsider.cookie, d.deskId)).every((n) => n === 0)).toBe(true);
    // Administrators count every desk.
    const admin = await loginAs(t, 'admin');
    expect({ ...(await counts(admin.cookie, d.deskId)), mine: 0 }).toEqual({ ...expectedCounts, mine: 0 });

    // Fourteen days after its resolution, a request leaves "recently resolved".
    t.clock.advance(14 * 86_400_000 + 1000);
    expect((await counts(agent.cookie, d.deskId)).recently_resolved).toBe(0);
    expect(await keysOf(`/api/requests?queue=recently_resolved&deskId=${d.deskId}`, agent.cookie)).toEqual([]);
    expect(canceled.key).toBeTruthy();
  });

  it('refuses an unknown desk id or parameter', async () => {
    const agent = await agentOf(t, []);
    expect((await get('/api/queues?deskId=support', agent.cookie)).json()).toMatchObject({ field: 'deskId' });
    expect((await get('/api/queues?queue=mine', agent.cookie)).json()).toMatchObject({ code: 'validation.unknown_field', field: 'queue' });
  });
});

describe('filters', () => {
  it('filters by desk, request type, criticality, status, organization, assignee and created and updated ranges', async () => {
    const d = await isolatedDesk();
    const e = await isolatedDesk();
    const c1 = await customerOrg(t, { name: 'Filter One' });
    const c2 = await customerOrg(t, { name: 'Filter Two' });
    const agent = await agentOf(t, [d.deskId, e.deskId], 'Filter Agent');
    const start = new Date('2026-03-02T09:00:00Z');
    t.clock.set(start);
    const hour = 3_600_000;
    const a = await openRequest(t, c1.reporter.cookie, { requestTypeId: d.typeId, criticality: 'critical' });
    t.clock.advance(hour);
    const b = await openRequest(t, c1.reporter.cookie, { requestTypeId: d.otherTypeId, criticality: 'high' });
    t.clock.advance(hour);
    const cc = await openRequest(t, c2.reporter.cookie, { requestTypeId: d.typeId, criticality: 'low' });
    t.clock.advance(hour);
    const dd = await openRequest(t, c2.reporter.cookie, { requestTypeId: e.typeId, criticality: 'medium' });
    t.clock.advance(hour);
    await patch(`/api/requests/${a.key}`, agent.cookie, { assigneeId: agent.id });
    await post(`/api/requests/${b.key}/transitions`, agent.cookie, { to: 'in_progress' });
    const updatedLater = t.clock.now().toISOString();

    // The agent works at these two desks only: nothing of other tests shows.
    const base = `/api/requests?scope=desks&limit=100`;
    const k = (url: string) => keysOf(url, agent.cookie);
    expect(await k(`${base}&deskId=${d.deskId}`)).toEqual(sorted([a.key, b.key, cc.key]));
    expect(await k(`${base}&requestTypeId=${d.otherTypeId}`)).toEqual([b.key]);
    expect(await k(`${base}&deskId=${d.deskId}&criticality=high,critical`)).toEqual(sorted([a.key, b.key]));
    expect(await k(`${base}&deskId=${d.deskId}&criticality=high&criticality=low`)).toEqual(sorted([b.key, cc.key]));
    expect(await k(`${base}&deskId=${d.deskId}&status=in_progress`)).toEqual([b.key]);
    expect(await k(`${base}&deskId=${d.deskId}&status=open,in_progress`)).toEqual(sorted([a.key, b.key, cc.key]));
    expect(await k(`${base}&organizationId=${c2.org.id}`)).toEqual(sorted([cc.key, dd.key]));
    expect(await k(`${base}&assigneeId=${agent.id}`)).toEqual([a.key]);
    expect(await k(`${base}&assigneeId=none`)).toEqual(sorted([b.key, cc.key, dd.key]));
    const iso = (ms: number) => new Date(start.getTime() + ms).toISOString();
    expect(await k(`${base}&createdFrom=${iso(hour)}&createdTo=${iso(3 * hour)}`)).toEqual(sorted([b.key, cc.key]));
    expect(await k(`${base}&updatedFrom=${updatedLater}`)).toEqual(sorted([a.key, b.key]));
    expect(await k(`${base}&updatedTo=${updatedLater}`)).toEqual(sorted([cc.key, dd.key]));
    // Filters combine, and with a queue.
    expect(await k(`${base}&queue=all_open&organizationId=${c1.org.id}&criticality=critical`)).toEqual([a.key]);
    expect(await k(`${base}&queue=unassigned&deskId=${d.deskId}&requestTypeId=${d.typeId}`)).toEqual([cc.key]);
  });

  it('keeps customers to their own requests: staff-only filters are refused, the others apply within what they see', async () => {
    const d = await isolatedDesk();
    const c = await customerOrg(t);
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId, criticality: 'critical' });
    await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId, criticality: 'low' });
    expect(await keysOf('/api/requests?scope=mine&criticality=critical', c.reporter.cookie)).toEqual([a.key]);
    for (const [param, field] of [
      ['queue=mine', 'queue'],
      [`organizationId=${c.org.id}`, 'organizationId'],
      ['assigneeId=none', 'assigneeId'],
      ['scope=desks', 'scope'],
    ]) {
      const res = await get(`/api/requests?${param}`, c.reporter.cookie);
      expect(res.statusCode, param).toBe(400);
      expect(res.json().field, param).toBe(field);
    }
  });

  it('refuses unknown filter values, naming the field, and never answers 500', async () => {
    const agent = await agentOf(t, []);
    const cases: [string, string][] = [
      ['queue=later', 'queue'],
      ['status=archived', 'status'],
      ['status=open,archived', 'status'],
      ['criticality=urgent', 'criticality'],
      ['criticality=', 'criticality'],
      ['sort=priority', 'sort'],
      ['deskId=support', 'deskId'],
      ['requestTypeId=1', 'requestTypeId'],
      ['organizationId=x', 'organizationId'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['updatedTo=2026-13-01T00:00:00Z', 'updatedTo'],
      ['limit=1000', 'limit'],
      ['state=closed', 'state'],
      ['colour=red', 'colour'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [param, field] of cases) {
      const res = await get(`/api/requests?scope=desks&${param}`, agent.cookie);
      expect(res.statusCode, param).toBe(400);
      expect(res.json().field, param).toBe(field);
    }
  });
});

describe('sorting with keyset pagination', () => {
  it('returns every request exactly once across pages, in the order of each sort, ties included', async () => {
    const d = await isolatedDesk();
    const c = await customerOrg(t);
    const agent = await agentOf(t, [d.deskId], 'Sort Agent');
    const criticalities = ['low', 'critical', 'medium', 'high', 'high', 'low', 'critical'];
    t.clock.set('2026-04-06T08:00:00Z');
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      // Several requests share each instant: the id breaks the ties.
      if (i % 3 === 0) t.clock.advance(60_000);
      created.push((await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId, criticality: criticalities[i % criticalities.length] })).key);
    }
    // Replies move some requests up in "last change" order, three of them at the same instant.
    t.clock.advance(3_600_000);
    for (const key of [created[3]!, created[17]!, created[9]!]) await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'Looking into it.' });
    t.clock.advance(1000);
    await post(`/api/requests/${created[0]!}/messages`, agent.cookie, { body: 'Still on it.' });

    const rank: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
    const desc = (a: (string | number)[], b: (string | number)[]) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? 1 : -1;
      return 0;
    };
    const keyOf: Record<string, (i: Item) => (string | number)[]> = {
      updated: (i) => [i.updatedAt, i.id],
      created: (i) => [i.createdAt, i.id],
      criticality: (i) => [rank[i.criticality]!, i.createdAt, i.id],
    };
    for (const sort of ['updated', 'created', 'criticality'] as const) {
      for (const extra of ['', '&queue=all_open']) {
        const items = await allPages(`/api/requests?scope=desks&deskId=${d.deskId}&sort=${sort}&limit=4${extra}`, agent.cookie);
        expect(items.map((i) => i.key).sort(), sort).toEqual(sorted(created));
        expect(new Set(items.map((i) => i.id)).size).toBe(created.length);
        const expectedOrder = [...items].sort((a, b) => desc(keyOf[sort]!(a), keyOf[sort]!(b)));
        expect(
          items.map((i) => i.key),
          sort,
        ).toEqual(expectedOrder.map((i) => i.key));
      }
    }
    const byUpdate = await allPages(`/api/requests?scope=desks&deskId=${d.deskId}&sort=updated&limit=4`, agent.cookie);
    expect(byUpdate[0]!.key).toBe(created[0]);
    const byCriticality = await allPages(`/api/requests?scope=desks&deskId=${d.deskId}&sort=criticality&limit=5`, agent.cookie);
    expect(byCriticality.slice(0, 6).every((i) => i.criticality === 'critical')).toBe(true);
  });

  it('refuses a malformed cursor, or one of another sort, with a 400 naming the cursor', async () => {
    const d = await isolatedDesk();
    const c = await customerOrg(t);
    const agent = await agentOf(t, [d.deskId]);
    for (let i = 0; i < 3; i++) await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId });
    const first = (await get(`/api/requests?scope=desks&deskId=${d.deskId}&sort=updated&limit=1`, agent.cookie)).json();
    expect(first.nextCursor).toBeTruthy();
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const bad = [
      '!!',
      b64('garbage'),
      b64(`updated|2026-02-30T00:00:00.000000Z|${randomUUID()}`),
      b64(`updated|2026-01-01T00:00:00.000000Z|not-a-uuid`),
      b64(`criticality|high|2026-01-01T00:00:00.000000Z|${randomUUID()}`),
      b64(`2026-01-01T00:00:00.000000Z|${randomUUID()}`),
    ];
    for (const cursor of bad) {
      const res = await get(`/api/requests?scope=desks&sort=criticality&cursor=${cursor}`, agent.cookie);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().field).toBe('cursor');
    }
    for (const sort of ['created', 'criticality']) {
      const res = await get(`/api/requests?scope=desks&deskId=${d.deskId}&sort=${sort}&cursor=${first.nextCursor}`, agent.cookie);
      expect(res.statusCode, sort).toBe(400);
      expect(res.json().field).toBe('cursor');
    }
    const next = await get(`/api/requests?scope=desks&deskId=${d.deskId}&sort=updated&limit=1&cursor=${first.nextCursor}`, agent.cookie);
    expect(next.statusCode).toBe(200);
    expect(next.json().items[0].key).not.toBe(first.items[0].key);
  });

  it('orders customers’ lists as before: newest first', async () => {
    const d = await isolatedDesk();
    const c = await customerOrg(t);
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId });
    t.clock.advance(1000);
    const b = await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId });
    const res = await get('/api/requests?scope=mine', c.reporter.cookie);
    expect(res.json().items.map((i: Item) => i.key)).toEqual([b.key, a.key]);
    const [row] = await t.db.select({ rank: ticket.criticalityRank }).from(ticket).where(eq(ticket.key, a.key));
    expect(row!.rank).toBe(3);
  });
});
