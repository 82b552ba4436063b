/** The administration of the SLA: calendar, closure days, policies and their versions, the preview. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import type { CalendarConfig } from '../calendar/calendar-config.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: { id: string; cookie: string };
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown, cookie = admin.cookie) => call(t.app, { method, url, cookie, body });
/** The latest audit entry of an action (the tests move the clock back and forth, so not by time alone). */
const lastAudit = async (action: string) => (await t.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.at)).limit(1))[0]!;

describe('the business calendar', () => {
  it('starts with DESIGN’s calendar, refuses bad input naming the field and keeps the previous one', async () => {
    const initial = await api('GET', '/api/admin/sla/calendar');
    expect(initial.statusCode).toBe(200);
    const cal = initial.json() as CalendarConfig;
    expect(cal).toMatchObject({ timeZone: 'Europe/Zurich', holidays: { country: 'CH', region: 'BE' }, eveClosing: '16:00', closureDays: [] });
    expect(cal.weekly[5]).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:30', end: '17:00' },
    ]);

    const bad: [unknown, string][] = [
      [{ ...cal, timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [
        {
          ...cal,
          weekly: {
            ...cal.weekly,
            1: [
              { start: '08:00', end: '12:00' },
              { start: '11:00', end: '14:00' },
            ],
          },
        },
        'weekly.1.1',
      ],
      [{ ...cal, weekly: { ...cal.weekly, 2: [{ start: '12:00', end: '08:00' }] } }, 'weekly.2.0.end'],
      [{ ...cal, holidays: { country: 'CH', region: 'XX' } }, 'holidays.region'],
      [{ ...cal, closureDays: ['2026-02-30'] }, 'closureDays.0'],
      [{ ...cal, closureDays: ['30.01.2026'] }, 'closureDays.0'],
      [{ ...cal, holidays: { country: 'XX' } }, 'holidays.country'],
      [{ ...cal, eveClosing: '4pm' }, 'eveClosing'],
      [{ ...cal, weekly: { ...cal.weekly, 3: [{ start: '8:00', end: '12:00' }] } }, 'weekly.3.0.start'],
      [{ ...cal, weekly: { ...cal.weekly, 4: [{ start: '09:00', end: '09:00' }] } }, 'weekly.4.0.end'],
      [{ ...cal, weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } }, 'weekly'],
    ];
    for (const [body, field] of bad) {
      const res = await api('PUT', '/api/admin/sla/calendar', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect((await api('GET', '/api/admin/sla/calendar')).json()).toEqual(cal);

    const changed = await api('PUT', '/api/admin/sla/calendar', { ...cal, eveClosing: '15:00' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await lastAudit('sla.calendar_changed')).toMatchObject({ action: 'sla.calendar_changed', actorId: admin.id });
    expect((await api('PUT', '/api/admin/sla/calendar', cal)).statusCode).toBe(200);
  });

  it('saves a week with several intervals a day, another zone and no holidays, and running clocks follow it', async () => {
    const cal = (await api('GET', '/api/admin/sla/calendar')).json() as CalendarConfig;
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    t.clock.set('2026-09-07T06:00:00Z'); // Monday 7 September 2026 08:00 in Zurich
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical' });
    const sla = async () => (await call(t.app, { url: `/api/requests/${r.key}`, cookie: agent.cookie })).json().sla;
    expect((await sla()).engagement.deadline).toBe('2026-09-07T07:00:00.000Z');

    // Mondays 08:00–08:30 and 09:00–10:00 only: the remaining 30 minutes of engagement fall at 09:00–09:30.
    const split = [
      { start: '09:00', end: '10:00' },
      { start: '08:00', end: '08:30' },
    ];
    const saved = await api('PUT', '/api/admin/sla/calendar', { ...cal, weekly: { ...cal.weekly, 1: split }, holidays: null, eveClosing: null });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ weekly: { 1: split }, holidays: null, eveClosing: null });
    expect((await sla()).engagement.deadline).toBe('2026-09-07T07:30:00.000Z');

    const zone = await api('PUT', '/api/admin/sla/calendar', { ...cal, weekly: { ...cal.weekly, 1: split }, timeZone: 'Europe/London' });
    expect(zone.statusCode, zone.body).toBe(200);
    // 08:00 London is 07:00Z: the request (06:00Z) starts counting then; 30 min, then 09:00–09:30 London.
    expect((await sla()).engagement.deadline).toBe('2026-09-07T08:30:00.000Z');

    expect((await api('PUT', '/api/admin/sla/calendar', cal)).statusCode).toBe(200);
    expect((await sla()).engagement.deadline).toBe('2026-09-07T07:00:00.000Z');
  });

  it('lists the public holidays of a year (Bern) with the closure days', async () => {
    const res = await api('GET', '/api/admin/sla/holidays/2026');
    expect(res.statusCode).toBe(200);
    const dates = res.json().publicHolidays.map((h: { date: string }) => h.date);
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-04-03', '2026-04-06', '2026-08-01', '2026-12-25']));
    expect(res.json().closureDays).toEqual([]);
  });

  it('re-computes the deadlines of running clocks when a closure day is added or removed', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    t.clock.set('2026-05-04T06:00:00Z'); // Monday 4 May 2026 08:00 CEST
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    const deadlines = async () => (await call(t.app, { url: `/api/requests/${r.key}`, cookie: agent.cookie })).json().sla;
    expect((await deadlines()).engagement.deadline).toBe('2026-05-04T10:00:00.000Z');
    // 24 h: Monday and Tuesday (17 h), then 7 h on Wednesday: 16:30.
    expect((await deadlines()).resolution.deadline).toBe('2026-05-06T14:30:00.000Z');

    const added = await api('POST', '/api/admin/sla/closure-days/2026-05-05');
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().closureDays).toEqual(['2026-05-05']);
    expect(await lastAudit('sla.closure_day_added')).toMatchObject({ action: 'sla.closure_day_added', details: { day: '2026-05-05' } });
    // Tuesday closed: Wednesday and 7 h on Thursday.
    expect((await deadlines()).resolution.deadline).toBe('2026-05-07T14:30:00.000Z');
    expect((await deadlines()).engagement.deadline).toBe('2026-05-04T10:00:00.000Z');

    expect((await api('POST', '/api/admin/sla/closure-days/2026-13-01')).json()).toMatchObject({ field: 'day' });
    expect((await api('DELETE', '/api/admin/sla/closure-days/2026-05-08')).statusCode).toBe(404);
    const removed = await api('DELETE', '/api/admin/sla/closure-days/2026-05-05');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().closureDays).toEqual([]);
    expect((await deadlines()).resolution.deadline).toBe('2026-05-06T14:30:00.000Z');
    expect(await lastAudit('sla.closure_day_removed')).toMatchObject({ action: 'sla.closure_day_removed' });
  });
});

