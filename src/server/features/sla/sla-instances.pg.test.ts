/**
 * Two server instances on one PostgreSQL database, each with its own pg-boss worker, sweep the same
 * due clocks: every warning and escalation is sent exactly once. Runs on PostgreSQL only (PGlite is
 * one connection: concurrency proves nothing there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { buildApp } from '../../app.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { outbox, slaClock } from '../../db/schema.ts';
import { createBoss, createQueues } from '../../jobs/boss.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg } from '../../../../tests/support/ticket-fixtures.ts';
import { sweepThroughBoss } from './sla-jobs.test-support.ts';
import { startSlaWorker } from './sweep.job.ts';


describe('the SLA sweep with two instances (PostgreSQL)', () => {
  let t: TestApp;
  let second: { database: Database; boss: PgBoss; app: FastifyInstance };
  beforeAll(async () => {
    t = await createTestApp({ jobs: true, clockStart: '2026-02-02T06:00:00Z' });
    const url = (t.database as { url?: string }).url!;
    const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
    const boss = createBoss(database, { databaseUrl: url });
    await boss.start();
    await createQueues(boss);
    // The same clock: two machines whose clocks agree.
    const app = await buildApp({ config: t.config, database, clock: t.clock, boss, logger: false });
    await app.ready();
    second = { database, boss, app };
    // Small batches, so that the two workers' transactions interleave over the same rows.
    await startSlaWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
    await startSlaWorker(boss, app.ctx, { pollingIntervalSeconds: 0.5, batchSize: 3 });
  });
  afterAll(async () => {
    await second.app.close();
    await second.boss.stop({ graceful: false }).catch(() => {});
    await second.database.close();
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
    const pending = await t.db.select({ id: slaClock.id }).from(slaClock).where(and(isNull(slaClock.level3NotifiedAt), eq(slaClock.criticality, 'critical')));
    expect(pending).toEqual([]);
  });
});
