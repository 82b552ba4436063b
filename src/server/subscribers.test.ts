/**
 * The reactions of features to a request's changes are wired in one file (subscribers.ts),
 * in the order the commands relied on, and all run in the command's transaction; a status change
 * made through the command moves the SLA clocks and the closure countdown through them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { slaClock, slaClockEvent, ticket } from './db/schema.ts';
import { ticketLifecycle } from './db/schema.ts';
import { call, createTestApp, type TestApp } from '../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../tests/support/ticket-fixtures.ts';
import type { EventType } from './events/catalog.ts';
import { subscribersOf } from './events/publish.ts';
import { SUBSCRIBERS } from './subscribers.ts';

describe('the subscriber registry', () => {
  it('lists each event’s reactions in the order they must run', () => {
    const names = (type: EventType) => subscribersOf(type).map((s) => s.name);
    expect(names('request.created')).toEqual(['sla.start-clocks', 'mail.acknowledge-creation', 'webhooks.request-created']);
    // The clocks and the countdown first; the survey invitation before the status e-mail, as before.
    expect(names('request.status_changed')).toEqual([
      'sla.status-change',
      'lifecycle.restart-countdown',
      'survey.ask-on-closure',
      'mail.status-change',
      'webhooks.request-status-changed',
    ]);
    expect(names('request.criticality_changed')).toEqual(['sla.retarget-criticality', 'mail.criticality-change', 'webhooks.request-criticality-changed']);
    expect(names('request.type_changed')).toEqual(['sla.retarget-request-type', 'webhooks.request-type-changed']);
    expect(names('message.added')).toEqual([
      'mail.public-reply',
      'mail.reply-to-assignee',
      'sla.first-public-reply',
      'lifecycle.restart-countdown-on-reply',
      'webhooks.message-created',
    ]);
    expect(names('calendar.changed')).toEqual(['sla.recompute-deadlines', 'flex.billing-follows-zone']);
    // The webhooks' outbox rows are written with the change, last (they read the request as the change left it).
    expect(names('sla.threshold_reached')).toEqual(['webhooks.sla-threshold']);
    expect(names('flex.balance_low')).toEqual(['webhooks.flex-balance-low']);
    expect(names('survey.answered')).toEqual(['webhooks.survey-answered']);
  });

  it('runs every reaction in the transaction of the change, but the billing schedule, which follows a committed calendar', () => {
    expect(SUBSCRIBERS.length).toBeGreaterThan(0);
    for (const s of SUBSCRIBERS) expect(s.phase, s.name).toBe(s.name === 'flex.billing-follows-zone' ? 'after_commit' : 'in_transaction');
    expect(new Set(SUBSCRIBERS.map((s) => s.name)).size).toBe(SUBSCRIBERS.length);
  });
});

describe('a status change through the command (POST …/transitions)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clockStart: '2026-02-02T08:00:00Z' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('pauses the resolution clock, stops engagement and starts the countdown, with the change', async () => {
    const ids = await catalog(t);
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const clocks = await t.db.select().from(slaClock).where(eq(slaClock.ticketId, r.id));
    expect(clocks.map((k) => k.kind).sort()).toEqual(['engagement', 'resolution']);

    t.clock.set('2026-02-02T09:00:00Z');
    const res = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/transitions`, cookie: agent.cookie, body: { to: 'waiting_customer' } });
    expect(res.statusCode, res.body).toBe(200);

    const kindsOf = async (kind: string) => {
      const clock = clocks.find((k) => k.kind === kind)!;
      return (
        await t.db
          .select({ kind: slaClockEvent.kind })
          .from(slaClockEvent)
          .where(eq(slaClockEvent.clockId, clock.id))
          .orderBy(asc(slaClockEvent.at), asc(slaClockEvent.id))
      ).map((e) => e.kind);
    };
    expect(await kindsOf('engagement')).toEqual(['start', 'stop']);
    expect(await kindsOf('resolution')).toEqual(['start', 'pause']);
    const [resolution] = await t.db
      .select()
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, r.id), eq(slaClock.kind, 'resolution')));
    expect(resolution!.pausedAt).toEqual(new Date('2026-02-02T09:00:00Z'));

    const [countdown] = await t.db.select().from(ticketLifecycle).where(eq(ticketLifecycle.ticketId, r.id));
    expect(countdown).toMatchObject({ nextAction: 'reminder_1', since: new Date('2026-02-02T09:00:00Z') });
    const [row] = await t.db.select({ status: ticket.status }).from(ticket).where(eq(ticket.id, r.id));
    expect(row!.status).toBe('waiting_customer');
  });
});
