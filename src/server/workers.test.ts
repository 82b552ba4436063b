/**
 * What a server process starts in the background (src/server/workers.ts, called by main.ts): the
 * schedules pg-boss keeps, with their cron and time zone, and starting twice (a second instance,
 * a restart) keeps one schedule of each.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, describeDovecot, startDovecot } from '../../tests/support/dovecot.ts';
import { inboundMessage } from './db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../tests/support/test-app.ts';
import { z } from 'zod';
import { createQueues, QUEUES } from './jobs/boss.ts';
import { defineJob, InvalidJobPayloadError, sendJob, workJob } from './jobs/define-job.ts';
import { JOBS } from './jobs/registry.ts';
import { startWorkers } from './workers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => {
  await t?.close();
});

describe('the background work of a server process', () => {
  it('schedules the SLA, automatic-closure, inbound-mail and webhook sweeps every minute, the sweep of uploads never attached every 15 minutes, the idempotency keys hourly and Flex billing monthly in Zurich time, once each', async () => {
    await startWorkers(t.boss!, t.ctx);
    await startWorkers(t.boss!, t.ctx);
    const schedules = (await t.boss!.getSchedules())
      .map((s) => ({ name: s.name, cron: s.cron, timezone: s.timezone }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(schedules).toEqual([
      { name: QUEUES.uploadSweep, cron: '*/15 * * * *', timezone: 'UTC' },
      { name: QUEUES.flexBilling, cron: '0 3 1 * *', timezone: 'Europe/Zurich' },
      { name: QUEUES.idempotencySweep, cron: '17 * * * *', timezone: 'UTC' },
      { name: QUEUES.inboundSweep, cron: '* * * * *', timezone: 'UTC' },
      { name: QUEUES.lifecycleSweep, cron: '* * * * *', timezone: 'UTC' },
      { name: QUEUES.slaSweep, cron: '* * * * *', timezone: 'UTC' },
      { name: QUEUES.webhookSweep, cron: '* * * * *', timezone: 'UTC' },
    ]);
  });

  it('moves Flex billing to the business calendar’s new zone once the change has committed, and leaves the other schedules alone', async () => {
    await startWorkers(t.boss!, t.ctx);
    const admin = await loginAs(t, 'admin');
    const current = (await call(t.app, { method: 'GET', url: '/api/admin/sla/calendar', cookie: admin.cookie })).json();
    const saved = await call(t.app, { method: 'PUT', url: '/api/admin/sla/calendar', cookie: admin.cookie, body: { ...current, timeZone: 'Europe/Berlin' } });
    expect(saved.statusCode).toBe(200);
    const zoneOf = async (name: string) => (await t.boss!.getSchedules(name))[0]?.timezone;
    // The schedule is written after the commit, outside the request: wait for it, not for a duration.
    await expect.poll(() => zoneOf(QUEUES.flexBilling), { timeout: 60_000, interval: 50 }).toBe('Europe/Berlin');
    expect(await zoneOf(QUEUES.slaSweep)).toBe('UTC');
    // A restart reads the zone from the calendar: it keeps the new one.
    await startWorkers(t.boss!, t.ctx);
    expect(await zoneOf(QUEUES.flexBilling)).toBe('Europe/Berlin');
  });
});

