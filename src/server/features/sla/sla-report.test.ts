/**
 * The SLA report (administrators): clocks judged through real requests with the injected clock,
 * counted per month in Zurich time, desk and criticality; the CSV for Excel; bad ranges refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { desk } from '../../db/schema.ts';
import { call, createOrganization, createUser, login, loginAs, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: { cookie: string };
let agent: Awaited<ReturnType<typeof agentOf>>;
let customer: Awaited<ReturnType<typeof customerOrg>>;

const at = (instant: string) => t.clock.set(instant);
const act = async (url: string, body: unknown, cookie = agent.cookie) => {
  const res = await call(t.app, { method: 'POST', url, cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
};
const open = (criticality: string) => openRequest(t, customer.reporter.cookie, { requestTypeId: ids.assistanceId, criticality });
const report = (query: string, cookie = admin.cookie) => call(t.app, { url: `/api/admin/sla/report?${query}`, cookie });

beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-01-05T06:00:00Z' });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
  agent = await agentOf(t, [ids.supportId]);
  customer = await customerOrg(t);

  // January, Critique. A: engagement met after 30 min, resolution met after 90 min.
  at('2026-01-05T07:00:00Z'); // Monday 08:00
  const a = await open('critical');
  at('2026-01-05T07:30:00Z');
  await act(`/api/requests/${a.key}/qualify`, {});
  at('2026-01-05T08:30:00Z');
  await act(`/api/requests/${a.key}/transitions`, { to: 'resolved' });

  // B: engagement breached after 2 h; resolution breached after 9.5 h (Tuesday 8.5 h, Wednesday 1 h).
  at('2026-01-06T07:00:00Z'); // Tuesday 08:00
  const b = await open('critical');
  at('2026-01-06T09:00:00Z');
  await act(`/api/requests/${b.key}/qualify`, {});
  at('2026-01-07T08:00:00Z'); // Wednesday 09:00
  await act(`/api/requests/${b.key}/transitions`, { to: 'resolved' });

  // C: canceled by the customer: not judged, not counted.
  const c = await open('critical');
  at('2026-01-07T09:00:00Z');
  await act(`/api/requests/${c.key}/transitions`, { to: 'canceled' }, customer.reporter.cookie);

  // D: Basse, opened Friday 30 January 16:00, qualified Saturday 00:30 on 1 February in Zurich (still January in UTC): counted in February, 60 min.
  at('2026-01-30T15:00:00Z');
  const d = await open('low');
  at('2026-01-31T23:30:00Z');
  await act(`/api/requests/${d.key}/qualify`, {});

  // E: February, Haute: engagement met after 1 h; resolution still running (not judged).
  at('2026-02-02T07:00:00Z');
  const e = await open('high');
  at('2026-02-02T08:00:00Z');
  await act(`/api/requests/${e.key}/qualify`, {});
  at('2026-02-10T10:00:00Z');
});
afterAll(async () => {
  await t.close();
});

describe('the SLA report', () => {
  it('counts met and breached clocks per month (Zurich), desk and criticality, with average business times; canceled and running clocks are left out', async () => {
    const res = await report('from=2026-01&to=2026-02');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-01', to: '2026-02', deskId: null, timeZone: 'Europe/Zurich' });
    const zero = {
      engagementMet: 0,
      engagementBreached: 0,
      resolutionMet: 0,
      resolutionBreached: 0,
      averageEngagementMinutes: null,
      averageResolutionMinutes: null,
    };
    expect(body.rows).toEqual([
      {
        ...zero,
        month: '2026-01',
        deskId: ids.supportId,
        deskName: expect.any(String),
        criticality: 'critical',
        engagementMet: 1,
        engagementBreached: 1,
        resolutionMet: 1,
        resolutionBreached: 1,
        averageEngagementMinutes: 75,
        averageResolutionMinutes: 330,
      },
      { ...zero, month: '2026-02', deskId: ids.supportId, deskName: expect.any(String), criticality: 'high', engagementMet: 1, averageEngagementMinutes: 60 },
      { ...zero, month: '2026-02', deskId: ids.supportId, deskName: expect.any(String), criticality: 'low', engagementMet: 1, averageEngagementMinutes: 60 },
    ]);

    // One month, and one desk.
    expect((await report('from=2026-02&to=2026-02')).json().rows.map((r: { criticality: string }) => r.criticality)).toEqual(['high', 'low']);
    expect((await report(`from=2026-01&to=2026-02&deskId=${ids.supportId}`)).json().rows).toHaveLength(3);
    expect((await report(`from=2026-01&to=2026-02&deskId=${ids.consultingId}`)).json()).toMatchObject({ deskId: ids.consultingId, rows: [] });
  });

  it('refuses an inverted, future-only, too long or malformed range, naming the field', async () => {
    const refused: [string, string][] = [
      ['from=2026-02&to=2026-01', 'to'],
      ['from=2026-03&to=2026-04', 'from'], // the clock is in February 2026
      ['from=2020-01&to=2026-01', 'to'],
      ['from=2026-13&to=2026-12', 'from'],
      ['from=2026-1&to=2026-02', 'from'],
      ['to=2026-02', 'from'],
      ['from=2026-01&to=2026-02&deskId=nope', 'deskId'],
    ];
    for (const [query, field] of refused) {
      const res = await report(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().field, query).toBe(field);
    }
    // A range reaching into the future is fine while it starts in the past.
    expect((await report('from=2026-02&to=2026-06')).statusCode).toBe(200);
  });

  it('downloads as CSV for Excel: BOM, header row in the administrator’s language, fields escaped', async () => {
    const [support] = await t.db.select().from(desk).where(eq(desk.id, ids.supportId));
    await t.db
      .update(desk)
      .set({ names: { fr: 'Support, "N1"', de: 'Support, "N1"', en: 'Support, "N1"' } })
      .where(eq(desk.id, ids.supportId));
    try {
      const res = await call(t.app, { url: '/api/admin/sla/report.csv?from=2026-01&to=2026-02', cookie: admin.cookie });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="sla-report-2026-01-2026-02.csv"');
      const bytes = res.rawPayload;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      // The test administrator reads English.
      expect(lines[0]).toBe(
        'Month,Desk,Criticality,Engagement met,Engagement breached,Average engagement (business minutes),Resolution met,Resolution breached,Average resolution (business minutes)',
      );
      expect(lines.slice(1)).toEqual([
        '2026-01,"Support, ""N1""",Critical,1,1,75,1,1,330',
        '2026-02,"Support, ""N1""",High,1,0,60,0,0,',
        '2026-02,"Support, ""N1""",Low,1,0,60,0,0,',
        '',
      ]);
      expect((await call(t.app, { url: '/api/admin/sla/report.csv?from=2026-02&to=2026-01', cookie: admin.cookie })).json().field).toBe('to');
    } finally {
      await t.db.update(desk).set({ names: support!.names }).where(eq(desk.id, ids.supportId));
    }
  });

  it('is for administrators only', async () => {
    const org = await createOrganization(t, 'Other');
    const someone = await createUser(t, { organizationId: org.id });
    for (const cookie of [agent.cookie, customer.reporter.cookie, await login(t, someone.email)]) {
      expect((await report('from=2026-01&to=2026-02', cookie)).statusCode).toBe(403);
      expect((await call(t.app, { url: '/api/admin/sla/report.csv?from=2026-01&to=2026-02', cookie })).statusCode).toBe(403);
    }
    expect((await call(t.app, { url: '/api/admin/sla/report?from=2026-01&to=2026-02' })).statusCode).toBe(401);
  });
});
