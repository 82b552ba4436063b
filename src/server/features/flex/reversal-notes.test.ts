/**
 * A reversal of billed time carries two texts: the administrator's reason, for Customer Services
 * only, and an optional note written for the customer. Customers read that note, or no reason at
 * all, on their statement and in its CSV; staff read both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-03-10T09:00:00Z' });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const STAFF_REASON = 'Agent logged it twice — his third mistake this month';
const CUSTOMER_NOTE = 'Time logged twice by mistake; given back.';

const post = async (url: string, cookie: string, body: unknown) => {
  const res = await call(t.app, { method: 'POST', url, cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
};
const get = async (url: string, cookie: string) => {
  const res = await call(t.app, { url, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};

/** Two billed entries on a Solva Flex request, reversed: one with a note for the customer, one without. */
async function reversedTime() {
  const c = await customerOrg(t, { flex: true });
  const agent = await agentOf(t, [ids.supportId]);
  await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, admin.cookie, { purchasedOn: '2026-03-01', hours: 4, reference: 'PO-7' });
  const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.solvaFlexId, summary: 'New invoice layout' });
  const first = await post(`/api/requests/${r.key}/time-entries`, agent.cookie, { minutes: 60, workedOn: '2026-03-09', description: 'Layout', billable: true });
  const second = await post(`/api/requests/${r.key}/time-entries`, agent.cookie, {
    minutes: 30,
    workedOn: '2026-03-09',
    description: 'Layout again',
    billable: true,
  });
  await post('/api/admin/flex/billing-runs', admin.cookie, { periodStart: '2026-03-01', periodEnd: '2026-03-10', organizationId: c.org.id });
  t.clock.advance(3_600_000);
  const withNote = await post(`/api/admin/time-entries/${first.id}/reversal`, admin.cookie, { reason: STAFF_REASON, customerNote: CUSTOMER_NOTE });
  expect(withNote).toMatchObject({ kind: 'reversal', minutes: -60, note: STAFF_REASON, customerNote: CUSTOMER_NOTE });
  t.clock.advance(3_600_000);
  const without = await post(`/api/admin/time-entries/${second.id}/reversal`, admin.cookie, { reason: 'Internal: wrong request' });
  expect(without).toMatchObject({ note: 'Internal: wrong request', customerNote: null });
  return { c, agent, r };
}

describe('the reason for a reversal', () => {
  it('reaches the customer only as the note written for them, in the statement and its CSV', async () => {
    const { c, r } = await reversedTime();
    for (const who of [c.reporter, c.colleague]) {
      const json = await get(`/api/flex/organizations/${c.org.id}/statement`, who.cookie);
      expect(json.body).not.toContain('third mistake');
      expect(json.body).not.toContain('Internal: wrong request');
      const reversals = (json.json().ledger as { kind: string; minutes: number; customerNote: string | null }[]).filter((e) => e.kind === 'reversal');
      expect(reversals).toEqual([
        expect.objectContaining({ minutes: -60, customerNote: CUSTOMER_NOTE }),
        expect.objectContaining({ minutes: -30, customerNote: null }),
      ]);
      expect(reversals.every((e) => !('note' in e))).toBe(true);

      const csv = await get(`/api/flex/organizations/${c.org.id}/statement.csv?from=2026-03-01&to=2026-03-31`, who.cookie);
      expect(csv.body.split('\r\n')).toEqual([
        '"date","type","reference","description","minutes","balance_minutes"',
        '"2026-03-01","opening_balance","","","","0"',
        '"2026-03-01","purchase","PO-7","","240","240"',
        `"2026-03-10","charge","${r.key}","New invoice layout","-90","150"`,
        `"2026-03-10","reversal","${r.key}","${CUSTOMER_NOTE}","60","210"`,
        `"2026-03-10","reversal","${r.key}","","30","240"`,
        '',
      ]);
    }
  });

  it('stays with Customer Services, who read both, in the statement, its CSV and the invoicing export', async () => {
    const { c, agent, r } = await reversedTime();
    for (const cookie of [agent.cookie, admin.cookie]) {
      const reversals = ((await get(`/api/flex/organizations/${c.org.id}/statement`, cookie)).json().ledger as { kind: string }[]).filter(
        (e) => e.kind === 'reversal',
      );
      expect(reversals).toEqual([
        expect.objectContaining({ minutes: -60, note: STAFF_REASON, customerNote: CUSTOMER_NOTE }),
        expect.objectContaining({ minutes: -30, note: 'Internal: wrong request', customerNote: null }),
      ]);
      const csv = await get(`/api/flex/organizations/${c.org.id}/statement.csv?from=2026-03-01&to=2026-03-31`, cookie);
      expect(csv.body.split('\r\n')).toEqual([
        '"date","type","reference","description","minutes","balance_minutes","customer_note"',
        '"2026-03-01","opening_balance","","","","0",""',
        '"2026-03-01","purchase","PO-7","","240","240",""',
        `"2026-03-10","charge","${r.key}","New invoice layout","-90","150",""`,
        `"2026-03-10","reversal","${r.key}","${STAFF_REASON}","60","210","${CUSTOMER_NOTE}"`,
        `"2026-03-10","reversal","${r.key}","Internal: wrong request","30","240",""`,
        '',
      ]);
    }
    const exported = (await get(`/api/staff/flex/export.csv?from=2026-03-01&to=2026-03-31&organizationId=${c.org.id}`, agent.cookie)).body.trim().split('\r\n');
    expect(exported[0]).toMatch(/"note","customer_note"$/);
    expect(exported.find((line) => line.includes(STAFF_REASON))).toContain(`"${STAFF_REASON}","${CUSTOMER_NOTE}"`);
  });

  it('refuses a customer note over the limit, naming the field, and reverses nothing', async () => {
    const c = await customerOrg(t, { flex: true });
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.solvaFlexId });
    const entry = await post(`/api/requests/${r.key}/time-entries`, agent.cookie, {
      minutes: 15,
      workedOn: '2026-03-09',
      description: 'Check',
      billable: true,
    });
    await post('/api/admin/flex/billing-runs', admin.cookie, { periodStart: '2026-03-01', periodEnd: '2026-03-10', organizationId: c.org.id });
    const refused = await call(t.app, {
      method: 'POST',
      url: `/api/admin/time-entries/${entry.id}/reversal`,
      cookie: admin.cookie,
      body: { reason: 'x', customerNote: 'y'.repeat(501) },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'customerNote', limit: 500 });
    const entries = (await get(`/api/requests/${r.key}/time-entries`, agent.cookie)).json().entries;
    expect(entries[0]).toMatchObject({ status: 'billed' });
  });

  it('is described in the API reference', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json();
    const body = doc.paths['/api/admin/time-entries/{id}/reversal'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).sort()).toEqual(['customerNote', 'reason']);
    expect(body.required).toEqual(['reason']);
    const entry = doc.components.schemas.FlexLedgerEntry.properties;
    expect(entry.note.description).toMatch(/Staff only/);
    expect(entry.customerNote.description).toMatch(/What customers read/);
  });
});
