/**
 * The ledger always adds up (DESIGN.md §2 "Flex"): random sequences of purchases, time entries,
 * corrections, billing runs and reversals, checked after every step against a model kept in
 * whole minutes — the balance is the purchases minus the sum of the ledger, every billable entry on
 * a Solva Flex request is charged exactly once by the run after it (never twice, never missed), and
 * nothing else is ever charged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { flexLedgerEntry, flexLedgerLine, flexPurchase, timeEntry } from '../../db/schema.ts';
import { createOrganization, createTestApp, createUser, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog } from '../../../../tests/support/ticket-fixtures.ts';
import { flexContractWindow } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { loadViewer, type Viewer } from '../../policies/tickets.ts';
import { addPurchase } from './add-purchase.ts';
import { flexSummary } from './balance.ts';
import { reverseTimeEntry } from './reverse-time-entry.ts';
import { runBilling } from './run-billing.ts';
import { correctTimeEntry, logTime } from './time-entries.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Viewer;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-05-20T10:00:00Z' });
  ids = await catalog(t);
  const a = await createUser(t, { role: 'admin', name: 'Ada Admin' });
  admin = await loadViewer(t.db, { id: a.id, name: 'Ada Admin', email: a.email, role: 'admin', language: 'en', organizationId: null });
});
afterAll(async () => {
  await t.close();
});

type Step =
  | { op: 'purchase'; hours: number }
  | { op: 'log'; request: number; minutes: number; billable: boolean; daysAgo: number }
  | { op: 'correct'; entry: number; minutes: number; billable: boolean }
  | { op: 'bill'; periodDaysAgo: number }
  | { op: 'reverse'; entry: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('purchase' as const), hours: fc.integer({ min: 1, max: 40 }) }),
  {
    arbitrary: fc.record({
      op: fc.constant('log' as const),
      request: fc.nat(2),
      minutes: fc.integer({ min: 1, max: 600 }),
      billable: fc.boolean(),
      daysAgo: fc.nat(60),
    }),
    weight: 3,
  },
  fc.record({ op: fc.constant('correct' as const), entry: fc.nat(30), minutes: fc.integer({ min: 1, max: 600 }), billable: fc.boolean() }),
  fc.record({ op: fc.constant('bill' as const), periodDaysAgo: fc.nat(30) }),
  fc.record({ op: fc.constant('reverse' as const), entry: fc.nat(30) }),
);

const day = (daysAgo: number) => new Date(Date.parse('2026-05-20T10:00:00Z') - daysAgo * 86_400_000).toISOString().slice(0, 10);

async function newOrganization() {
  const org = await createOrganization(t, 'Property Org');
  await t.db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: '2026-01-01', endsOn: '2026-12-31' });
  const c = await createUser(t, { organizationId: org.id });
  const customer = await loadViewer(t.db, { id: c.id, name: 'C', email: c.email, role: 'customer', language: 'en', organizationId: org.id });
  const open = async (requestTypeId: string) =>
    (
      await createTicket(t.ctx, customer, {
        requestTypeId,
        summary: 'S',
        description: 'D',
        criticality: 'low',
        projectId: null,
        participantIds: [],
        attachmentIds: [],
      })
    ).key;
  // Two Solva Flex requests and an Assistance request (whose time is never drawn from the balance).
  const requests = [
    { key: await open(ids.solvaFlexId), flex: true },
    { key: await open(ids.solvaFlexId), flex: true },
    { key: await open(ids.assistanceId), flex: false },
  ];
  return { orgId: org.id, requests };
}

type ModelEntry = { id: string; minutes: number; billable: boolean; flex: boolean; workedOn: string; billed: boolean; reversed: boolean };

describe('Flex ledger (property)', () => {
  it('adds up after every step of any sequence of purchases, time entries, corrections, billing runs and reversals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const { orgId, requests } = await newOrganization();
        let purchased = 0;
        const entries: ModelEntry[] = [];
        for (const s of steps) {
          if (s.op === 'purchase') {
            await addPurchase(t.ctx, { actorId: admin.id, organizationId: orgId, input: { purchasedOn: day(0), hours: s.hours, reference: 'P' } });
            purchased += s.hours * 60;
          } else if (s.op === 'log') {
            const r = requests[s.request]!;
            const e = await logTime(t.ctx, admin, r.key, { minutes: s.minutes, workedOn: day(s.daysAgo), description: 'work', billable: s.billable });
            entries.push({ id: e.id, minutes: s.minutes, billable: s.billable, flex: r.flex, workedOn: day(s.daysAgo), billed: false, reversed: false });
          } else if (s.op === 'correct') {
            const e = entries[s.entry % Math.max(entries.length, 1)];
            if (!e) continue;
            const result = await correctTimeEntry(t.ctx, admin, e.id, { minutes: s.minutes, billable: s.billable }).catch((error: unknown) => error);
            if (e.billed) {
              expect(result).toBeInstanceOf(AppError);
              expect((result as AppError).code).toBe('time_entry.billed');
            } else {
              expect(result).toMatchObject({ minutes: s.minutes, billable: s.billable });
              e.minutes = s.minutes;
              e.billable = s.billable;
            }
          } else if (s.op === 'bill') {
            const periodEnd = day(s.periodDaysAgo);
            const run = await runBilling(t.ctx, {
              periodStart: day(s.periodDaysAgo + 30),
              periodEnd,
              organizationId: orgId,
              trigger: 'admin',
              actorId: admin.id,
            });
            const due = entries.filter((e) => e.billable && e.flex && !e.billed && e.workedOn <= periodEnd);
            expect(run.entries).toBe(due.length);
            expect(run.minutes).toBe(due.reduce((sum, e) => sum + e.minutes, 0));
            for (const e of due) e.billed = true;
          } else {
            const e = entries[s.entry % Math.max(entries.length, 1)];
            if (!e) continue;
            const result = await reverseTimeEntry(t.ctx, { actorId: admin.id, timeEntryId: e.id, reason: 'correction' }).catch((error: unknown) => error);
            if (e.billed && !e.reversed) {
              expect(result).toMatchObject({ kind: 'reversal', minutes: -e.minutes });
              e.reversed = true;
            } else {
              expect((result as AppError).code).toBe(e.billed ? 'time_entry.already_reversed' : 'time_entry.not_billed');
            }
          }
          await checkInvariants(orgId, purchased, entries);
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});

async function checkInvariants(orgId: string, purchased: number, entries: ModelEntry[]) {
  const summary = await flexSummary(t.db, orgId, day(0));
  const [sums] = await t.db
    .select({
      purchases: sql<string>`(select coalesce(sum(minutes), 0) from ${flexPurchase} where organization_id = ${orgId})`,
      ledger: sql<string>`(select coalesce(sum(minutes), 0) from ${flexLedgerEntry} where organization_id = ${orgId})`,
      lines: sql<string>`(select coalesce(sum(l.minutes), 0) from ${flexLedgerLine} l join ${flexLedgerEntry} e on e.id = l.ledger_entry_id where e.organization_id = ${orgId})`,
    })
    .from(sql`(select 1) as one`);
  const charged = entries.filter((e) => e.billed && !e.reversed).reduce((s, e) => s + e.minutes, 0);
  // The balance is the purchases minus the ledger, and the ledger is the sum of its lines.
  expect(summary.balanceMinutes).toBe(Number(sums!.purchases) - Number(sums!.ledger));
  expect(Number(sums!.ledger)).toBe(Number(sums!.lines));
  expect(summary.purchasedMinutes).toBe(purchased);
  expect(summary.billedMinutes).toBe(charged);
  expect(summary.balanceMinutes).toBe(purchased - charged);
  expect(summary.unbilledMinutes).toBe(entries.filter((e) => e.billable && e.flex && !e.billed).reduce((s, e) => s + e.minutes, 0));
  // Each time entry: charged exactly once when the model billed it, never otherwise; reversed at most once.
  const lines = await t.db
    .select({
      id: timeEntry.id,
      charges: sql<number>`count(*) filter (where ${flexLedgerLine.kind} = 'charge')::int`,
      reversals: sql<number>`count(*) filter (where ${flexLedgerLine.kind} = 'reversal')::int`,
    })
    .from(timeEntry)
    .leftJoin(flexLedgerLine, eq(flexLedgerLine.timeEntryId, timeEntry.id))
    .where(eq(timeEntry.organizationId, orgId))
    .groupBy(timeEntry.id);
  const byId = new Map(lines.map((l) => [l.id, l]));
  expect(byId.size).toBe(entries.length);
  for (const e of entries) {
    expect(byId.get(e.id)).toEqual({ id: e.id, charges: e.billed ? 1 : 0, reversals: e.reversed ? 1 : 0 });
  }
}
