/**
 * Idempotency-Key under concurrency, on PostgreSQL (TEST_DATABASE_URL; PGlite has one connection,
 * where concurrency proves nothing): the same submission sent many times at once creates once, and a
 * first request overtaken by a retry (after its claim was taken over) cannot commit a second creation.
 */
import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticket, ticketMessage } from '../../db/schema.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { IN_FLIGHT_TAKEOVER_MS } from './idempotency.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, cookie: string, body: unknown, key: string) =>
  call(t.app, { method: 'POST', url, cookie, body, headers: { 'idempotency-key': key } });

/** Backends of this test's database waiting for a lock. */
async function waitingForLocks(): Promise<number> {
  const rows = await t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return (rows as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('the same submission at once (PostgreSQL)', () => {
  it('twenty requests with one key and one body: exactly one request created; the others answer it again or 409 with Retry-After', async () => {
    const c = await customerOrg(t);
    const key = randomUUID();
    const body = { requestTypeId: ids.assistanceId, summary: 'Sent twenty times', description: 'Double-clicked, and the network retried.', criticality: 'low' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('/api/requests', c.reporter.cookie, body, key)));
    const created = responses.filter((r) => r.statusCode === 201);
    const waiting = responses.filter((r) => r.statusCode === 409);
    expect(created.length + waiting.length, responses.map((r) => `${r.statusCode} ${r.body}`).join('\n')).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    for (const r of waiting) {
      expect(r.json()).toMatchObject({ code: 'idempotency.in_progress', field: 'Idempotency-Key' });
      expect(r.headers['retry-after']).toBe('1');
    }
    const [n] = await t.db.select({ n: count() }).from(ticket).where(eq(ticket.reporterId, c.reporter.id));
    expect(n!.n).toBe(1);
    // Once the first has answered, every repeat is its answer.
    const after = await post('/api/requests', c.reporter.cookie, body, key);
    expect([after.statusCode, after.body]).toEqual([201, created[0]!.body]);
  });

  it('a first request slower than the takeover delay, overtaken by its retry, cannot commit: one reply in all', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const url = `/api/requests/${r.key}/messages`;
    const key = randomUUID();
    const reply = { body: 'Sent once, retried much later.', visibility: 'public' };
    // Another connection holds the request's row: the reply waits in its transaction, its key claimed.
    const blocker = new pg.Client({ connectionString: t.database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from ticket where id = $1 for update', [r.id]);
      const first = post(url, c.reporter.cookie, reply, key);
      await expect.poll(waitingForLocks, { timeout: 10_000 }).toBe(1);
      // Long after, the client sends the submission again: the silent claim is taken over.
      t.clock.advance(IN_FLIGHT_TAKEOVER_MS);
      const retry = post(url, c.reporter.cookie, reply, key);
      await expect.poll(waitingForLocks, { timeout: 10_000 }).toBe(2);
      await blocker.query('commit');
      const answers = await Promise.all([first, retry]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
      const overtaken = answers.find((a) => a.statusCode === 409)!;
      expect(overtaken.json()).toMatchObject({ code: 'idempotency.in_progress' });
      expect(overtaken.headers['retry-after']).toBe('1');
      const [n] = await t.db.select({ n: count() }).from(ticketMessage).where(eq(ticketMessage.ticketId, r.id));
      expect(n!.n).toBe(1);
      const again = await post(url, c.reporter.cookie, reply, key);
      expect([again.statusCode, again.body]).toEqual([201, answers.find((a) => a.statusCode === 201)!.body]);
    } finally {
      await blocker.end();
    }
  });
});
