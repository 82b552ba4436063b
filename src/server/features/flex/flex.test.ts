/**
 * Flex (DESIGN.md §2) through the HTTP API on a migrated database: contracts and purchases, time
 * logging, billing runs (on demand and by the monthly pg-boss job), reversals, statements, exports,
 * the zero-balance and maintenance rules on opening requests, and consulting project pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { auditLog, organization, outbox } from '../../db/schema.ts';
import { billingRun, flexLedgerEntry, flexPurchase, timeEntry } from '../../db/schema.ts';
import { QUEUES } from '../../jobs/boss.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { startFlexBillingWorker } from './billing.job.ts';
import { previousMonth } from './run-billing.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ jobs: true, clockStart: '2026-03-10T09:00:00Z' });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
  await startFlexBillingWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, cookie: string) => call(t.app, { url, cookie });
const post = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'POST', url, cookie, body });
const patch = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'PATCH', url, cookie, body });

async function flexSetup(options: { hours?: number } = {}) {
  const c = await customerOrg(t, { flex: true, project: true });
  const agent = await agentOf(t, [ids.supportId]);
  if (options.hours) {
    const res = await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, admin.cookie, {
      purchasedOn: '2026-03-01',
      hours: options.hours,
      reference: 'PO-1',
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const flexRequest = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.solvaFlexId, summary: 'New invoice layout' });
  return { ...c, agent, flexRequest };
}

const logTime = (cookie: string, key: string, body: Record<string, unknown>) =>
  post(`/api/requests/${key}/time-entries`, cookie, { minutes: 90, workedOn: '2026-03-09', description: 'Layout changes', billable: true, ...body });
const summary = async (orgId: string, cookie: string) => (await get(`/api/flex/organizations/${orgId}`, cookie)).json();
const bill = (body: Record<string, unknown> = {}) =>
  post('/api/admin/flex/billing-runs', admin.cookie, { periodStart: '2026-03-01', periodEnd: '2026-03-10', ...body });

describe('purchases and the balance', () => {
  it('adds purchased hours as minutes; customers read only their own organization’s balance, staff every one', async () => {
    const c = await flexSetup({ hours: 10 });
    const other = await customerOrg(t);
    const agent = await agentOf(t, []);
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({
      purchasedMinutes: 600,
      billedMinutes: 0,
      balanceMinutes: 600,
      unbilledMinutes: 0,
      contractActive: true,
    });
    expect((await get(`/api/flex/organizations/${c.org.id}`, agent.cookie)).statusCode).toBe(200);
    const foreign = await get(`/api/flex/organizations/${c.org.id}`, other.reporter.cookie);
    expect(foreign.statusCode).toBe(404);
    expect((await get(`/api/flex/organizations/${c.org.id}/statement`, other.reporter.cookie)).statusCode).toBe(404);
    expect((await get(`/api/flex/organizations/${c.org.id}/statement.csv`, other.reporter.cookie)).statusCode).toBe(404);
    expect(
      (await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, c.reporter.cookie, { purchasedOn: '2026-03-01', hours: 5, reference: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, agent.cookie, { purchasedOn: '2026-03-01', hours: 5, reference: 'x' })).statusCode,
    ).toBe(403);
    const balances = (await get('/api/staff/flex/balances', agent.cookie)).json() as { organizationId: string; balanceMinutes: number }[];
    expect(balances.find((b) => b.organizationId === c.org.id)?.balanceMinutes).toBe(600);
    expect((await get('/api/staff/flex/balances', c.reporter.cookie)).statusCode).toBe(403);
  });

  it('refuses zero or negative hours and a purchase in the future, naming the field, and writes nothing', async () => {
    const c = await customerOrg(t);
    for (const [body, code, field] of [
      [{ purchasedOn: '2026-03-01', hours: 0, reference: 'PO' }, 'flex.hours_not_positive', 'hours'],
      [{ purchasedOn: '2026-03-01', hours: -3, reference: 'PO' }, 'flex.hours_not_positive', 'hours'],
      [{ purchasedOn: '2026-04-01', hours: 3, reference: 'PO' }, 'flex.purchase_in_future', 'purchasedOn'],
    ] as const) {
      const res = await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, admin.cookie, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
    }
    const [n] = await t.db.select({ n: count() }).from(flexPurchase).where(eq(flexPurchase.organizationId, c.org.id));
    expect(n!.n).toBe(0);
  });
});

describe('time logging', () => {
  it('lets agents of the request’s desk log time, refuses bad input and requests they may not see, and lets only the author correct it before billing', async () => {
    const c = await flexSetup();
    const consultant = await agentOf(t, [ids.consultingId], 'Connie Consultant');
    const colleague = await agentOf(t, [ids.supportId], 'Other Agent');

    const logged = await logTime(c.agent.cookie, c.flexRequest.key, {});
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({ minutes: 90, billable: true, status: 'unbilled', editable: true });
    const entryId = logged.json().id as string;

    for (const [body, code, field] of [
      [{ minutes: 0 }, 'time_entry.minutes_not_positive', 'minutes'],
      [{ minutes: -15 }, 'time_entry.minutes_not_positive', 'minutes'],
      [{ workedOn: '2026-03-11' }, 'time_entry.in_future', 'workedOn'],
    ] as const) {
      const res = await logTime(c.agent.cookie, c.flexRequest.key, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
    }
    // More than a day is refused with the limit, never saved as 1,440 minutes.
    const tooLong = await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 90_000 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({
      code: 'validation.too_big',
      field: 'minutes',
      limit: 1440,
      message: 'minutes: at most 24 hours (1,440 minutes) per entry',
    });
    expect((await patch(`/api/time-entries/${entryId}`, c.agent.cookie, { minutes: 1441 })).json()).toMatchObject({
      code: 'validation.too_big',
      field: 'minutes',
      limit: 1440,
    });
    const fractional = await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 1.5 });
    expect(fractional.statusCode).toBe(400);
    expect(fractional.json().field).toBe('minutes');
    // A Support request does not exist for a consultant; customers may not log time.
    const hidden = await logTime(consultant.cookie, c.flexRequest.key, {});
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('ticket.not_found');
    expect((await get(`/api/requests/${c.flexRequest.key}/time-entries`, consultant.cookie)).statusCode).toBe(404);
    expect((await logTime(c.reporter.cookie, c.flexRequest.key, {})).statusCode).toBe(403);
    expect((await patch(`/api/time-entries/${entryId}`, consultant.cookie, { minutes: 1 })).statusCode).toBe(404);

    const [n] = await t.db.select({ n: count() }).from(timeEntry).where(eq(timeEntry.organizationId, c.org.id));
    expect(n!.n).toBe(1);

    const notMine = await patch(`/api/time-entries/${entryId}`, colleague.cookie, { minutes: 30 });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().code).toBe('time_entry.not_author');
    const corrected = await patch(`/api/time-entries/${entryId}`, c.agent.cookie, { minutes: 75, description: 'Layout and tests' });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ minutes: 75, description: 'Layout and tests' });

    const list = (await get(`/api/requests/${c.flexRequest.key}/time-entries`, colleague.cookie)).json();
    expect(list).toMatchObject({ totalMinutes: 75, billableMinutes: 75, flexBilled: true });
    expect(list.entries[0]).toMatchObject({ agent: { name: 'Alex Agent' }, editable: false });
  });
});

describe('billing runs', () => {
  it('bills each billable time entry on Solva Flex requests once, into a ledger entry linked to the request and its entries, lowering the balance', async () => {
    const c = await flexSetup({ hours: 10 });
    const assistance = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const a = (await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 90 })).json();
    const b = (await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 30, workedOn: '2026-03-02' })).json();
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 45, billable: false });
    await logTime(c.agent.cookie, assistance.key, { minutes: 60 });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 600, unbilledMinutes: 120 });

    const run = await bill({ organizationId: c.org.id });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json()).toMatchObject({ entries: 2, minutes: 120, trigger: 'admin' });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ purchasedMinutes: 600, billedMinutes: 120, balanceMinutes: 480, unbilledMinutes: 0 });

    const statement = (await get(`/api/flex/organizations/${c.org.id}/statement`, c.reporter.cookie)).json();
    expect(statement.ledger).toHaveLength(1);
    expect(statement.ledger[0]).toMatchObject({ kind: 'charge', minutes: 120, request: { key: c.flexRequest.key, summary: 'New invoice layout' } });
    expect([...statement.ledger[0].timeEntryIds].sort()).toEqual([a.id, b.id].sort());
    expect(statement.byMonth).toEqual([{ month: '2026-03', minutes: 120 }]);
    expect(statement.byRequest).toEqual([{ key: c.flexRequest.key, summary: 'New invoice layout', minutes: 120 }]);

    // Billed entries are frozen; a second run posts nothing.
    const frozen = await patch(`/api/time-entries/${a.id}`, c.agent.cookie, { minutes: 10 });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().code).toBe('time_entry.billed');
    expect((await call(t.app, { method: 'DELETE', url: `/api/time-entries/${a.id}`, cookie: c.agent.cookie })).statusCode).toBe(409);
    expect((await bill({ organizationId: c.org.id })).json()).toMatchObject({ entries: 0, minutes: 0 });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 480 });

    // Time logged late for an earlier period is billed by the next run.
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 15, workedOn: '2026-02-20' });
    expect((await bill({ organizationId: c.org.id })).json()).toMatchObject({ entries: 1, minutes: 15 });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 465 });
    const [audit] = await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'flex.billing_run'));
    expect(audit!.n).toBeGreaterThanOrEqual(3);
  });

  it('refuses a period in the future or inverted, and an unknown organization, writing nothing; only administrators run billing', async () => {
    const c = await flexSetup({ hours: 1 });
    await logTime(c.agent.cookie, c.flexRequest.key, {});
    const [before] = await t.db.select({ n: count() }).from(billingRun);
    for (const [body, code, field] of [
      [{ periodEnd: '2026-03-11' }, 'billing.period_in_future', 'periodEnd'],
      [{ periodStart: '2026-03-05', periodEnd: '2026-03-01' }, 'billing.period_inverted', 'periodEnd'],
      [{ organizationId: '00000000-0000-4000-8000-000000000000' }, 'organization.not_found', 'organizationId'],
    ] as const) {
      const res = await bill(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
    }
    expect((await post('/api/admin/flex/billing-runs', c.agent.cookie, { periodStart: '2026-03-01', periodEnd: '2026-03-10' })).statusCode).toBe(403);
    const [after] = await t.db.select({ n: count() }).from(billingRun);
    expect(after!.n).toBe(before!.n);
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 60, unbilledMinutes: 90 });
  });

  it('gives billed time back with a reversing ledger entry, once, never by editing', async () => {
    const c = await flexSetup({ hours: 5 });
    const e = (await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 120 })).json();
    const unbilled = await post(`/api/admin/time-entries/${e.id}/reversal`, admin.cookie, { reason: 'Too early' });
    expect(unbilled.statusCode).toBe(409);
    expect(unbilled.json().code).toBe('time_entry.not_billed');
    await bill({ organizationId: c.org.id });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 180 });

    expect((await post(`/api/admin/time-entries/${e.id}/reversal`, c.agent.cookie, { reason: 'x' })).statusCode).toBe(403);
    const reversed = await post(`/api/admin/time-entries/${e.id}/reversal`, admin.cookie, { reason: 'Logged on the wrong request' });
    expect(reversed.statusCode, reversed.body).toBe(201);
    expect(reversed.json()).toMatchObject({ kind: 'reversal', minutes: -120, note: 'Logged on the wrong request', timeEntryIds: [e.id] });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 300, billedMinutes: 0 });
    const again = await post(`/api/admin/time-entries/${e.id}/reversal`, admin.cookie, { reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('time_entry.already_reversed');
    const rows = await t.db
      .select({ kind: flexLedgerEntry.kind, minutes: flexLedgerEntry.minutes })
      .from(flexLedgerEntry)
      .where(eq(flexLedgerEntry.organizationId, c.org.id))
      .orderBy(flexLedgerEntry.postedAt, flexLedgerEntry.kind);
    expect(rows).toEqual([
      { kind: 'charge', minutes: 120 },
      { kind: 'reversal', minutes: -120 },
    ]);
    // The reversed entry is not billed again.
    expect((await bill({ organizationId: c.org.id })).json()).toMatchObject({ entries: 0 });
    const list = (await get(`/api/requests/${c.flexRequest.key}/time-entries`, c.agent.cookie)).json();
    expect(list.entries[0]).toMatchObject({ status: 'reversed', editable: false });
  });

  it('is append-only in the database itself: an update, a delete or a truncate of the ledger is refused, whatever the client', async () => {
    const c = await flexSetup({ hours: 2 });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 30 });
    await bill({ organizationId: c.org.id });
    const [entry] = await t.db.select().from(flexLedgerEntry).where(eq(flexLedgerEntry.organizationId, c.org.id));
    const refused = async (statement: ReturnType<typeof sql>) => {
      const error = await t.db.execute(statement).then(
        () => null,
        (e: unknown) => e as { cause?: { message?: string }; message?: string },
      );
      expect(error, 'the database let the ledger be changed').not.toBeNull();
      expect(`${error!.cause?.message ?? ''} ${error!.message ?? ''}`).toMatch(/append-only/);
    };
    await refused(sql`update flex_ledger_entry set minutes = 1 where id = ${entry!.id}`);
    await refused(sql`update flex_ledger_entry set actor_id = null, note = 'edited' where id = ${entry!.id}`);
    await refused(sql`delete from flex_ledger_entry where id = ${entry!.id}`);
    await refused(sql`update flex_ledger_line set minutes = 1 where ledger_entry_id = ${entry!.id}`);
    await refused(sql`delete from flex_ledger_line where ledger_entry_id = ${entry!.id}`);
    await refused(sql`truncate flex_ledger_line, flex_ledger_entry cascade`);
    const [after] = await t.db.select().from(flexLedgerEntry).where(eq(flexLedgerEntry.id, entry!.id));
    expect(after).toEqual(entry);
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 90 });
  });

  it('runs monthly through pg-boss, billing the month that ended', async () => {
    expect(previousMonth('2026-03-01')).toEqual({ periodStart: '2026-02-01', periodEnd: '2026-02-28' });
    expect(previousMonth('2026-01-15')).toEqual({ periodStart: '2025-12-01', periodEnd: '2025-12-31' });
    const c = await flexSetup({ hours: 2 });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 40, workedOn: '2026-02-27' });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 25, workedOn: '2026-03-05' });
    const id = await t.boss!.send(QUEUES.flexBilling, {});
    let state: string | undefined;
    for (let i = 0; i < 400 && state !== 'completed' && state !== 'failed'; i++) {
      [{ state } = { state: undefined }] = (await t.boss!.findJobs(QUEUES.flexBilling, { id: id! })) as { state: string }[];
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('completed');
    // Only February's entry: March has not ended.
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ billedMinutes: 40, unbilledMinutes: 25 });
    const [run] = await t.db.select().from(billingRun).where(eq(billingRun.trigger, 'schedule'));
    expect(run).toMatchObject({ periodStart: '2026-02-01', periodEnd: '2026-02-28' });
  });
});

describe('low balance, zero balance and maintenance', () => {
  it('warns the customers by e-mail once when a run takes the balance under the threshold, and again after a purchase lifted it', async () => {
    const c = await flexSetup({ hours: 3 });
    expect((await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, { lowBalanceThresholdMinutes: 120 })).statusCode).toBe(200);
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 70 });
    await bill({ organizationId: c.org.id });
    const lowMails = async () =>
      t.db
        .select({ to: outbox.to, subject: outbox.subject })
        .from(outbox)
        .where(and(eq(outbox.template, 'flex-low-balance'), eq(outbox.to, c.reporter.email)));
    expect(await lowMails()).toEqual([{ to: c.reporter.email, subject: 'Solde Flex bas : 1 h 50' }]);
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 110, belowThreshold: true });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 10 });
    await bill({ organizationId: c.org.id });
    expect(await lowMails()).toHaveLength(1);
    await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, admin.cookie, { purchasedOn: '2026-03-10', hours: 2, reference: 'PO-2' });
    expect(await summary(c.org.id, c.reporter.cookie)).toMatchObject({ balanceMinutes: 220, belowThreshold: false });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 120 });
    await bill({ organizationId: c.org.id });
    expect(await lowMails()).toHaveLength(2);
  });

  it('refuses new Solva Flex requests at a zero balance when the policy says so, allows them otherwise, and refuses them without an active contract', async () => {
    const c = await customerOrg(t, { flex: true });
    const body = { requestTypeId: ids.solvaFlexId, summary: 'Evolution', description: 'Please', criticality: 'low' };
    // Default policy: allowed with a warning.
    expect((await post('/api/requests', c.reporter.cookie, body)).statusCode).toBe(201);
    const set = await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, { zeroBalancePolicy: 'refuse' });
    expect(set.json()).toMatchObject({ zeroBalancePolicy: 'refuse' });
    const refused = await post('/api/requests', c.reporter.cookie, body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'ticket.flex_balance_exhausted', field: 'requestTypeId' });
    expect((await post('/api/requests', c.reporter.cookie, { ...body, requestTypeId: ids.assistanceId })).statusCode).toBe(201);
    await post(`/api/admin/organizations/${c.org.id}/flex-purchases`, admin.cookie, { purchasedOn: '2026-03-10', hours: 1, reference: 'PO' });
    expect((await post('/api/requests', c.reporter.cookie, body)).statusCode).toBe(201);

    const noContract = await customerOrg(t);
    const res = await post('/api/requests', noContract.reporter.cookie, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ticket.flex_contract_required', field: 'requestTypeId' });
  });

  it('requires an active maintenance contract for Support requests when the organization is set so, not for Consulting', async () => {
    const c = await customerOrg(t, { project: true });
    const body = { requestTypeId: ids.assistanceId, summary: 'Bug', description: 'Broken', criticality: 'low' };
    const bad = await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, {
      maintenanceStartsOn: '2026-03-01',
      maintenanceEndsOn: '2026-02-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'contract.maintenance_inverted', field: 'maintenanceEndsOn' });
    await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, {
      maintenanceRequiredForSupport: true,
      maintenanceStartsOn: '2025-01-01',
      maintenanceEndsOn: '2025-12-31',
    });
    const refused = await post('/api/requests', c.reporter.cookie, body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'ticket.maintenance_contract_required', field: 'requestTypeId' });
    expect((await post('/api/requests', c.reporter.cookie, { ...body, requestTypeId: ids.projectRequestId, projectId: c.projectId })).statusCode).toBe(201);
    const renewed = await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, { maintenanceEndsOn: '2026-12-31' });
    expect(renewed.json()).toMatchObject({ maintenanceActive: true, maintenanceRequiredForSupport: true });
    expect((await post('/api/requests', c.reporter.cookie, body)).statusCode).toBe(201);
    expect((await get(`/api/admin/organizations/${c.org.id}/contract`, c.reporter.cookie)).statusCode).toBe(403);
  });

  it('keys the maintenance rule on the desk’s "covered by the maintenance contract" flag, not on its slug an administrator can edit', async () => {
    const c = await customerOrg(t);
    // Required, and no maintenance contract at all.
    expect((await patch(`/api/admin/organizations/${c.org.id}/contract`, admin.cookie, { maintenanceRequiredForSupport: true })).statusCode).toBe(200);
    const open = (requestTypeId: string) =>
      post('/api/requests', c.reporter.cookie, { requestTypeId, summary: 'Bug', description: 'Broken', criticality: 'low' });

    const renamed = await patch(`/api/admin/desks/${ids.supportId}`, admin.cookie, { slug: 'hotline' });
    expect(renamed.json()).toMatchObject({ slug: 'hotline', coveredByMaintenance: true });
    try {
      const refused = await open(ids.assistanceId);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'ticket.maintenance_contract_required', field: 'requestTypeId' });

      // A desk the contract does not cover (the default), even one whose slug is now "support".
      const names = { fr: 'Aide', de: 'Hilfe', en: 'Help' };
      const created = await post('/api/admin/desks', admin.cookie, { slug: 'support', keyPrefix: 'HLP', names, descriptions: names });
      expect(created.statusCode, created.body).toBe(201);
      const helpDesk = created.json() as { id: string; coveredByMaintenance: boolean };
      expect(helpDesk.coveredByMaintenance).toBe(false);
      const type = await post('/api/admin/request-types', admin.cookie, { deskId: helpDesk.id, slug: 'question', names, descriptions: names, underSla: false });
      expect(type.statusCode, type.body).toBe(201);
      expect((await open(type.json().id)).statusCode).toBe(201);

      // An administrator covers it: the rule applies there too, and the change is audited.
      const covered = await patch(`/api/admin/desks/${helpDesk.id}`, admin.cookie, { coveredByMaintenance: true });
      expect(covered.json()).toMatchObject({ coveredByMaintenance: true });
      expect((await open(type.json().id)).json()).toMatchObject({ code: 'ticket.maintenance_contract_required' });
      const [audit] = await t.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.targetId, helpDesk.id), eq(auditLog.action, 'desk.updated')));
      expect(audit?.details).toEqual({ from: { coveredByMaintenance: false }, to: { coveredByMaintenance: true } });
      expect((await patch(`/api/admin/desks/${helpDesk.id}`, admin.cookie, { slug: 'help', active: false })).statusCode).toBe(200);
    } finally {
      expect((await patch(`/api/admin/desks/${ids.supportId}`, admin.cookie, { slug: 'support' })).statusCode).toBe(200);
    }
  });
});

describe('statements and exports', () => {
  it('gives the customer a CSV statement with the balance after each line, and staff an invoicing export per period and organization', async () => {
    const c = await flexSetup({ hours: 4 });
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 50, description: '=cmd|calc' });
    await bill({ organizationId: c.org.id });
    const res = await get(`/api/flex/organizations/${c.org.id}/statement.csv?from=2026-03-01&to=2026-03-31`, c.reporter.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.split('\r\n')).toEqual([
      '"date","type","reference","description","minutes","balance_minutes"',
      '"2026-03-01","opening_balance","","","","0"',
      '"2026-03-01","purchase","PO-1","","240","240"',
      `"2026-03-10","charge","${c.flexRequest.key}","New invoice layout","-50","190"`,
      '',
    ]);
    const other = await customerOrg(t, { flex: true });
    const exp = await get(`/api/staff/flex/export.csv?from=2026-03-01&to=2026-03-31&organizationId=${c.org.id}`, c.agent.cookie);
    expect(exp.statusCode).toBe(200);
    const lines = exp.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"${c.flexRequest.key}"`);
    expect(lines[1]).toContain(`"'=cmd|calc"`);
    expect(lines[1]).not.toContain(other.org.id);
    expect((await get(`/api/staff/flex/export.csv?from=2026-03-01&to=2026-03-31`, c.reporter.cookie)).statusCode).toBe(403);
    const inverted = await get(`/api/staff/flex/export.csv?from=2026-03-31&to=2026-03-01`, c.agent.cookie);
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json()).toMatchObject({ code: 'billing.period_inverted', field: 'to' });
  });
});

describe('statements under "own requests only"', () => {
  it('shows a colleague only the key of the requests they do not take part in, with the same amounts', async () => {
    const c = await flexSetup({ hours: 2 });
    await t.db.update(organization).set({ ownRequestsOnly: true }).where(eq(organization.id, c.org.id));
    await logTime(c.agent.cookie, c.flexRequest.key, { minutes: 30 });
    await bill({ organizationId: c.org.id });
    const mine = (await get(`/api/flex/organizations/${c.org.id}/statement`, c.reporter.cookie)).json();
    expect(mine.byRequest).toEqual([{ key: c.flexRequest.key, summary: 'New invoice layout', minutes: 30 }]);
    const theirs = (await get(`/api/flex/organizations/${c.org.id}/statement`, c.colleague.cookie)).json();
    expect(theirs.byRequest).toEqual([{ key: c.flexRequest.key, summary: null, minutes: 30 }]);
    expect(theirs.ledger[0].request).toEqual({ key: c.flexRequest.key, summary: null });
    expect(theirs.summary.balanceMinutes).toBe(90);
    const csv = (await get(`/api/flex/organizations/${c.org.id}/statement.csv`, c.colleague.cookie)).body;
    expect(csv).not.toContain('New invoice layout');
  });
});

describe('consulting projects', () => {
  it('lists a project’s requests and the time logged on them, to its organization and to staff only', async () => {
    const c = await customerOrg(t, { project: true });
    const consultant = await agentOf(t, [ids.consultingId], 'Connie Consultant');
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: c.projectId, summary: 'Data migration' });
    await logTime(consultant.cookie, r.key, { minutes: 200, billable: false });
    await logTime(consultant.cookie, r.key, { minutes: 40 });
    const page = await get(`/api/projects/${c.projectId}`, c.colleague.cookie);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({
      name: 'Rollout',
      status: 'active',
      totalMinutes: 240,
      requests: [{ key: r.key, summary: 'Data migration', loggedMinutes: 240 }],
    });
    expect((await get(`/api/projects/${c.projectId}`, consultant.cookie)).json().requests).toHaveLength(1);
    const other = await customerOrg(t);
    expect((await get(`/api/projects/${c.projectId}`, other.reporter.cookie)).statusCode).toBe(404);
    // Consulting requests require an active project.
    const noProject = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.projectRequestId,
      summary: 'x',
      description: 'y',
      criticality: 'low',
    });
    expect(noProject.json()).toMatchObject({ code: 'ticket.project_required', field: 'projectId' });
    await patch(`/api/admin/projects/${c.projectId}`, admin.cookie, { status: 'closed' });
    const closed = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.projectRequestId,
      projectId: c.projectId,
      summary: 'x',
      description: 'y',
      criticality: 'low',
    });
    expect(closed.json()).toMatchObject({ code: 'ticket.project_closed', field: 'projectId' });
  });
});
