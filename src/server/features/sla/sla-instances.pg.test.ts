/**
 * Two server instances on one PostgreSQL database, each with its own pg-boss worker, sweep the same
 * due clocks: every warning and escalation is sent exactly once. Runs on PostgreSQL only (PGlite is
 * one connection: concurrency proves nothing there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { outbox, slaClock } from '../../db/schema.ts';
import { startSecondInstance, type SecondInstance } from '../../../../tests/support/second-instance.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg } from '../../../../tests/support/ticket-fixtures.ts';
import { sweepThroughBoss } from './sla-jobs.test-support.ts';
import { startSlaWorker } from './sweep.job.ts';

describe('the SLA sweep with two instances (PostgreSQL)', () => {
  let t: TestApp;
  let second: SecondInstance;
  beforeAll(async () => {
    t = await createTestApp({ jobs: true, clockStart: '2026-02-02T06:00:00Z' });
    second = await startSecondInstance(t);
    // Small batches, so that the two workers' transactions interleave over the same rows.
    await startSlaWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
    await startSlaWorker(second.boss, second.app.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('sends each warning and escalation once when both workers sweep the same due clocks', async () => {
    const ids = await catalog(t);
    const admin = await loginAs(t, 'admin');
    const matrix = {
      levels: [1, 2, 3].map((level) => ({
        level,
        whenToCall: { fr: 'x', de: 'x', en: 'x' },
        contacts: level === 1 ? [] : [{ name: `Level ${level}`, role: 'Escalation', email: `level${level}@vendor.test`, phone: '+41 31 000 00 00' }],
      })),
    };
    expect((await call(t.app, { method: 'PUT', url: `/api/admin/escalation/${ids.supportId}`, cookie: admin.cookie, body: matrix })).statusCode).toBe(200);
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerOrg(t);

    t.clock.set('2026-02-02T07:00:00Z'); // Monday 08:00
    const n = 20;
    for (let i = 0; i < n; i++) {
      // Alternate instances: both serve the API.
      const res = await call(i % 2 ? second.app : t.app, {
        method: 'POST',
        url: '/api/requests',
        cookie: c.reporter.cookie,
        body: { requestTypeId: ids.assistanceId, summary: `Down ${i}`, description: 'x', criticality: 'critical' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // Wednesday: both clocks of every request are past twice their target.
    t.clock.set('2026-02-04T16:00:00Z');
    const results = await Promise.all([...Array(6)].map((_, i) => sweepThroughBoss(i % 2 ? second.boss : t.boss!)));
    const total = results.reduce((sum, r) => ({ warning: sum.warning + r.warning, breach: sum.breach + r.breach, level3: sum.level3 + r.level3 }));
    expect(total).toEqual({ warning: 2 * n, breach: 2 * n, level3: 2 * n });

    const counts = await t.db
      .select({ template: outbox.template, to: outbox.to, n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.template} like 'sla-%'`)
      .groupBy(outbox.template, outbox.to)
      .orderBy(outbox.template);
    expect(counts).toEqual([
      { template: 'sla-breach', to: 'level2@vendor.test', n: 2 * n },
      { template: 'sla-level3', to: 'level3@vendor.test', n: 2 * n },
      { template: 'sla-warning', to: agent.email, n: 2 * n },
    ]);
    const pending = await t.db
      .select({ id: slaClock.id })
      .from(slaClock)
      .where(and(isNull(slaClock.level3NotifiedAt), eq(slaClock.criticality, 'critical')));
    expect(pending).toEqual([]);
  });
});
