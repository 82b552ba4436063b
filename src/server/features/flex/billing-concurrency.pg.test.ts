/**
 * Two billing runs at the same moment post once (DESIGN.md §2 "Flex"): on PostgreSQL, where the
 * runs really overlap on separate connections. PGlite is one connection, so this proves nothing there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { flexLedgerLine, timeEntry } from '../../db/schema.ts';
import { createTestApp, createUser, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { addPurchase } from './add-purchase.ts';
import { flexSummary } from './balance.ts';
import { runBilling } from './run-billing.ts';
import { logTime } from './time-entries.ts';

describe('concurrent billing runs (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clockStart: '2026-04-15T10:00:00Z' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('bills every time entry exactly once when runs start at the same moment', async () => {
    const ids = await catalog(t);
    const a = await createUser(t, { role: 'admin' });
    const admin = await loadViewer(t.db, { id: a.id, name: 'A', email: a.email, role: 'admin', language: 'en', organizationId: null });
    const orgs = [await customerOrg(t, { flex: true }), await customerOrg(t, { flex: true })];
    let logged = 0;
    for (const c of orgs) {
      await addPurchase(t.ctx, { actorId: admin.id, organizationId: c.org.id, input: { purchasedOn: '2026-04-01', hours: 100, reference: 'PO' } });
      for (let r = 0; r < 3; r++) {
        const request = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.solvaFlexId });
        for (let i = 1; i <= 10; i++) {
          await logTime(t.ctx, admin, request.key, { minutes: i, workedOn: '2026-04-10', description: 'work', billable: true });
          logged += i;
        }
      }
    }
    const period = { periodStart: '2026-04-01', periodEnd: '2026-04-14', trigger: 'admin' as const, actorId: admin.id };
    // Four runs at once: two over every organization, one per organization.
    const runs = await Promise.all([
      runBilling(t.ctx, period),
      runBilling(t.ctx, period),
      runBilling(t.ctx, { ...period, organizationId: orgs[0]!.org.id }),
      runBilling(t.ctx, { ...period, organizationId: orgs[1]!.org.id }),
    ]);
    expect(runs.reduce((s, r) => s + r.entries, 0)).toBe(60);
    expect(runs.reduce((s, r) => s + r.minutes, 0)).toBe(logged);
    const [lines] = await t.db.select({ n: count(), distinct: sql<number>`count(distinct ${flexLedgerLine.timeEntryId})::int` }).from(flexLedgerLine);
    expect(lines).toEqual({ n: 60, distinct: 60 });
    const [unbilled] = await t.db.select({ n: count() }).from(timeEntry).where(sql`${timeEntry.billedAt} is null`);
    expect(unbilled!.n).toBe(0);
    for (const c of orgs) {
      const s = await flexSummary(t.db, c.org.id, '2026-04-15');
      expect(s.balanceMinutes).toBe(6000 - logged / 2);
      expect(s.billedMinutes).toBe(logged / 2);
    }
    const [entries] = await t.db.select({ n: count() }).from(timeEntry).where(eq(timeEntry.billable, true));
    expect(entries!.n).toBe(60);
  });
});
