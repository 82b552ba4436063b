import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureQueries, type QueryTarget } from '../../../../bench/plans.ts';
import { desk, requestType } from '../../db/schema.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

/*
 * The SLA in the agent workspace: the "at risk" and "breached" queues with their counts, the sort by
 * the next running deadline, and both clocks on every row. Monday 2 February 2026, 08:00 in Zurich:
 * business time counts from the first minute.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-02-02T07:00:00Z' });
});
afterAll(async () => {
  await t.close();
});

const localized = (text: string) => ({ fr: text, de: text, en: text });
const MINUTE = 60_000;

async function slaDesk() {
  const prefix = Array.from({ length: 5 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
  const [d] = await t.db
    .insert(desk)
    .values({
      slug: `sla-${prefix.toLowerCase()}-${randomUUID().slice(0, 4)}`,
      keyPrefix: prefix,
      names: localized(`Desk ${prefix}`),
      descriptions: localized(''),
    })
    .returning();
  const [underSla, noSla] = await t.db
    .insert(requestType)
    .values([
      { deskId: d!.id, slug: 'assistance', names: localized('Assistance'), descriptions: localized('') },
      { deskId: d!.id, slug: 'no-sla', names: localized('Without SLA'), descriptions: localized(''), underSla: false },
    ])
    .returning();
  return { deskId: d!.id, typeId: underSla!.id, noSlaTypeId: noSla!.id };
}

type Clock = { state: string; deadline: string | null; remainingMinutes: number; targetMinutes: number };
type Row = { key: string; sla?: { engagement: Clock | null; resolution: Clock | null } | null };
const get = (url: string, cookie: string) => call(t.app, { url, cookie });

async function allPages(url: string, cookie: string): Promise<{ items: Row[]; pages: number }> {
  const items: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages < 50; pages++) {
    const res = await get(`${url}${cursor ? `&cursor=${cursor}` : ''}`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    items.push(...res.json().items);
    cursor = res.json().nextCursor;
    if (!cursor) return { items, pages };
  }
  throw new Error('too many pages');
}

describe('SLA in the workspace', () => {
  it('lists and counts the requests at risk and breached, sorts by the next running deadline, and shows both clocks', async () => {
    t.clock.set('2026-02-02T07:00:00Z');
    const d = await slaDesk();
    const elsewhere = await slaDesk();
    const c = await customerOrg(t);
    const agent = await agentOf(t, [d.deskId], 'Sla Agent');
    const outsider = await agentOf(t, [elsewhere.deskId], 'Other Desk Agent');
    const open = (criticality: string, requestTypeId = d.typeId) => openRequest(t, c.reporter.cookie, { requestTypeId, criticality });

    const critical = await open('critical'); // engagement 1 h, resolution 8 h
    const high = await open('high'); // 4 h, 24 h
    const low = await open('low'); // 16 h, 160 h
    const waiting = await open('medium');
    expect(
      (await call(t.app, { method: 'POST', url: `/api/requests/${waiting.key}/transitions`, cookie: agent.cookie, body: { to: 'waiting_customer' } }))
        .statusCode,
    ).toBe(200);
    t.clock.advance(MINUTE);
    const noSla = await open('critical', d.noSlaTypeId);
    const otherDesk = await open('critical', elsewhere.typeId);

    const keys = async (queue: string, cookie = agent.cookie) =>
      (await allPages(`/api/requests?queue=${queue}&deskId=${d.deskId}&limit=50`, cookie)).items.map((i) => i.key);
    const counts = async (cookie = agent.cookie) => {
      const res = await get('/api/queues', cookie);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries((res.json().items as { queue: string; count: number }[]).map((i) => [i.queue, i.count]));
    };

    // 08:50: the critical request's engagement is past 75 % of its hour.
    t.clock.set('2026-02-02T07:50:00Z');
    expect(await keys('sla_at_risk')).toEqual([critical.key]);
    expect(await keys('sla_breached')).toEqual([]);
    expect(await counts()).toMatchObject({ sla_at_risk: 1, sla_breached: 0 });

    // 11:10: critical breached its engagement; high is at 79 % of its 4 hours. The other desk's
    // critical request is breached too, but only for its own agents.
    t.clock.set('2026-02-02T10:10:00Z');
    expect(await keys('sla_at_risk')).toEqual([high.key]);
    expect(await keys('sla_breached')).toEqual([critical.key]);
    expect(await counts()).toMatchObject({ sla_at_risk: 1, sla_breached: 1 });
    expect(await counts(outsider.cookie)).toMatchObject({ sla_at_risk: 0, sla_breached: 1 });
    expect((await allPages('/api/requests?queue=sla_breached&limit=50', outsider.cookie)).items.map((i) => i.key)).toEqual([otherDesk.key]);

    // Soonest running deadline first (critical 09:00, high 12:00, low Tuesday 17:00), then the
    // requests without one — paused, not under SLA — newest first; across pages, each once.
    const expected = [critical.key, high.key, low.key, noSla.key, waiting.key];
    for (const limit of [1, 2, 3, 5, 50]) {
      const { items, pages } = await allPages(`/api/requests?queue=all_open&deskId=${d.deskId}&sort=sla_deadline&limit=${limit}`, agent.cookie);
      expect(
        items.map((i) => i.key),
        `limit ${limit}`,
      ).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
    }

    // Both clocks on each row, with the request page's states and remaining business time.
    const rows = Object.fromEntries((await allPages(`/api/requests?scope=desks&deskId=${d.deskId}&limit=50`, agent.cookie)).items.map((i) => [i.key, i.sla]));
    expect(rows[critical.key]).toEqual({
      engagement: { state: 'breached', deadline: '2026-02-02T08:00:00.000Z', remainingMinutes: 60 - 190, targetMinutes: 60 },
      resolution: { state: 'running', deadline: expect.any(String), remainingMinutes: 480 - 190, targetMinutes: 480 },
    });
    expect(rows[high.key]).toMatchObject({ engagement: { state: 'at_risk', deadline: '2026-02-02T11:00:00.000Z', remainingMinutes: 50 } });
    expect(rows[waiting.key]).toMatchObject({ engagement: { state: 'met', deadline: null }, resolution: { state: 'paused', deadline: null } });
    expect(rows[noSla.key]).toBeNull();
    // The page's clocks come in a fixed number of queries, whatever the number of rows: no query per row.
    const target = (t.database.kind === 'pglite' ? t.database.pglite : t.database.pool) as unknown as QueryTarget;
    const capture = captureQueries(target);
    const small = await capture.during(() => get(`/api/requests?scope=desks&deskId=${d.deskId}&limit=2`, agent.cookie));
    const large = await capture.during(() => get(`/api/requests?scope=desks&deskId=${d.deskId}&limit=50`, agent.cookie));
    expect(large.length).toBe(small.length);

    // Qualifying stops the critical request's engagement (breached): it leaves the queue, and its
    // next running deadline is the resolution's.
    expect((await call(t.app, { method: 'POST', url: `/api/requests/${critical.key}/qualify`, cookie: agent.cookie, body: {} })).statusCode).toBe(200);
    expect(await keys('sla_breached')).toEqual([]);
    const afterQualify = await allPages(`/api/requests?scope=desks&deskId=${d.deskId}&sort=sla_deadline&limit=50`, agent.cookie);
    expect(afterQualify.items.map((i) => i.key)).toEqual([high.key, critical.key, low.key, noSla.key, waiting.key]);

    // Customers never see the clocks in their lists.
    const mine = await get('/api/requests?scope=mine&limit=50', c.reporter.cookie);
    expect(mine.statusCode).toBe(200);
    expect((mine.json().items as Row[]).every((i) => !('sla' in i))).toBe(true);
  });

  it('refuses bad input on the SLA sort and queues with a 400 naming the field', async () => {
    const d = await slaDesk();
    const c = await customerOrg(t);
    const agent = await agentOf(t, [d.deskId]);
    for (let i = 0; i < 3; i++) await openRequest(t, c.reporter.cookie, { requestTypeId: d.typeId });
    const first = (await get(`/api/requests?scope=desks&deskId=${d.deskId}&sort=sla_deadline&limit=1`, agent.cookie)).json();
    expect(first.nextCursor).toBeTruthy();
    const created = (await get(`/api/requests?scope=desks&deskId=${d.deskId}&sort=created&limit=1`, agent.cookie)).json();
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const cases: [string, string][] = [
      ['sort=sla_deadline&cursor=!!', 'cursor'],
      [`sort=sla_deadline&cursor=${b64(`sla_deadline|yesterday|${randomUUID()}`)}`, 'cursor'],
      [`sort=sla_deadline&cursor=${b64(`sla_none|2026-02-30T00:00:00.000000Z|${randomUUID()}`)}`, 'cursor'],
      [`sort=sla_deadline&cursor=${b64('sla_deadline|2026-02-02T00:00:00.000000Z|x')}`, 'cursor'],
      [`sort=sla_deadline&cursor=${created.nextCursor}`, 'cursor'],
      [`sort=created&cursor=${first.nextCursor}`, 'cursor'],
      ['sort=sla_deadline&q=invoice', 'sort'],
      ['queue=sla_late', 'queue'],
    ];
    for (const [params, field] of cases) {
      const res = await get(`/api/requests?scope=desks&${params}`, agent.cookie);
      expect(res.statusCode, params).toBe(400);
      expect(res.json().field, params).toBe(field);
    }
    // Customers: the SLA queues are Customer Services' tools.
    const res = await get('/api/requests?queue=sla_breached', c.reporter.cookie);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('queue');
    expect((await get('/api/queues', c.reporter.cookie)).statusCode).toBe(403);
  });
});
