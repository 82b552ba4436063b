import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { ManualClock } from '../../clock.ts';
import { auditLog, flexContractWindow, organization } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { isFlexContractActive, windowsCover } from './flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';
import { loadCalendarConfig, saveCalendarConfig } from '../calendar/calendar-store.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-06-15T10:00:00Z' });
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const contractUrl = (orgId: string) => `/api/admin/organizations/${orgId}/flex-contract`;
const getContract = (orgId: string) => call(t.app, { url: contractUrl(orgId), cookie: admin.cookie });
const addWindow = (orgId: string, body: unknown) => call(t.app, { method: 'POST', url: `${contractUrl(orgId)}/windows`, cookie: admin.cookie, body });
const removeWindow = (orgId: string, windowId: string) =>
  call(t.app, { method: 'DELETE', url: `${contractUrl(orgId)}/windows/${windowId}`, cookie: admin.cookie });
const windowsOf = (orgId: string) => t.db.select().from(flexContractWindow).where(eq(flexContractWindow.organizationId, orgId));
const auditsOf = (orgId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'organization'), eq(auditLog.targetId, orgId)));

describe('today on the business calendar', () => {
  it('is the date in the calendar’s zone (Europe/Zurich by default), not in UTC or the server time zone', async () => {
    const at = (iso: string) => businessToday(t.db, new ManualClock(iso));
    expect(await at('2026-06-15T10:00:00Z')).toBe('2026-06-15');
    // Winter (UTC+1) and summer (UTC+2) midnights.
    expect(await at('2026-12-31T22:59:59Z')).toBe('2026-12-31');
    expect(await at('2026-12-31T23:00:00Z')).toBe('2027-01-01');
    expect(await at('2026-06-30T21:59:59Z')).toBe('2026-06-30');
    expect(await at('2026-06-30T22:00:00Z')).toBe('2026-07-01');
    // The night clocks go forward (29 March 2026) and back (25 October 2026).
    expect(await at('2026-03-28T23:30:00Z')).toBe('2026-03-29');
    expect(await at('2026-10-24T22:30:00Z')).toBe('2026-10-25');
  });

  it('follows the calendar when an administrator changes its zone', async () => {
    const saved = await loadCalendarConfig(t.db);
    const instant = new ManualClock('2026-06-15T02:00:00Z');
    expect(await businessToday(t.db, instant)).toBe('2026-06-15');
    await saveCalendarConfig(t.db, { ...saved, timeZone: 'America/New_York' }, new Date(), null);
    try {
      expect(await businessToday(t.db, instant)).toBe('2026-06-14');
    } finally {
      await saveCalendarConfig(t.db, saved, new Date(), null);
    }
  });

  it('a window covers its first and last days', () => {
    const windows = [{ startsOn: '2026-01-01', endsOn: '2026-03-31' }];
    expect(['2025-12-31', '2026-01-01', '2026-03-31', '2026-04-01'].map((day) => windowsCover(windows, day))).toEqual([false, true, true, false]);
  });
});

