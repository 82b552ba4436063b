/**
 * What a server process starts in the background (src/server/workers.ts, called by main.ts): the
 * schedules pg-boss keeps, with their cron and time zone, and starting twice (a second instance,
 * a restart) keeps one schedule of each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../tests/support/test-app.ts';
import { QUEUES } from './jobs/boss.ts';
import { startWorkers } from './workers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => {
  await t?.close();
});

describe('the background work of a server process', () => {
  it('schedules the SLA and automatic-closure sweeps every minute, the sweep of uploads never attached every 15 minutes, the idempotency keys hourly and Flex billing monthly in Zurich time, once each', async () => {
    await startWorkers(t.boss!, t.ctx);
    await startWorkers(t.boss!, t.ctx);
    const schedules = (await t.boss!.getSchedules())
      .map((s) => ({ name: s.name, cron: s.cron, timezone: s.timezone }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(schedules).toEqual([
      { name: QUEUES.uploadSweep, cron: '*/15 * * * *', timezone: 'UTC' },
      { name: QUEUES.flexBilling, cron: '0 3 1 * *', timezone: 'Europe/Zurich' },
      { name: QUEUES.idempotencySweep, cron: '17 * * * *', timezone: 'UTC' },
      { name: QUEUES.lifecycleSweep, cron: '* * * * *', timezone: 'UTC' },
      { name: QUEUES.slaSweep, cron: '* * * * *', timezone: 'UTC' },
    ]);
  });
});
