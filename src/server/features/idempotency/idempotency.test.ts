/**
 * Idempotency-Key on creating requests, through the HTTP API on a migrated database: a repeated
 * submission answers its first answer and creates nothing more, another body under the same key is
 * 422, a key still running is 409, keys are per user and last 24 hours, an answer that created
 * nothing frees its key, and the header is checked and documented.
 */
import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, ticket, ticketMessage } from '../../db/schema.ts';
import { flexPurchase, timeEntry } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { IN_FLIGHT_TAKEOVER_MS, KEY_LIFETIME_MS } from './idempotency.ts';
import { sweepIdempotencyKeys } from './sweep.job.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-03-10T09:00:00Z' });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, cookie: string, body: unknown, key?: string) =>
  call(t.app, { method: 'POST', url, cookie, body, ...(key !== undefined ? { headers: { 'idempotency-key': key } } : {}) });
const newRequest = (summary = 'Invoices do not print') => ({
  requestTypeId: ids.assistanceId,
  summary,
  description: 'Since this morning.',
  criticality: 'high',
});
const ticketsOf = async (reporterId: string) => (await t.db.select({ n: count() }).from(ticket).where(eq(ticket.reporterId, reporterId)))[0]!.n;
const messagesOf = async (ticketId: string) => (await t.db.select({ n: count() }).from(ticketMessage).where(eq(ticketMessage.ticketId, ticketId)))[0]!.n;
const keyRow = async (userId: string, key: string) =>
  (
    await t.db
      .select()
      .from(idempotencyKey)
      .where(and(eq(idempotencyKey.userId, userId), eq(idempotencyKey.key, key)))
  )[0];

describe('the same key and body again', () => {
  it('opening a request: one request, and the first answer again (status, body, Location), marked as replayed', async () => {
    const c = await customerOrg(t);
    const key = randomUUID();
    const first = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body written otherwise (keys in another order) is the same request.
    const { summary, ...rest } = newRequest();
    const again = await post('/api/requests', c.reporter.cookie, { ...rest, summary }, key);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.location).toBe(`/api/requests/${first.json().key}`);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await ticketsOf(c.reporter.id)).toBe(1);
    // Without a key, nothing changes: each submission is a creation.
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect(await ticketsOf(c.reporter.id)).toBe(3);
  });

  it('an agent opening a request on a customer’s behalf, and a follow-up of a closed request: one request each', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const key = randomUUID();
    const body = { ...newRequest('Opened by phone'), reporterId: c.reporter.id };
    const first = await post('/api/requests', agent.cookie, body, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('/api/requests', agent.cookie, body, key);
    expect([again.statusCode, again.body, again.headers.location]).toEqual([201, first.body, first.headers.location]);
    expect(await ticketsOf(c.reporter.id)).toBe(1);

    await t.db.update(ticket).set({ status: 'closed' }).where(eq(ticket.id, first.json().id));
    const followUp = { summary: 'It happens again', description: 'Same as before.', criticality: 'medium' };
    const url = `/api/requests/${first.json().key}/follow-up`;
    const opened = await post(url, c.reporter.cookie, followUp, key); // the customer's own key space
    expect(opened.statusCode, opened.body).toBe(201);
    const replayed = await post(url, c.reporter.cookie, followUp, key);
    expect([replayed.statusCode, replayed.body, replayed.headers.location]).toEqual([201, opened.body, opened.headers.location]);
    expect(await ticketsOf(c.reporter.id)).toBe(2);
  });

  it('a reply and an internal note: one message each, and the request as the first answer showed it', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const url = `/api/requests/${r.key}/messages`;
    const key = randomUUID();
    const reply = { body: 'Here is the log.', visibility: 'public' };
    const first = await post(url, c.reporter.cookie, reply, key);
    expect(first.statusCode, first.body).toBe(201);
    // Something else happens on the request meanwhile; the replay is still the first answer.
    expect((await post(url, c.colleague.cookie, { body: 'Me too.', visibility: 'public' })).statusCode).toBe(201);
    const again = await post(url, c.reporter.cookie, reply, key);
    expect([again.statusCode, again.body]).toEqual([201, first.body]);
    expect(await messagesOf(r.id)).toBe(2);

    const note = { body: 'Looks like the printer queue.', visibility: 'internal' };
    const noteKey = randomUUID();
    const noted = await post(url, agent.cookie, note, noteKey);
    expect(noted.statusCode, noted.body).toBe(201);
    expect((await post(url, agent.cookie, note, noteKey)).body).toBe(noted.body);
    expect(await messagesOf(r.id)).toBe(3);
  });

  it('a time entry and a Flex purchase: one each', async () => {
    const c = await customerOrg(t, { flex: true });
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const entry = { minutes: 45, workedOn: '2026-03-09', description: 'Checked the printer queue', billable: true };
    const key = randomUUID();
    const logged = await post(`/api/requests/${r.key}/time-entries`, agent.cookie, entry, key);
    expect(logged.statusCode, logged.body).toBe(201);
    expect((await post(`/api/requests/${r.key}/time-entries`, agent.cookie, entry, key)).body).toBe(logged.body);
    expect((await t.db.select({ n: count() }).from(timeEntry).where(eq(timeEntry.ticketId, r.id)))[0]!.n).toBe(1);

    const purchase = { purchasedOn: '2026-03-01', hours: 10, reference: 'PO-77' };
    const url = `/api/admin/organizations/${c.org.id}/flex-purchases`;
    const bought = await post(url, admin.cookie, purchase, key); // another user: the same key is theirs to use
    expect(bought.statusCode, bought.body).toBe(201);
    expect((await post(url, admin.cookie, purchase, key)).body).toBe(bought.body);
    expect((await t.db.select({ n: count() }).from(flexPurchase).where(eq(flexPurchase.organizationId, c.org.id)))[0]!.n).toBe(1);
    expect((await call(t.app, { url: `/api/flex/organizations/${c.org.id}`, cookie: admin.cookie })).json()).toMatchObject({ purchasedMinutes: 600 });
  });
});

