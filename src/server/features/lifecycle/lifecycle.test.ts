/**
 * Automatic closure (DESIGN.md §2), driven by the real pg-boss worker reading the injected clock:
 * reminders after 5 and 10 business days of waiting, automatic resolution after 15, closure 10
 * calendar days later; replies and status changes in between restart or cancel the countdown; a
 * restart after a downtime does each overdue step once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import { outbox, ticket, ticketEvent } from '../../db/schema.ts';
import { satisfactionSurvey, ticketLifecycle } from '../../db/schema.ts';
import { createBoss, createQueues, QUEUES } from '../../jobs/boss.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { lifecycleSweepThroughBoss, none } from './lifecycle-jobs.test-support.ts';
import { backfillCountdowns } from './countdown.ts';
import { COUNTDOWN_BACKFILL_JOB_ID, queueCountdownBackfill, startCountdownBackfillWorker } from './backfill-countdowns.job.ts';
import { startLifecycleWorker } from './sweep.job.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
beforeAll(async () => {
  t = await createTestApp({ jobs: true, clockStart: '2026-02-02T06:00:00Z' });
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId], 'Desk Agent');
  await startLifecycleWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await t.close();
});

const sweep = () => lifecycleSweepThroughBoss(t.boss!);
const lifecycleOf = async (key: string, cookie: string) => {
  const res = await call(t.app, { url: `/api/requests/${key}/lifecycle`, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const statusOf = async (id: string) => (await t.db.select({ status: ticket.status }).from(ticket).where(eq(ticket.id, id)))[0]!.status;
const mailsOf = async (key: string) =>
  (
    await t.db
      .select({ to: outbox.to, template: outbox.template, subject: outbox.subject, text: outbox.text })
      .from(outbox)
      .where(like(outbox.subject, `[${key}]%`))
      .orderBy(asc(outbox.createdAt))
  ).filter((m) => m.template.startsWith('lifecycle-') || m.template === 'survey-invitation' || m.template === 'ticket-status');
const transition = (key: string, cookie: string, to: string) => call(t.app, { method: 'POST', url: `/api/requests/${key}/transitions`, cookie, body: { to } });
const reply = (key: string, cookie: string, body: string, visibility: 'public' | 'internal' = 'public') =>
  call(t.app, { method: 'POST', url: `/api/requests/${key}/messages`, cookie, body: { body, visibility } });

/** A request of a new organization, waiting for the customer since `at`. */
async function waitingRequest(at: string) {
  const c = await customerOrg(t);
  t.clock.set(at);
  const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
  const res = await transition(r.key, agent.cookie, 'waiting_customer');
  expect(res.statusCode, res.body).toBe(200);
  return { c, r };
}