describe('Flex contract windows', () => {
  it('adds windows, says whether one covers today, and audits each addition', async () => {
    const org = await createOrganization(t, 'Flexible');
    const empty = await getContract(org.id);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ organizationId: org.id, active: false, windows: [] });

    const future = await addWindow(org.id, { startsOn: '2027-01-01', endsOn: '2027-12-31' });
    expect(future.statusCode).toBe(201);
    expect(future.json()).toMatchObject({ active: false, windows: [{ startsOn: '2027-01-01', endsOn: '2027-12-31' }] });

    const current = await addWindow(org.id, { startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect(current.statusCode).toBe(201);
    const contract = current.json();
    expect(contract.active).toBe(true);
    expect(contract.windows.map((w: { startsOn: string }) => w.startsOn)).toEqual(['2026-01-01', '2027-01-01']);
    expect(contract.windows[0]).toEqual({ id: expect.any(String), organizationId: org.id, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect((await getContract(org.id)).json()).toEqual(contract);

    const audits = await auditsOf(org.id);
    expect(audits.map((a) => a.action)).toEqual(['flex_window.added', 'flex_window.added']);
    expect(audits.map((a) => a.details)).toContainEqual({ windowId: contract.windows[0].id, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect(audits[0]!.actorId).toBe(admin.id);
  });

  it('is active from the first to the last day of a window, in Zurich', async () => {
    const org = await createOrganization(t);
    await addWindow(org.id, { startsOn: '2026-03-01', endsOn: '2026-03-31' });
    const active = (iso: string) => {
      t.clock.set(iso);
      return getContract(org.id).then((r) => r.json().active as boolean);
    };
    try {
      expect(await active('2026-02-28T22:59:00Z')).toBe(false); // 23:59 on 28 February in Zurich
      expect(await active('2026-02-28T23:00:00Z')).toBe(true); // midnight, 1 March in Zurich
      expect(await active('2026-03-31T21:59:00Z')).toBe(true); // 23:59 on 31 March (summer time)
      expect(await active('2026-03-31T22:00:00Z')).toBe(false);
    } finally {
      t.clock.set('2026-06-15T10:00:00Z');
    }
    expect(await isFlexContractActive(t.db, org.id, '2026-03-01')).toBe(true);
    expect(await isFlexContractActive(t.db, org.id, '2026-03-31')).toBe(true);
    expect(await isFlexContractActive(t.db, org.id, '2026-04-01')).toBe(false);
    expect(await isFlexContractActive(t.db, org.id, '2026-02-28')).toBe(false);
    // Another organization's windows do not count.
    expect(await isFlexContractActive(t.db, (await createOrganization(t)).id, '2026-03-15')).toBe(false);
  });

  it('refuses an inverted window and malformed dates, naming the field, and writes nothing', async () => {
    const org = await createOrganization(t);
    const inverted = await addWindow(org.id, { startsOn: '2026-05-01', endsOn: '2026-04-30' });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json()).toMatchObject({ code: 'flex.window_inverted', field: 'endsOn' });
    // A one-day window is fine.
    expect((await addWindow(org.id, { startsOn: '2026-05-01', endsOn: '2026-05-01' })).statusCode).toBe(201);

    const cases: [unknown, string][] = [
      [{ startsOn: '2026-02-30', endsOn: '2026-03-01' }, 'startsOn'],
      [{ startsOn: '2026-01-01', endsOn: '31.12.2026' }, 'endsOn'],
      [{ startsOn: '2026-01-01' }, 'endsOn'],
      [{ startsOn: '2026-01-01', endsOn: '2026-01-02', hours: 10 }, 'hours'],
    ];
    for (const [body, field] of cases) {
      const res = await addWindow(org.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect(await windowsOf(org.id)).toHaveLength(1);
    expect(await auditsOf(org.id)).toHaveLength(1);
  });

  it("refuses a window overlapping one of the organization's, even by a day; adjacent windows and other organizations' are fine", async () => {
    const org = await createOrganization(t);
    expect((await addWindow(org.id, { startsOn: '2026-01-01', endsOn: '2026-06-30' })).statusCode).toBe(201);
    for (const body of [
      { startsOn: '2026-06-30', endsOn: '2026-12-31' },
      { startsOn: '2025-07-01', endsOn: '2026-01-01' },
      { startsOn: '2026-02-01', endsOn: '2026-02-28' },
      { startsOn: '2025-01-01', endsOn: '2027-01-01' },
    ]) {
      const res = await addWindow(org.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.json()).toMatchObject({ code: 'flex.window_overlap', field: 'startsOn' });
      expect(res.json().message).toContain('2026-01-01');
    }
    expect(await windowsOf(org.id)).toHaveLength(1);
    expect(await auditsOf(org.id)).toHaveLength(1);

    expect((await addWindow(org.id, { startsOn: '2026-07-01', endsOn: '2026-12-31' })).statusCode).toBe(201);
    expect((await addWindow(org.id, { startsOn: '2025-01-01', endsOn: '2025-12-31' })).statusCode).toBe(201);
    const other = await createOrganization(t);
    expect((await addWindow(other.id, { startsOn: '2026-01-01', endsOn: '2026-06-30' })).statusCode).toBe(201);
  });

  it('accepts exactly one of several overlapping windows added at the same time', async () => {
    const org = await createOrganization(t);
    const results = await Promise.all(
      ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((startsOn) => addWindow(org.id, { startsOn, endsOn: '2026-12-31' })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect(await windowsOf(org.id)).toHaveLength(1);
  });

  it('removes a window and audits it; a window of another organization or an unknown one is a 404', async () => {
    const org = await createOrganization(t);
    const other = await createOrganization(t);
    const contract = (await addWindow(org.id, { startsOn: '2026-01-01', endsOn: '2026-12-31' })).json();
    const otherWindow = (await addWindow(other.id, { startsOn: '2026-01-01', endsOn: '2026-12-31' })).json().windows[0];
    const windowId = contract.windows[0].id;

    const foreign = await removeWindow(org.id, otherWindow.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('flex_window.not_found');
    expect(await windowsOf(other.id)).toHaveLength(1);

    const res = await removeWindow(org.id, windowId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ organizationId: org.id, active: false, windows: [] });
    const audits = (await auditsOf(org.id)).filter((a) => a.action === 'flex_window.removed');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.id, details: { windowId, startsOn: '2026-01-01', endsOn: '2026-12-31' } });

    const again = await removeWindow(org.id, windowId);
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('flex_window.not_found');
  });

  it('answers 404 for an unknown organization', async () => {
    const ghost = randomUUID();
    for (const res of [
      await getContract(ghost),
      await addWindow(ghost, { startsOn: '2026-01-01', endsOn: '2026-01-31' }),
      await removeWindow(ghost, randomUUID()),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('organization.not_found');
    }
    expect(await windowsOf(ghost)).toHaveLength(0);
    expect((await getContract('nope')).json().field).toBe('id');
  });
});

describe('organization settings', () => {
  const patchSettings = (orgId: string, body: unknown) =>
    call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${orgId}/settings`, cookie: admin.cookie, body });

  it('turns "own requests only" on and off, shows it on the organization, and audits each change', async () => {
    const org = await createOrganization(t, 'Private');
    expect((await call(t.app, { url: `/api/admin/organizations/${org.id}`, cookie: admin.cookie })).json().ownRequestsOnly).toBe(false);
    const on = await patchSettings(org.id, { ownRequestsOnly: true });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ id: org.id, name: 'Private', ownRequestsOnly: true });
    expect((await call(t.app, { url: `/api/admin/organizations/${org.id}`, cookie: admin.cookie })).json().ownRequestsOnly).toBe(true);

    expect((await patchSettings(org.id, { ownRequestsOnly: true })).statusCode).toBe(200);
    expect((await patchSettings(org.id, { ownRequestsOnly: false })).json().ownRequestsOnly).toBe(false);
    const audits = (await auditsOf(org.id)).filter((a) => a.action === 'organization.settings_changed');
    expect(audits.map((a) => a.details)).toEqual(
      expect.arrayContaining([
        { from: { ownRequestsOnly: false }, to: { ownRequestsOnly: true } },
        { from: { ownRequestsOnly: true }, to: { ownRequestsOnly: false } },
      ]),
    );
    expect(audits).toHaveLength(2);
  });

  it('refuses bad input and an unknown organization, changing nothing', async () => {
    const org = await createOrganization(t);
    for (const [body, field] of [
      [{ ownRequestsOnly: 'yes' }, 'ownRequestsOnly'],
      [{}, 'ownRequestsOnly'],
      [{ ownRequestsOnly: true, name: 'Renamed' }, 'name'],
    ] as const) {
      const res = await patchSettings(org.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    const [row] = await t.db.select().from(organization).where(eq(organization.id, org.id));
    expect(row).toMatchObject({ ownRequestsOnly: false, name: 'Test Org' });
    expect(await auditsOf(org.id)).toHaveLength(0);

    const missing = await patchSettings(randomUUID(), { ownRequestsOnly: true });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('organization.not_found');
  });
});