describe('every other creating request', () => {
  it('saved views, organizations, invitations, desks, request types, projects, Flex contract windows and billing runs: one each, the first answer again', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerOrg(t);
    const suffix = randomUUID().slice(0, 6);
    const letters = suffix
      .replace(/[^a-f]/g, 'x')
      .slice(0, 4)
      .toUpperCase();
    const countOf = async (table: string, where: ReturnType<typeof sql>) =>
      ((await t.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const cases: { url: string; cookie: string; body: Record<string, unknown>; rows: () => Promise<number> }[] = [
      {
        url: '/api/views',
        cookie: agent.cookie,
        body: { name: `Mine ${suffix}`, query: 'queue=mine' },
        rows: () => countOf('saved_view', sql`name = ${`Mine ${suffix}`}`),
      },
      {
        url: '/api/admin/organizations',
        cookie: admin.cookie,
        body: { name: `Org ${suffix}`, domains: [`org-${suffix}.example`] },
        rows: () => countOf('organization', sql`name = ${`Org ${suffix}`}`),
      },
      {
        url: '/api/admin/invitations',
        cookie: admin.cookie,
        body: { email: `invited-${suffix}@example.com`, role: 'customer', organizationId: c.org.id },
        rows: () => countOf('invitation', sql`email = ${`invited-${suffix}@example.com`}`),
      },
      {
        url: '/api/admin/desks',
        cookie: admin.cookie,
        body: { slug: `desk-${suffix}`, keyPrefix: letters, names: { fr: 'Guichet', de: 'Schalter', en: 'Desk' }, descriptions: { fr: '', de: '', en: '' } },
        rows: () => countOf('desk', sql`slug = ${`desk-${suffix}`}`),
      },
      {
        url: '/api/admin/request-types',
        cookie: admin.cookie,
        body: { deskId: ids.supportId, slug: `type-${suffix}`, names: { fr: 'Type', de: 'Typ', en: 'Type' }, descriptions: { fr: '', de: '', en: '' } },
        rows: () => countOf('request_type', sql`slug = ${`type-${suffix}`}`),
      },
      {
        url: '/api/admin/projects',
        cookie: admin.cookie,
        body: { organizationId: c.org.id, name: `Rollout ${suffix}` },
        rows: () => countOf('project', sql`name = ${`Rollout ${suffix}`}`),
      },
      {
        url: `/api/admin/organizations/${c.org.id}/flex-contract/windows`,
        cookie: admin.cookie,
        body: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
        rows: () => countOf('flex_contract_window', sql`organization_id = ${c.org.id}`),
      },
      {
        url: '/api/admin/flex/billing-runs',
        cookie: admin.cookie,
        body: { periodStart: '2026-02-01', periodEnd: '2026-02-28', organizationId: c.org.id },
        rows: () => countOf('billing_run', sql`organization_id = ${c.org.id}`),
      },
    ];
    for (const { url, cookie, body, rows } of cases) {
      const key = randomUUID();
      const first = await post(url, cookie, body, key);
      expect(first.statusCode, `${url}: ${first.body}`).toBe(201);
      const again = await post(url, cookie, body, key);
      expect([again.statusCode, again.body, again.headers['idempotent-replayed']], url).toEqual([201, first.body, 'true']);
      expect(await rows(), url).toBe(1);
    }
  });
});

describe('a key used for another request', () => {
  it('another body, or another path, under the same key is 422 naming the header, and creates nothing', async () => {
    const c = await customerOrg(t);
    const key = randomUUID();
    const first = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(first.statusCode).toBe(201);
    const other = await post('/api/requests', c.reporter.cookie, newRequest('Another problem'), key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency.key_reused', field: 'Idempotency-Key' });
    const elsewhere = await post(`/api/requests/${first.json().key}/messages`, c.reporter.cookie, { body: 'Hello', visibility: 'public' }, key);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json()).toMatchObject({ code: 'idempotency.key_reused', field: 'Idempotency-Key' });
    expect(await ticketsOf(c.reporter.id)).toBe(1);
    expect(await messagesOf(first.json().id)).toBe(0);
    // The first answer is still the key's.
    expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).body).toBe(first.body);
  });

  it('keys are per user: two users sending the same key each create their own request', async () => {
    const c = await customerOrg(t);
    const key = 'same-key-for-both';
    const mine = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    const theirs = await post('/api/requests', c.colleague.cookie, newRequest(), key);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(mine.json().key).not.toBe(theirs.json().key);
    expect(await ticketsOf(c.reporter.id)).toBe(1);
    expect(await ticketsOf(c.colleague.id)).toBe(1);
  });
});