describe('the countdown of a request waiting for the customer', () => {
  it('reminds twice, resolves automatically, then closes and asks for a rating — each step once, at its time', async () => {
    const { c, r } = await waitingRequest('2026-02-02T08:00:00Z'); // Monday 09:00 in Zurich
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({
      next: { action: 'reminder_1', at: '2026-02-09T08:00:00.000Z' },
      autoResolvedAt: null,
      closedAt: null,
    });

    t.clock.set('2026-02-09T07:59:00Z'); // a minute early: nothing
    expect(await sweep()).toEqual(none);
    t.clock.set('2026-02-09T08:00:00Z'); // 5 business days later
    expect(await sweep()).toEqual({ ...none, reminder_1: 1 });
    expect(await sweep()).toEqual(none);
    const first = (await mailsOf(r.key)).filter((m) => m.template === 'lifecycle-reminder');
    expect(first.map((m) => [m.to, m.subject])).toEqual([[c.reporter.email, `[${r.key}] Rappel : nous attendons votre réponse`]]);
    expect(first[0]!.text).toContain('sera résolue automatiquement le lundi, 23 février 2026 à 09:00');
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({ next: { action: 'reminder_2', at: '2026-02-16T08:00:00.000Z' } });

    t.clock.set('2026-02-16T08:00:00Z');
    expect(await sweep()).toEqual({ ...none, reminder_2: 1 });
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({ next: { action: 'resolve', at: '2026-02-23T08:00:00.000Z' } });

    t.clock.set('2026-02-23T08:00:00Z');
    expect(await sweep()).toEqual({ ...none, resolve: 1 });
    expect(await statusOf(r.id)).toBe('resolved');
    // By the system: the history shows the change without an actor.
    const [event] = await t.db
      .select()
      .from(ticketEvent)
      .where(and(eq(ticketEvent.ticketId, r.id), eq(ticketEvent.field, 'status'), eq(ticketEvent.toValue, 'resolved')));
    expect(event).toMatchObject({ actorId: null, fromValue: 'waiting_customer', customerVisible: true });
    const resolvedMails = (await mailsOf(r.key)).filter((m) => m.template === 'lifecycle-resolved');
    expect(resolvedMails.map((m) => m.subject)).toEqual([`[${r.key}] Résolue automatiquement : Invoices do not print`]);
    expect(resolvedMails[0]!.text).toContain('faute de réponse depuis 15 jours ouvrés');
    expect(resolvedMails[0]!.text).toContain('avant le jeudi, 5 mars 2026 à 09:00');
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({
      next: { action: 'close', at: '2026-03-05T08:00:00.000Z' },
      autoResolvedAt: '2026-02-23T08:00:00.000Z',
    });

    t.clock.set('2026-03-05T07:59:59Z');
    expect(await sweep()).toEqual(none);
    t.clock.set('2026-03-05T08:00:00Z'); // 10 calendar days after the resolution
    expect(await sweep()).toEqual({ ...none, close: 1 });
    expect(await sweep()).toEqual(none);
    expect(await statusOf(r.id)).toBe('closed');
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({
      next: null,
      autoResolvedAt: '2026-02-23T08:00:00.000Z',
      closedAt: '2026-03-05T08:00:00.000Z',
      canOpenFollowUp: true,
      survey: { canAnswer: true, answered: false, rating: null },
    });
    // Every customer e-mail of the path, once each: no generic "resolved" e-mail beside the one that says why.
    const all = (await mailsOf(r.key)).map((m) => `${m.template} ${m.to}`);
    expect(all.slice(0, 4)).toEqual([
      `ticket-status ${c.reporter.email}`, // waiting for your reply
      `lifecycle-reminder ${c.reporter.email}`,
      `lifecycle-reminder ${c.reporter.email}`,
      `lifecycle-resolved ${c.reporter.email}`,
    ]);
    // Written in the same transaction, at the same instant: closed, and the survey.
    expect(all.slice(4).sort()).toEqual([`survey-invitation ${c.reporter.email}`, `ticket-status ${c.reporter.email}`]);
    expect(await t.db.select({ ticketId: satisfactionSurvey.ticketId }).from(satisfactionSurvey).where(eq(satisfactionSurvey.ticketId, r.id))).toHaveLength(1);
  });

  it('restarts on a public reply or a status change, not on an internal note; a customer reply cancels it', async () => {
    const { c, r } = await waitingRequest('2026-02-02T08:00:00Z');
    t.clock.set('2026-02-04T10:00:00Z'); // Wednesday
    expect((await reply(r.key, agent.cookie, 'Only for us', 'internal')).statusCode).toBe(201);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-02-09T08:00:00.000Z' });
    expect((await reply(r.key, agent.cookie, 'Could you send us the log?')).statusCode).toBe(201);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-02-11T10:00:00.000Z' });

    t.clock.set('2026-02-11T10:00:00Z');
    expect(await sweep()).toEqual({ ...none, reminder_1: 1 });
    t.clock.set('2026-02-12T09:00:00Z');
    expect((await reply(r.key, c.reporter.cookie, 'Here is the log.')).statusCode).toBe(201);
    expect(await statusOf(r.id)).toBe('in_progress');
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toBeNull();
    // Long after: nothing happens to a request in progress.
    t.clock.set('2026-04-01T08:00:00Z');
    expect(await sweep()).toEqual(none);
    expect(await statusOf(r.id)).toBe('in_progress');

    // Waiting again: a fresh countdown from the new wait, first reminder again.
    t.clock.set('2026-04-01T08:00:00Z'); // Wednesday 10:00 (summer time)
    expect((await transition(r.key, agent.cookie, 'waiting_customer')).statusCode).toBe(200);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-04-10T08:00:00.000Z' }); // Good Friday and Easter Monday are closed
    expect((await reply(r.key, c.reporter.cookie, 'Done.')).statusCode).toBe(201);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toBeNull();
  });

  it('a customer reply to an automatically resolved request reopens it: it does not close', async () => {
    const { c, r } = await waitingRequest('2026-05-04T08:00:00Z'); // Monday
    t.clock.set('2026-06-30T08:00:00Z'); // long after: both reminders and the resolution are due; only the resolution is sent
    expect(await sweep()).toEqual({ ...none, resolve: 1 });
    expect(await statusOf(r.id)).toBe('resolved');
    t.clock.set('2026-07-03T08:00:00Z');
    expect((await reply(r.key, c.colleague.cookie, 'Still broken.')).statusCode).toBe(201);
    expect(await statusOf(r.id)).toBe('in_progress');
    expect(await lifecycleOf(r.key, c.reporter.cookie)).toMatchObject({ next: null, autoResolvedAt: null });
    t.clock.set('2026-07-20T08:00:00Z');
    expect(await sweep()).toEqual(none);
    expect(await statusOf(r.id)).toBe('in_progress');
  });

  it('after a server restart with a downtime, each overdue step happens once, without a reminder of a date already passed', async () => {
    const { c, r } = await waitingRequest('2026-02-02T08:00:00Z');
    t.clock.set('2026-02-09T08:00:00Z');
    expect(await sweep()).toEqual({ ...none, reminder_1: 1 });

    // The instance stops; another starts three weeks later on the same database.
    await t.boss!.offWork(QUEUES.lifecycleSweep);
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const boss: PgBoss = createBoss(t.database, { databaseUrl: (t.database as { url?: string }).url });
    await boss.start();
    await createQueues(boss);
    const app: FastifyInstance = await buildApp({ config: t.config, database: t.database, clock, boss, logger: false });
    await app.ready();
    try {
      await startLifecycleWorker(boss, app.ctx, { pollingIntervalSeconds: 0.5 });
      // The second reminder (due 16 February) would announce the resolution of 23 February: only the resolution is sent.
      expect(await lifecycleSweepThroughBoss(boss)).toEqual({ ...none, resolve: 1 });
      expect(await lifecycleSweepThroughBoss(boss)).toEqual(none);
      expect(await statusOf(r.id)).toBe('resolved');
      clock.set('2026-03-12T08:00:00Z');
      expect(await lifecycleSweepThroughBoss(boss)).toEqual({ ...none, close: 1 });
      expect(await statusOf(r.id)).toBe('closed');
      expect((await mailsOf(r.key)).filter((m) => m.template !== 'ticket-status').map((m) => `${m.template} ${m.to}`)).toEqual([
        `lifecycle-reminder ${c.reporter.email}`,
        `lifecycle-resolved ${c.reporter.email}`,
        `survey-invitation ${c.reporter.email}`,
      ]);
    } finally {
      await boss.offWork(QUEUES.lifecycleSweep);
      await app.close();
      // Its own pool on PostgreSQL must end before the database is dropped; on PGlite the database is shared and stays open.
      await boss.stop({ graceful: false, close: t.database.kind !== 'pglite' }).catch(() => {});
      await startLifecycleWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5 });
    }
  });
});

