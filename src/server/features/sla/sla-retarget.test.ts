/**
 * Re-targeting when a request changes type or desk (DESIGN.md §2: like a criticality change, from
 * the original start, elapsed and paused time kept; stopped clocks keep their target), through the
 * API with the injected clock. Times in comments are Zurich local time; the instants are UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import { slaClock, slaClockEvent } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
let customer: Awaited<ReturnType<typeof customerOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId, ids.consultingId]);
  customer = await customerOrg(t, { flex: true, project: true });
  const admin = await loginAs(t, 'admin');
  // Solva Flex gets its own targets for Haute: 2 h engagement, 16 h resolution.
  const policies = (await call(t.app, { url: '/api/admin/sla/policies', cookie: admin.cookie })).json();
  const flex = policies.find((p: { requestTypeId: string }) => p.requestTypeId === ids.solvaFlexId);
  const res = await call(t.app, {
    method: 'PUT',
    url: `/api/admin/sla/policies/${ids.solvaFlexId}`,
    cookie: admin.cookie,
    body: { targets: { ...flex.targets, high: { engagement: 120, resolution: 960 } } },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const get = async (key: string, cookie = agent.cookie) => {
  const res = await call(t.app, { url: `/api/requests/${key}`, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const send = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
  const res = await call(t.app, { method, url, cookie: agent.cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
};
const clockEvents = async (ticketId: string) => {
  const clocks = await t.db.select().from(slaClock).where(eq(slaClock.ticketId, ticketId));
  const events = await t.db
    .select()
    .from(slaClockEvent)
    .where(
      inArray(
        slaClockEvent.clockId,
        clocks.map((c) => c.id),
      ),
    )
    .orderBy(asc(slaClockEvent.at));
  return clocks.map((c) => ({ kind: c.kind, events: events.filter((e) => e.clockId === c.id) }));
};
const slaHistory = (detail: { history: { field: string; from: string | null; to: string | null }[] }) =>
  detail.history.filter((h) => h.field.startsWith('sla_')).map((h) => ({ field: h.field, from: h.from, to: h.to }));

describe('a change of request type', () => {
  it('re-targets the running resolution to the new type’s policy from the original start, keeping elapsed and paused time; the stopped engagement keeps its target', async () => {
    t.clock.set('2026-05-04T06:00:00Z'); // Monday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    t.clock.set('2026-05-04T06:30:00Z'); // 08:30: qualified, engagement met after 30 min (target 4 h)
    await send('POST', `/api/requests/${r.key}/qualify`, {});
    t.clock.set('2026-05-04T07:00:00Z'); // 09:00: waiting for the customer (resolution at 1 h)
    await send('POST', `/api/requests/${r.key}/transitions`, { to: 'waiting_customer' });
    t.clock.set('2026-05-04T09:00:00Z'); // 11:00: resumed (2 h paused)
    await send('POST', `/api/requests/${r.key}/transitions`, { to: 'in_progress' });
    t.clock.set('2026-05-04T10:00:00Z'); // 12:00: resolution at 2 h; the type becomes Solva Flex
    await send('PATCH', `/api/requests/${r.key}`, { requestTypeId: ids.solvaFlexId });

    const detail = await get(r.key);
    expect(detail.requestType.id).toBe(ids.solvaFlexId);
    expect(detail.sla.engagement).toMatchObject({ targetMinutes: 240, state: 'met', elapsedMinutes: 30, policyVersion: 1 });
    // 16 h from Monday 08:00 with 2 h paused: 2 h done, Monday afternoon 4.5 h, Tuesday 8.5 h, Wednesday 08:00–09:00.
    expect(detail.sla.resolution).toMatchObject({
      targetMinutes: 960,
      policyVersion: 2,
      elapsedMinutes: 120,
      pausedMinutes: 120,
      state: 'running',
      startedAt: '2026-05-04T06:00:00.000Z',
      deadline: '2026-05-06T07:00:00.000Z',
    });

    const events = await clockEvents(r.id);
    const resolution = events.find((c) => c.kind === 'resolution')!.events;
    expect(resolution.map((e) => e.kind)).toEqual(['start', 'pause', 'resume', 'retarget']);
    expect(resolution.at(-1)!.details).toMatchObject({
      cause: 'request_type',
      from: { policyVersion: 1, targetMinutes: 1440 },
      to: { requestTypeId: ids.solvaFlexId, policyVersion: 2, targetMinutes: 960 },
    });
    expect(events.find((c) => c.kind === 'engagement')!.events.map((e) => e.kind)).toEqual(['start', 'stop']);

    // The request's history tells agents, not customers.
    expect(slaHistory(detail)).toEqual([{ field: 'sla_retarget_request_type', from: 'resolution:1440', to: 'resolution:960' }]);
    expect(slaHistory(await get(r.key, customer.reporter.cookie))).toEqual([]);
    expect((await get(r.key, customer.reporter.cookie)).sla.customer.resolutionTargetedBy).toBe('2026-05-06T07:00:00.000Z');
  });

  it('re-targets both running clocks when the type is changed at qualification, then the criticality change uses the new policy', async () => {
    t.clock.set('2026-05-11T06:00:00Z'); // Monday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'medium' });
    t.clock.set('2026-05-11T06:30:00Z');
    await send('PATCH', `/api/requests/${r.key}`, { requestTypeId: ids.solvaFlexId, criticality: 'high' });
    const { sla } = await get(r.key);
    // Haute under Solva Flex v2: 2 h engagement from 08:00.
    expect(sla.engagement).toMatchObject({ targetMinutes: 120, policyVersion: 2, deadline: '2026-05-11T08:00:00.000Z' });
    expect(sla.resolution).toMatchObject({ targetMinutes: 960, policyVersion: 2 });
    // The type's re-target (Moyenne under Solva Flex), then the criticality's (Haute), each named by
    // its cause. The entries carry the same instant: their order in the history is not defined.
    const byValue = (a: { from: string | null; to: string | null }, b: { from: string | null; to: string | null }) =>
      a.from!.localeCompare(b.from!) || a.to!.localeCompare(b.to!);
    expect(slaHistory(await get(r.key)).sort(byValue)).toEqual([
      { field: 'sla_retarget_criticality', from: 'engagement:480', to: 'engagement:120' },
      { field: 'sla_retarget_request_type', from: 'engagement:480', to: 'engagement:480' },
      { field: 'sla_retarget_request_type', from: 'resolution:4800', to: 'resolution:4800' },
      { field: 'sla_retarget_criticality', from: 'resolution:4800', to: 'resolution:960' },
    ]);
  });
});

describe('a change of criticality alone', () => {
  it('writes its re-targets in the history as a change of criticality, not of request type', async () => {
    t.clock.set('2026-05-12T06:00:00Z'); // Tuesday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    await send('PATCH', `/api/requests/${r.key}`, { criticality: 'low', reason: 'A workaround exists.' });
    const detail = await get(r.key);
    expect(detail.requestType.id).toBe(ids.assistanceId);
    expect(slaHistory(detail).map((h) => h.field)).toEqual(['sla_retarget_criticality', 'sla_retarget_criticality']);
  });
});

describe('a move to another desk', () => {
  it('stops the running clocks unjudged when the new type is not under SLA, and says so in the history', async () => {
    t.clock.set('2026-05-18T06:00:00Z'); // Monday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    t.clock.set('2026-05-18T07:00:00Z');
    await send('POST', `/api/requests/${r.key}/move`, { deskId: ids.consultingId, requestTypeId: ids.projectRequestId, projectId: customer.projectId });
    const { sla, history } = await get(r.key);
    expect(sla.engagement).toMatchObject({ state: 'canceled', outcome: 'canceled', stoppedAt: '2026-05-18T07:00:00.000Z', deadline: null });
    expect(sla.resolution).toMatchObject({ state: 'canceled', outcome: 'canceled' });
    expect(slaHistory({ history })).toEqual([
      { field: 'sla_stopped', from: null, to: expect.stringMatching(/engagement|resolution/) },
      { field: 'sla_stopped', from: null, to: expect.stringMatching(/engagement|resolution/) },
    ]);
    const stops = (await clockEvents(r.id)).flatMap((c) => c.events.filter((e) => e.kind === 'stop'));
    expect(stops.map((e) => e.details)).toEqual([
      expect.objectContaining({ reason: 'request_type_not_under_sla', outcome: 'canceled', elapsedMinutes: 60 }),
      expect.objectContaining({ reason: 'request_type_not_under_sla', outcome: 'canceled', elapsedMinutes: 60 }),
    ]);
  });

  it('starts the clocks at the move when a request without SLA comes to a type under SLA', async () => {
    t.clock.set('2026-05-26T06:00:00Z'); // Tuesday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: customer.projectId, criticality: 'critical' });
    expect((await get(r.key)).sla).toBeNull();
    t.clock.set('2026-05-26T08:00:00Z'); // 10:00: moved to Support, Assistance
    await send('POST', `/api/requests/${r.key}/move`, { deskId: ids.supportId, requestTypeId: ids.assistanceId });
    const { sla } = await get(r.key);
    expect(sla.engagement).toMatchObject({ targetMinutes: 60, startedAt: '2026-05-26T08:00:00.000Z', deadline: '2026-05-26T09:00:00.000Z', state: 'running' });
    // 8 h: 10:00–12:00, 13:30–18:00 (6.5 h), then 1.5 h on Wednesday: 09:30.
    expect(sla.resolution).toMatchObject({ targetMinutes: 480, deadline: '2026-05-27T07:30:00.000Z' });
  });

  it('starts the resolution paused when the request waits for the customer', async () => {
    t.clock.set('2026-06-01T06:00:00Z'); // Monday 08:00
    const r = await openRequest(t, customer.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: customer.projectId, criticality: 'critical' });
    await send('POST', `/api/requests/${r.key}/transitions`, { to: 'waiting_customer' });
    t.clock.set('2026-06-01T07:00:00Z');
    await send('POST', `/api/requests/${r.key}/move`, { deskId: ids.supportId, requestTypeId: ids.assistanceId });
    const { sla } = await get(r.key);
    expect(sla.engagement).toBeNull();
    expect(sla.resolution).toMatchObject({ state: 'paused', elapsedMinutes: 0, deadline: null });
    t.clock.set('2026-06-01T08:00:00Z'); // 10:00: resumed
    await send('POST', `/api/requests/${r.key}/transitions`, { to: 'in_progress' });
    t.clock.set('2026-06-01T09:00:00Z');
    expect((await get(r.key)).sla.resolution).toMatchObject({ state: 'running', elapsedMinutes: 60, pausedMinutes: 60, deadline: '2026-06-02T07:30:00.000Z' });
  });
});