describe('policies', () => {
  it('lists DESIGN’s targets for every type under SLA, refuses a zero or negative target naming it, and versions each change', async () => {
    const list = await api('GET', '/api/admin/sla/policies');
    expect(list.statusCode).toBe(200);
    const assistance = list.json().find((p: { requestTypeId: string }) => p.requestTypeId === ids.assistanceId);
    expect(assistance).toMatchObject({
      underSla: true,
      version: 1,
      targets: {
        critical: { engagement: 60, resolution: 480 },
        high: { engagement: 240, resolution: 1440 },
        medium: { engagement: 480, resolution: 4800 },
        low: { engagement: 960, resolution: 9600 },
      },
    });
    expect(list.json().find((p: { requestTypeId: string }) => p.requestTypeId === ids.projectRequestId)).toMatchObject({ underSla: false });

    const targets = structuredClone(assistance.targets);
    for (const [value, field] of [
      [0, 'targets.high.engagement'],
      [-5, 'targets.high.engagement'],
      [1.5, 'targets.high.engagement'],
    ] as const) {
      const res = await api('PUT', `/api/admin/sla/policies/${ids.assistanceId}`, { targets: { ...targets, high: { ...targets.high, engagement: value } } });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect((await api('PUT', `/api/admin/sla/policies/${ids.assistanceId}`, { targets: { critical: targets.critical } })).json().field).toBe('targets.high');

    // A request created under version 1 keeps its target; one created afterwards gets version 2.
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    t.clock.set('2026-06-01T06:00:00Z'); // Monday 1 June 2026 08:00
    const before = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    const changed = await api('PUT', `/api/admin/sla/policies/${ids.assistanceId}`, { targets: { ...targets, high: { engagement: 120, resolution: 960 } } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, targets: { high: { engagement: 120 } } });
    expect(changed.json().history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    expect(await lastAudit('sla.policy_changed')).toMatchObject({ action: 'sla.policy_changed', targetId: ids.assistanceId, details: { version: 2 } });
    const after = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'high' });
    const sla = async (key: string) => (await call(t.app, { url: `/api/requests/${key}`, cookie: agent.cookie })).json().sla;
    expect((await sla(before.key)).engagement).toMatchObject({ policyVersion: 1, targetMinutes: 240 });
    expect((await sla(after.key)).engagement).toMatchObject({ policyVersion: 2, targetMinutes: 120, deadline: '2026-06-01T08:00:00.000Z' });
    // Re-targeting uses the policy the request started under.
    await call(t.app, { method: 'PATCH', url: `/api/requests/${before.key}`, cookie: agent.cookie, body: { criticality: 'critical' } });
    expect((await sla(before.key)).engagement).toMatchObject({ policyVersion: 1, targetMinutes: 60 });

    expect((await api('PUT', `/api/admin/sla/policies/${ids.assistanceId}`, { targets: assistance.targets })).json().version).toBe(3);
  });

  it('previews the deadlines of the current policy and calendar', async () => {
    const res = await api('POST', '/api/admin/sla/preview', { start: '2026-07-31T13:45:00Z', requestTypeId: ids.solvaFlexId, criticality: 'critical' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      start: '2026-07-31T13:45:00.000Z',
      countingFrom: '2026-07-31T13:45:00.000Z',
      policyVersion: 1,
      engagementMinutes: 60,
      resolutionMinutes: 480,
      engagementDeadline: '2026-08-03T06:45:00.000Z',
      resolutionDeadline: '2026-08-03T15:15:00.000Z',
    });
    // Saturday evening: counting starts Monday 08:00.
    const weekend = await api('POST', '/api/admin/sla/preview', { start: '2026-02-07T18:00:00Z', requestTypeId: ids.solvaFlexId, criticality: 'critical' });
    expect(weekend.json()).toMatchObject({ countingFrom: '2026-02-09T07:00:00.000Z', engagementDeadline: '2026-02-09T08:00:00.000Z' });
    const notUnder = await api('POST', '/api/admin/sla/preview', { start: '2026-02-07T18:00:00Z', requestTypeId: ids.projectRequestId, criticality: 'low' });
    expect(notUnder.statusCode).toBe(400);
    expect(notUnder.json().field).toBe('requestTypeId');
    const agent = await loginAs(t, 'agent');
    expect(
      (await api('POST', '/api/admin/sla/preview', { start: '2026-02-07T18:00:00Z', requestTypeId: ids.solvaFlexId, criticality: 'low' }, agent.cookie))
        .statusCode,
    ).toBe(403);
  });
});

describe('the API reference', () => {
  it('documents the SLA and escalation routes', async () => {
    const res = await call(t.app, { url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/admin/sla/calendar',
      '/api/admin/sla/closure-days/{day}',
      '/api/admin/sla/policies/{requestTypeId}',
      '/api/admin/sla/preview',
      '/api/escalation',
      '/api/admin/escalation/{deskId}',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