describe('requests already waiting before automatic closure existed', () => {
  it('get their countdown from the backfill, from when they started waiting (twice: nothing more)', async () => {
    const { c, r } = await waitingRequest('2026-02-02T08:00:00Z');
    await t.db.delete(ticketLifecycle).where(eq(ticketLifecycle.ticketId, r.id));
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toBeNull();
    t.clock.set('2026-02-04T08:00:00Z');
    expect(await backfillCountdowns(t.db, t.clock)).toBe(1);
    expect(await backfillCountdowns(t.db, t.clock)).toBe(0);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-02-09T08:00:00.000Z' });
    expect((await reply(r.key, c.reporter.cookie, 'Answered.')).statusCode).toBe(201);
  });
});

describe('closure rules per desk', () => {
  it('administrators set the delays; zero, negative and inverted delays are refused with the field named; countdowns follow', async () => {
    const admin = await loginAs(t, 'admin');
    const list = await call(t.app, { url: '/api/admin/lifecycle/rules', cookie: admin.cookie });
    expect(list.statusCode).toBe(200);
    expect(list.json().find((d: { deskId: string }) => d.deskId === ids.consultingId)).toMatchObject({
      isDefault: true,
      firstReminderDays: 5,
      secondReminderDays: 10,
      resolveDays: 15,
      closeDays: 10,
    });

    const put = (body: unknown, cookie = admin.cookie, deskId = ids.consultingId) =>
      call(t.app, { method: 'PUT', url: `/api/admin/lifecycle/rules/${deskId}`, cookie, body });
    const valid = { firstReminderDays: 2, secondReminderDays: 4, resolveDays: 6, closeDays: 3 };
    for (const [body, field] of [
      [{ ...valid, firstReminderDays: 0 }, 'firstReminderDays'],
      [{ ...valid, closeDays: -1 }, 'closeDays'],
      [{ ...valid, secondReminderDays: 2 }, 'secondReminderDays'],
      [{ ...valid, resolveDays: 3 }, 'resolveDays'],
      [{ ...valid, resolveDays: 1.5 }, 'resolveDays'],
    ] as const) {
      const res = await put(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect(
      (await call(t.app, { url: '/api/admin/lifecycle/rules', cookie: admin.cookie })).json().find((d: { deskId: string }) => d.deskId === ids.consultingId)
        .isDefault,
    ).toBe(true);
    const consultingAgent = await agentOf(t, [ids.consultingId]);
    expect((await put(valid, consultingAgent.cookie)).statusCode).toBe(403);
    expect((await put(valid, admin.cookie, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    // A Support request already waiting follows its desk's new rules; Consulting's rules do not touch it.
    const { c, r } = await waitingRequest('2026-02-02T08:00:00Z');
    const ok = await put(valid);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ...valid, isDefault: false });
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-02-09T08:00:00.000Z' });
    const supportRules = await put({ firstReminderDays: 1, secondReminderDays: 2, resolveDays: 3, closeDays: 1 }, admin.cookie, ids.supportId);
    expect(supportRules.statusCode).toBe(200);
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-02-03T08:00:00.000Z' });
    t.clock.set('2026-02-05T08:00:00Z');
    // Every step is due at once (the resolution too): the reminders would announce a past date and are not sent.
    expect(await sweep()).toEqual({ ...none, resolve: 1 });
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'close', at: '2026-02-06T08:00:00.000Z' });
    // Back to the defaults for the other tests of this file.
    expect((await put({ firstReminderDays: 5, secondReminderDays: 10, resolveDays: 15, closeDays: 10 }, admin.cookie, ids.supportId)).statusCode).toBe(200);
  });
});

describe('the countdown backfill, a one-off data migration', () => {
  it('runs once in the life of a database: the first start queues it, a later start finds it done and queues nothing', async () => {
    const { c, r } = await waitingRequest('2026-03-02T08:00:00Z');
    await t.db.delete(ticketLifecycle).where(eq(ticketLifecycle.ticketId, r.id));
    t.clock.set('2026-03-04T08:00:00Z');
    await startCountdownBackfillWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5 });
    const id = await queueCountdownBackfill(t.boss!);
    expect(id).toBe(COUNTDOWN_BACKFILL_JOB_ID);
    for (let i = 0; ; i++) {
      const [job] = await t.boss!.findJobs<object>(QUEUES.countdownBackfill, { id: id! });
      if (job?.state === 'completed') {
        expect((job.output as { backfilled: number }).backfilled).toBeGreaterThanOrEqual(1);
        break;
      }
      if (i > 400 || job?.state === 'failed') throw new Error(`the backfill did not complete: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await lifecycleOf(r.key, c.reporter.cookie)).next).toEqual({ action: 'reminder_1', at: '2026-03-09T08:00:00.000Z' });

    // A later start: the backfill is not queued again (its completed job is kept as the record).
    await t.db.delete(ticketLifecycle).where(eq(ticketLifecycle.ticketId, r.id));
    expect(await queueCountdownBackfill(t.boss!)).toBeNull();
    expect(await t.boss!.findJobs(QUEUES.countdownBackfill)).toHaveLength(1);
    expect(await t.boss!.getQueue(QUEUES.countdownBackfill)).toMatchObject({ deleteAfterSeconds: 0 });
  });
});