describe('while the first request runs', () => {
  it('answers 409 with Retry-After and creates nothing; a claim abandoned by a dead process is taken over after a while', async () => {
    const c = await customerOrg(t);
    // The body's hash, as a first submission of it stores it.
    expect((await post('/api/requests', c.colleague.cookie, newRequest(), 'probe')).statusCode).toBe(201);
    const { route, bodyHash } = (await keyRow(c.colleague.id, 'probe'))!;
    // What a request still running has, or a process that died mid-creation left: a claim without an answer.
    const key = randomUUID();
    await t.db.insert(idempotencyKey).values({ userId: c.reporter.id, key, route, bodyHash, createdAt: t.clock.now() });

    const running = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(running.statusCode).toBe(409);
    expect(running.headers['retry-after']).toBe('1');
    expect(running.json()).toMatchObject({ code: 'idempotency.in_progress', field: 'Idempotency-Key' });
    expect(await ticketsOf(c.reporter.id)).toBe(0);

    t.clock.advance(IN_FLIGHT_TAKEOVER_MS - 1000);
    expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).statusCode).toBe(409);
    t.clock.advance(1000);
    const takenOver = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(takenOver.statusCode, takenOver.body).toBe(201);
    expect(await ticketsOf(c.reporter.id)).toBe(1);
    expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).body).toBe(takenOver.body);
  });
});

describe('answers that created nothing', () => {
  it('a 4xx frees the key: the submission corrected under the same key is created', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const url = `/api/requests/${r.key}/time-entries`;
    const key = randomUUID();
    const future = await post(url, agent.cookie, { minutes: 30, workedOn: '2026-03-11', description: 'Tomorrow', billable: false }, key);
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'time_entry.in_future', field: 'workedOn' });
    expect(await keyRow(agent.id, key)).toBeUndefined();
    const fixed = await post(url, agent.cookie, { minutes: 30, workedOn: '2026-03-10', description: 'Today', billable: false }, key);
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect((await t.db.select({ n: count() }).from(timeEntry).where(eq(timeEntry.ticketId, r.id)))[0]!.n).toBe(1);
  });

  it('a 5xx (the creation failed and rolled back) frees the key: sending it again creates once', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const url = `/api/requests/${r.key}/messages`;
    const key = randomUUID();
    const reply = { body: 'This reply meets a failing database.', visibility: 'public' };
    // The database refuses this message once it is written: the reply's transaction fails after its writes.
    await t.db.execute(sql`
      create function refuse_message() returns trigger language plpgsql as $$
      begin
        if new.body = 'This reply meets a failing database.' then raise exception 'disk full'; end if;
        return new;
      end $$`);
    await t.db.execute(sql`create trigger refuse_message after insert on ticket_message for each row execute function refuse_message()`);
    try {
      const failed = await post(url, c.reporter.cookie, reply, key);
      expect(failed.statusCode).toBe(500);
      expect(await keyRow(c.reporter.id, key)).toBeUndefined();
      expect(await messagesOf(r.id)).toBe(0);
    } finally {
      await t.db.execute(sql`drop trigger refuse_message on ticket_message`);
      await t.db.execute(sql`drop function refuse_message()`);
    }
    const retried = await post(url, c.reporter.cookie, reply, key);
    expect(retried.statusCode, retried.body).toBe(201);
    expect((await post(url, c.reporter.cookie, reply, key)).body).toBe(retried.body);
    expect(await messagesOf(r.id)).toBe(1);
  });
});

