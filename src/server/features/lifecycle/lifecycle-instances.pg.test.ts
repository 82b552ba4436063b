/**
 * Two server instances on one PostgreSQL database, each with its own pg-boss worker, sweep the same
 * due countdowns: every reminder, automatic resolution and closure happens exactly once. Runs on
 * PostgreSQL only (PGlite is one connection: concurrency proves nothing there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { outbox, ticket, ticketEvent } from '../../db/schema.ts';
import { startSecondInstance, type SecondInstance } from '../../../../tests/support/second-instance.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg } from '../../../../tests/support/ticket-fixtures.ts';
import { lifecycleSweepThroughBoss } from './lifecycle-jobs.test-support.ts';
import { startLifecycleWorker, type LifecycleSweepResult } from './sweep.job.ts';

describe('the automatic-closure sweep with two instances (PostgreSQL)', () => {
  let t: TestApp;
  let second: SecondInstance;
  beforeAll(async () => {
    t = await createTestApp({ jobs: true, clockStart: '2026-02-02T06:00:00Z' });
    second = await startSecondInstance(t);
    // Small batches, so that the two workers' transactions interleave over the same rows.
    await startLifecycleWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
    await startLifecycleWorker(second.boss, second.app.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const sweepBoth = async (times: number) => {
    const results = await Promise.all([...Array(times)].map((_, i) => lifecycleSweepThroughBoss(i % 2 ? second.boss : t.boss!)));
    return results.reduce((sum: LifecycleSweepResult, r) => ({
      reminder_1: sum.reminder_1 + r.reminder_1,
      reminder_2: sum.reminder_2 + r.reminder_2,
      resolve: sum.resolve + r.resolve,
      close: sum.close + r.close,
    }));
  };

  it('does each step of each request once when both workers sweep the same due countdowns', async () => {
    const ids = await catalog(t);
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerOrg(t);
    t.clock.set('2026-02-02T08:00:00Z');
    const n = 12;
    for (let i = 0; i < n; i++) {
      const app = i % 2 ? second.app : t.app;
      const res = await call(app, {
        method: 'POST',
        url: '/api/requests',
        cookie: c.reporter.cookie,
        body: { requestTypeId: ids.assistanceId, summary: `Waiting ${i}`, description: 'x', criticality: 'low' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const waiting = await call(app, {
        method: 'POST',
        url: `/api/requests/${res.json().key}/transitions`,
        cookie: agent.cookie,
        body: { to: 'waiting_customer' },
      });
      expect(waiting.statusCode, waiting.body).toBe(200);
    }
    // Each step when it falls due, for every request at once: the reminders, then the resolution.
    t.clock.set('2026-02-09T08:00:00Z');
    expect(await sweepBoth(6)).toEqual({ reminder_1: n, reminder_2: 0, resolve: 0, close: 0 });
    t.clock.set('2026-02-16T08:00:00Z');
    expect(await sweepBoth(6)).toEqual({ reminder_1: 0, reminder_2: n, resolve: 0, close: 0 });
    t.clock.set('2026-03-02T08:00:00Z');
    expect(await sweepBoth(6)).toEqual({ reminder_1: 0, reminder_2: 0, resolve: n, close: 0 });
    t.clock.set('2026-03-12T08:00:00Z');
    expect(await sweepBoth(6)).toEqual({ reminder_1: 0, reminder_2: 0, resolve: 0, close: n });

    const counts = await t.db
      .select({ template: outbox.template, n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.template} in ('lifecycle-reminder', 'lifecycle-resolved', 'survey-invitation')`)
      .groupBy(outbox.template)
      .orderBy(outbox.template);
    expect(counts).toEqual([
      { template: 'lifecycle-reminder', n: 2 * n },
      { template: 'lifecycle-resolved', n },
      { template: 'survey-invitation', n },
    ]);
    const closures = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticketEvent)
      .where(sql`${ticketEvent.field} = 'status' and ${ticketEvent.toValue} = 'closed'`);
    expect(closures).toEqual([{ n }]);
    const closed = await t.db.select({ n: sql<number>`count(*)::int` }).from(ticket).where(sql`${ticket.status} = 'closed'`);
    expect(closed).toEqual([{ n }]);
  });
});
