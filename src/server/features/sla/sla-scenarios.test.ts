/**
 * The deadlines of DESIGN.md §2, through the API, with the injected clock moved by hand.
 * Times in the comments are Zurich local time; the instants asserted are UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { slaClock, slaClockEvent, ticket } from '../../db/schema.ts';
import { slaAtRisk, slaBreached } from '../tickets/queues.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
let customer: Awaited<ReturnType<typeof customerOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId]);
  customer = await customerOrg(t);
});
afterAll(async () => {
  await t.close();
});

const get = async (key: string, cookie = agent.cookie) => {
  const res = await call(t.app, { url: `/api/requests/${key}`, cookie });
  expect(res.statusCode).toBe(200);
  return res.json();
};
const post = async (url: string, body: unknown, cookie = agent.cookie) => {
  const res = await call(t.app, { method: 'POST', url, cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
};
const patch = async (url: string, body: unknown) => {
  const res = await call(t.app, { method: 'PATCH', url, cookie: agent.cookie, body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const openAt = async (at: string, criticality: string) => {
  t.clock.set(at);
  return openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality });
};

describe('deadlines in business time', () => {
  it('Critique at 15:45 on Friday 31 July 2026: the eve of 1 August closes at 16:00, so engagement is due Monday 08:45', async () => {
    const r = await openAt('2026-07-31T13:45:00Z', 'critical');
    const { sla } = await get(r.key);
    expect(sla.engagement).toMatchObject({
      targetMinutes: 60,
      elapsedMinutes: 0,
      remainingMinutes: 60,
      state: 'running',
      deadline: '2026-08-03T06:45:00.000Z',
      policyVersion: 1,
    });
    // 15 min on Friday, 4 h Monday morning, 3 h 45 Monday afternoon: 17:15.
    expect(sla.resolution).toMatchObject({ targetMinutes: 480, state: 'running', deadline: '2026-08-03T15:15:00.000Z' });

    // Saturday (the holiday) counts nothing: at Monday 08:30 engagement has used 45 minutes and is at risk.
    t.clock.set('2026-08-03T06:30:00Z');
    const monday = (await get(r.key)).sla;
    expect(monday.engagement).toMatchObject({ elapsedMinutes: 45, remainingMinutes: 15, state: 'at_risk' });

    // The customer sees the commitments, not the clocks.
    const seen = (await get(r.key, customer.reporter.cookie)).sla;
    expect(seen).toEqual({
      customer: {
        answerExpectedBy: '2026-08-03T06:45:00.000Z',
        answeredAt: null,
        resolutionTargetedBy: '2026-08-03T15:15:00.000Z',
        pausedWaitingForYou: false,
      },
    });
  });

  it('Haute on Maundy Thursday 2026 at 15:00: business ends at 16:00, Good Friday and Easter Monday are closed', async () => {
    const r = await openAt('2026-04-02T13:00:00Z', 'high');
    const { sla } = await get(r.key);
    // 1 h on Thursday, then Tuesday 7 April 08:00 + 3 h.
    expect(sla.engagement.deadline).toBe('2026-04-07T09:00:00.000Z');
    // 1 h + 8.5 h (Tue) + 8.5 h (Wed) + 6 h on Thursday 9 April: 15:30.
    expect(sla.resolution.deadline).toBe('2026-04-09T13:30:00.000Z');
  });

  it('Basse across the October 2026 change to winter time', async () => {
    // Friday 23 October 16:00 (CEST, UTC+2).
    const r = await openAt('2026-10-23T14:00:00Z', 'low');
    const { sla } = await get(r.key);
    // 1 h Friday, 8.5 h Monday, 6.5 h Tuesday 27 October: 16:00 CET (UTC+1).
    expect(sla.engagement.deadline).toBe('2026-10-27T15:00:00.000Z');
    // 160 h: four weeks of 41.5 h leave 0.5 h on Friday 20 November: 08:30 CET.
    expect(sla.resolution.deadline).toBe('2026-11-20T07:30:00.000Z');
    // Monday 26 October 09:00 CET: 1 h on Friday and 1 h that morning — not 0 nor 2 because of the extra hour of the night.
    t.clock.set('2026-10-26T08:00:00Z');
    expect((await get(r.key)).sla.engagement.elapsedMinutes).toBe(120);
  });

  it('Haute paused twice, lowered to Moyenne, resolved, then reopened', async () => {
    // Monday 2 February 2026 08:00 CET.
    const r = await openAt('2026-02-02T07:00:00Z', 'high');
    const key = r.key;
    t.clock.set('2026-02-02T08:00:00Z'); // 09:00: qualified, engagement met after 1 h
    await post(`/api/requests/${key}/qualify`, {});
    t.clock.set('2026-02-02T09:00:00Z'); // 10:00: waiting for the customer (resolution at 2 h)
    await post(`/api/requests/${key}/transitions`, { to: 'waiting_customer' });
    const paused = (await get(key)).sla;
    expect(paused.resolution).toMatchObject({ state: 'paused', deadline: null, elapsedMinutes: 120 });
    expect((await get(key, customer.reporter.cookie)).sla.customer).toMatchObject({
      pausedWaitingForYou: true,
      resolutionTargetedBy: null,
      answeredAt: '2026-02-02T08:00:00.000Z',
    });

    t.clock.set('2026-02-03T09:00:00Z'); // Tuesday 10:00: the customer replies, resolution resumes
    await post(`/api/requests/${key}/messages`, { body: 'Here are the logs.' }, customer.reporter.cookie);
    t.clock.set('2026-02-03T10:00:00Z'); // 11:00 (3 h): waiting again
    await post(`/api/requests/${key}/transitions`, { to: 'waiting_customer' });
    t.clock.set('2026-02-03T13:30:00Z'); // 14:30: resumed by the agent
    await post(`/api/requests/${key}/transitions`, { to: 'in_progress' });

    t.clock.set('2026-02-03T14:30:00Z'); // 15:30: 4 h elapsed, 10.5 h paused
    const before = (await get(key)).sla;
    expect(before.resolution).toMatchObject({ elapsedMinutes: 240, pausedMinutes: 630, targetMinutes: 1440, deadline: '2026-02-06T07:30:00.000Z' });

    await patch(`/api/requests/${key}`, { criticality: 'medium', reason: 'A workaround exists.' });
    const lowered = (await get(key)).sla;
    // Re-targeted from the original start, elapsed and paused time kept: 76 h left from Tuesday 15:30 → Monday 16 February 17:00.
    expect(lowered.resolution).toMatchObject({
      criticality: 'medium',
      targetMinutes: 4800,
      elapsedMinutes: 240,
      pausedMinutes: 630,
      deadline: '2026-02-16T16:00:00.000Z',
    });
    // Engagement had stopped: it keeps the target it was judged by.
    expect(lowered.engagement).toMatchObject({ criticality: 'high', targetMinutes: 240, elapsedMinutes: 60, state: 'met', outcome: 'met' });

    t.clock.set('2026-02-04T09:00:00Z'); // Wednesday 10:00: resolved after 8.5 h
    await post(`/api/requests/${key}/transitions`, { to: 'resolved' });
    t.clock.set('2026-02-05T08:00:00Z'); // Thursday 09:00: reopened
    await post(`/api/requests/${key}/transitions`, { to: 'in_progress' });

    const reopened = (await get(key)).sla;
    const cycles = reopened.clocks.filter((c: { kind: string }) => c.kind === 'resolution');
    expect(cycles).toHaveLength(2);
    expect(cycles[0]).toMatchObject({
      cycle: 1,
      state: 'met',
      outcome: 'met',
      elapsedMinutes: 510,
      targetMinutes: 4800,
      stoppedAt: '2026-02-04T09:00:00.000Z',
      deadline: null,
    });
    // The full Moyenne target from the reopen: 80 h from Thursday 09:00 → Wednesday 18 February 16:00.
    expect(cycles[1]).toMatchObject({ cycle: 2, state: 'running', elapsedMinutes: 0, targetMinutes: 4800, deadline: '2026-02-18T15:00:00.000Z' });
    expect(reopened.resolution.cycle).toBe(2);

    // The clock's story is kept as events.
    const [first] = await t.db.select().from(slaClock).where(eq(slaClock.ticketId, r.id)).orderBy(asc(slaClock.kind), asc(slaClock.cycle)).offset(1).limit(1);
    const events = await t.db
      .select({ kind: slaClockEvent.kind })
      .from(slaClockEvent)
      .where(eq(slaClockEvent.clockId, first!.id))
      .orderBy(asc(slaClockEvent.at));
    expect(events.map((e) => e.kind)).toEqual(['start', 'pause', 'resume', 'pause', 'resume', 'retarget', 'stop']);
  });

  it('a request type not under SLA has no clocks', async () => {
    const c = await customerOrg(t, { project: true });
    t.clock.set('2026-02-02T07:00:00Z');
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: c.projectId, criticality: 'high' });
    expect((await get(r.key, c.reporter.cookie)).sla).toBeNull();
  });

  it('puts a request in the workspace’s “at risk” queue past 75 % of a target, and in “breached” past its deadline', async () => {
    const critical = await openAt('2026-09-07T06:00:00Z', 'critical'); // Monday 7 September 08:00
    const low = await openAt('2026-09-07T06:00:00Z', 'low');
    const keys = [critical.key, low.key];
    const inQueue = async (condition: ReturnType<typeof slaAtRisk>) =>
      (
        await t.db
          .select({ key: ticket.key })
          .from(ticket)
          .where(and(inArray(ticket.key, keys), condition))
      ).map((r) => r.key);
    t.clock.set('2026-09-07T06:50:00Z');
    expect(await inQueue(slaAtRisk(t.clock.now()))).toEqual([critical.key]);
    expect(await inQueue(slaBreached(t.clock.now()))).toEqual([]);
    t.clock.set('2026-09-07T07:05:00Z');
    expect(await inQueue(slaAtRisk(t.clock.now()))).toEqual([]);
    expect(await inQueue(slaBreached(t.clock.now()))).toEqual([critical.key]);
  });
});