describe('24 hours', () => {
  it('a key older than 24 hours is a new key, even before the sweep; the sweep deletes old keys only, and again nothing', async () => {
    const c = await customerOrg(t);
    const key = randomUUID();
    const first = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(first.statusCode).toBe(201);
    t.clock.advance(KEY_LIFETIME_MS - 1000);
    expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).body).toBe(first.body);
    expect(await ticketsOf(c.reporter.id)).toBe(1);
    t.clock.advance(1000);
    const later = await post('/api/requests', c.reporter.cookie, newRequest(), key);
    expect(later.statusCode).toBe(201);
    expect(later.json().key).not.toBe(first.json().key);
    expect(await ticketsOf(c.reporter.id)).toBe(2);
    // And the new answer is the one kept for the next 24 hours.
    expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).body).toBe(later.body);

    const oldKey = randomUUID();
    expect((await post('/api/requests', c.colleague.cookie, newRequest(), oldKey)).statusCode).toBe(201);
    t.clock.advance(KEY_LIFETIME_MS);
    const freshKey = randomUUID();
    expect((await post('/api/requests', c.colleague.cookie, newRequest(), freshKey)).statusCode).toBe(201);
    const swept = await sweepIdempotencyKeys(t.ctx, { batchSize: 2 });
    expect(swept).toBeGreaterThanOrEqual(2);
    expect(await keyRow(c.colleague.id, oldKey)).toBeUndefined();
    expect(await keyRow(c.reporter.id, key)).toBeUndefined();
    expect(await keyRow(c.colleague.id, freshKey)).toBeDefined();
    expect(await sweepIdempotencyKeys(t.ctx)).toBe(0);
  });
});

describe('the header', () => {
  it('is 1 to 255 printable ASCII characters; anything else is 400 naming it, before anything is created', async () => {
    const c = await customerOrg(t);
    for (const [key, limit] of [
      ['', undefined],
      ['x'.repeat(256), 255],
      ['clé-à-usage-unique', undefined],
    ] as const) {
      const res = await post('/api/requests', c.reporter.cookie, newRequest(), key);
      expect(res.statusCode, key).toBe(400);
      expect(res.json()).toMatchObject({ code: 'idempotency.key_invalid', field: 'Idempotency-Key' });
      expect(res.json().limit).toBe(limit);
    }
    expect(await ticketsOf(c.reporter.id)).toBe(0);
    for (const key of ['x'.repeat(255), 'a', ' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~']) {
      expect((await post('/api/requests', c.reporter.cookie, newRequest(), key)).statusCode, key).toBe(201);
    }
    expect(await ticketsOf(c.reporter.id)).toBe(3);
  });

  it('is documented on the creating operations, with their 409 and 422 answers', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<string, { parameters?: { in: string; name: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>
      >;
    };
    const creating = [
      ['/api/requests', 'post'],
      ['/api/requests/{key}/messages', 'post'],
      ['/api/requests/{key}/follow-up', 'post'],
      ['/api/requests/{key}/time-entries', 'post'],
      ['/api/admin/organizations/{id}/flex-purchases', 'post'],
      ['/api/views', 'post'],
      ['/api/admin/organizations', 'post'],
      ['/api/admin/invitations', 'post'],
      ['/api/admin/desks', 'post'],
      ['/api/admin/request-types', 'post'],
      ['/api/admin/projects', 'post'],
      ['/api/admin/organizations/{id}/flex-contract/windows', 'post'],
      ['/api/admin/flex/billing-runs', 'post'],
    ] as const;
    for (const [path, method] of creating) {
      const operation = doc.paths[path]![method]!;
      const header = operation.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      expect(header, path).toBeDefined();
      expect(header!.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    }
    const transitions = doc.paths['/api/requests/{key}/transitions']!.post!;
    expect(transitions.parameters?.some((p) => p.name === 'Idempotency-Key')).toBe(false);
  });
});