describe('job definitions', () => {
  it('validates a payload: sendJob refuses a bad one, and a bad one queued by hand fails its job without reaching the handler', async () => {
    const handled: unknown[] = [];
    const probe = defineJob({
      name: 'test.probe',
      payload: z.object({ outboxId: z.uuid() }),
      queue: { retryLimit: 0 },
      handler: async (payload, _ctx: null) => handled.push(payload),
    });
    await t.boss!.createQueue(probe.name, probe.queue);
    await expect(sendJob(t.boss!, probe, { outboxId: 'not-an-id' })).rejects.toThrow(InvalidJobPayloadError);
    await workJob(t.boss!, probe, null, { pollingIntervalSeconds: 0.5 });
    const bad = await t.boss!.send(probe.name, { outboxId: 42 });
    const good = await sendJob(t.boss!, probe, { outboxId: '0f8e5a3c-1b2d-4c5e-8f9a-0b1c2d3e4f50' });
    const settled = async (id: string) => {
      for (;;) {
        const [job] = await t.boss!.findJobs<object>(probe.name, { id });
        if (job && ['completed', 'failed'].includes(job.state)) return job;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const failed = await settled(bad!);
    expect(failed.state).toBe('failed');
    expect(JSON.stringify(failed.output)).toContain('outboxId');
    expect((await settled(good!)).state).toBe('completed');
    expect(handled).toEqual([{ outboxId: '0f8e5a3c-1b2d-4c5e-8f9a-0b1c2d3e4f50' }]);
  });

  it('creates a queue for every job of the registry, mail delivery without pg-boss retries (the outbox retries)', async () => {
    for (const job of JOBS) expect(await t.boss!.getQueue(job.name), job.name).toMatchObject({ name: job.name, retryLimit: job.queue.retryLimit });
    expect((await t.boss!.getQueue(QUEUES.mailDeliver))!.retryLimit).toBe(0);
    // A queue created by an earlier version, which retried deliveries in pg-boss too, takes the definition's options.
    await t.boss!.updateQueue(QUEUES.mailDeliver, { retryLimit: 8, retryDelay: 5, retryBackoff: true });
    await createQueues(t.boss!);
    expect(await t.boss!.getQueue(QUEUES.mailDeliver)).toMatchObject({ retryLimit: 0, retryBackoff: false });
  });
});

describeDovecot('with IMAP_URL, the mailbox read into the e-mail pipeline (a real Dovecot)', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = (await startDovecot({ users: ['workers'] }))!;
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('stores each message once (source imap), moves it to the processed folder, and takes the same message again as a duplicate', async () => {
    const ctx = { ...t.ctx, config: { ...t.ctx.config, imapUrl: dovecot.url('workers'), imapPollSeconds: 3600 } };
    const silent = { info() {}, warn() {}, error() {} };
    const workers = await startWorkers(t.boss!, ctx, { imapLog: silent });
    try {
      expect(workers.imapReader).not.toBeNull();
      const messageId = `<${randomUUID()}@customer.example>`;
      const m = {
        messageId,
        raw: `From: customer@customer.example\r\nTo: support@guichet.example\r\nSubject: through the pipeline\r\nMessage-ID: ${messageId}\r\n\r\nHello.\r\n`,
      };
      await dovecot.append('workers', m.raw);
      await workers.imapReader!.checkNow();
      for (let round = 0; round < 20 && (await dovecot.list('workers', 'INBOX')).length; round++) await workers.imapReader!.checkNow();
      const stored = await t.db.select().from(inboundMessage).where(eq(inboundMessage.messageId, m.messageId));
      expect(stored.map((row) => ({ source: row.source, subject: row.subject }))).toEqual([{ source: 'imap', subject: 'through the pipeline' }]);
      expect(stored[0]!.status).not.toBe('failed');
      expect((await dovecot.list('workers', 'Guichet/Processed')).map((x) => x.messageId)).toEqual([m.messageId]);

      // The same message again (a move that failed after it was stored, a copy dropped in twice).
      await dovecot.append('workers', m.raw);
      // IDLE may take it first: checkNow runs a whole check after that one. The server may announce the
      // new message to the reader's session a moment after the append answered: checked again until the
      // mailbox is empty (bounded; each round is a real IMAP exchange, not a sleep).
      for (let round = 0; round < 20 && (await dovecot.list('workers', 'INBOX')).length; round++) await workers.imapReader!.checkNow();
      expect(await t.db.select().from(inboundMessage).where(eq(inboundMessage.messageId, m.messageId))).toHaveLength(1);
      expect(await dovecot.list('workers', 'INBOX')).toEqual([]);
      expect(await dovecot.list('workers', 'Guichet/Processed')).toHaveLength(2);
    } finally {
      await workers.stop();
    }
  });
});
