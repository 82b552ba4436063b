import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { BillingRun } from '#shared/flex-api.ts';
import { formatMinutes } from '#shared/durations.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { organization, requestType, ticket, user } from '../../db/schema.ts';
import { billingRun, flexLedgerEntry, flexLedgerLine, organizationContract, timeEntry } from '../../db/schema.ts';
import { badRequest, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { businessToday } from '../calendar/business-day.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { publish } from '../../events/publish.ts';
import { balanceOf, isBelowThreshold } from './balance.ts';
import { contractOf } from '../organizations/contract-settings.ts';
import { activeUser } from '../users/user-rules.ts';
import { customerAccount } from '../../policies/accounts.ts';

/*
 * A billing run (DESIGN.md §2 "Flex"): every billable time entry on a Solva Flex request that no run
 * has billed, logged on or before the end of the period (also when logged late, for an earlier
 * period), becomes a charge in the append-only ledger, one ledger entry per request with one line per
 * time entry. Runs are serialized by a transaction-level advisory lock, and a unique index allows
 * one charge per time entry: two runs at the same moment post once.
 */

type BillingCtx = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>;

/** Any constant shared by every instance: the key of the advisory lock that serializes runs. */
const BILLING_LOCK = 0x464c4558; // "FLEX"
const CHUNK = 1000;

export function assertBillingPeriod(periodStart: string, periodEnd: string, today: string): void {
  if (periodEnd < periodStart) throw badRequest('billing.period_inverted', 'The period cannot end before it starts.', 'periodEnd');
  if (periodEnd > today) throw badRequest('billing.period_in_future', 'A period can only be billed once it has ended.', 'periodEnd');
}

export async function runBilling(
  ctx: BillingCtx,
  options: {
    periodStart: string;
    periodEnd: string;
    organizationId?: string | undefined;
    trigger: 'schedule' | 'admin';
    actorId?: string | null;
    /** Runs in the run's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, run: BillingRun) => Promise<void>) | undefined;
  },
): Promise<BillingRun> {
  const { db, clock } = ctx;
  assertBillingPeriod(options.periodStart, options.periodEnd, await businessToday(db, clock));
  const now = clock.now();
  return db.transaction(async (tx) => {
    if (options.organizationId) {
      const [org] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, options.organizationId));
      if (!org) throw badRequest('organization.not_found', 'The organization does not exist.', 'organizationId');
    }
    await tx.execute(sql`select pg_advisory_xact_lock(${BILLING_LOCK})`);
    const due = await tx
      .select({ id: timeEntry.id, ticketId: timeEntry.ticketId, organizationId: timeEntry.organizationId, minutes: timeEntry.minutes })
      .from(timeEntry)
      .innerJoin(ticket, eq(ticket.id, timeEntry.ticketId))
      .innerJoin(requestType, eq(requestType.id, ticket.requestTypeId))
      .where(
        and(
          eq(timeEntry.billable, true),
          isNull(timeEntry.billedAt),
          eq(requestType.requiresFlexContract, true),
          lte(timeEntry.workedOn, options.periodEnd),
          options.organizationId ? eq(timeEntry.organizationId, options.organizationId) : undefined,
        ),
      )
      .orderBy(timeEntry.ticketId, timeEntry.id)
      .for('update', { of: timeEntry });

    const [run] = await tx
      .insert(billingRun)
      .values({
        periodStart: options.periodStart,
        periodEnd: options.periodEnd,
        organizationId: options.organizationId ?? null,
        trigger: options.trigger,
        actorId: options.actorId ?? null,
        ranAt: now,
        entries: due.length,
        minutes: due.reduce((s, e) => s + e.minutes, 0),
      })
      .returning();

    const byTicket = new Map<string, typeof due>();
    for (const e of due) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
    const groups = [...byTicket.values()];
    for (let i = 0; i < groups.length; i += CHUNK) {
      const chunk = groups.slice(i, i + CHUNK);
      const entries = await tx
        .insert(flexLedgerEntry)
        .values(
          chunk.map((g) => ({
            organizationId: g[0]!.organizationId,
            ticketId: g[0]!.ticketId,
            kind: 'charge' as const,
            minutes: g.reduce((s, e) => s + e.minutes, 0),
            billingRunId: run!.id,
            actorId: options.actorId ?? null,
            postedAt: now,
          })),
        )
        .returning({ id: flexLedgerEntry.id, ticketId: flexLedgerEntry.ticketId });
      const entryOf = new Map(entries.map((e) => [e.ticketId, e.id]));
      const lines = chunk.flat().map((e) => ({ ledgerEntryId: entryOf.get(e.ticketId)!, timeEntryId: e.id, kind: 'charge' as const, minutes: e.minutes }));
      for (let j = 0; j < lines.length; j += CHUNK) await tx.insert(flexLedgerLine).values(lines.slice(j, j + CHUNK));
    }
    const ids = due.map((e) => e.id);
    for (let i = 0; i < ids.length; i += CHUNK) {
      await tx
        .update(timeEntry)
        .set({ billedAt: now })
        .where(inArray(timeEntry.id, ids.slice(i, i + CHUNK)));
    }

    for (const organizationId of new Set(due.map((e) => e.organizationId))) await warnIfLow(tx, ctx, organizationId);
    if (options.trigger === 'admin') {
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId ?? null,
        action: 'flex.billing_run',
        targetType: 'billing_run',
        targetId: run!.id,
        details: {
          periodStart: options.periodStart,
          periodEnd: options.periodEnd,
          organizationId: options.organizationId ?? null,
          entries: run!.entries,
          minutes: run!.minutes,
        },
      });
    }
    const presented = presentRun(run!);
    await options.onCreated?.(tx, presented);
    return presented;
  });
}

export const presentRun = (r: typeof billingRun.$inferSelect): BillingRun => ({
  id: r.id,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  organizationId: r.organizationId,
  trigger: r.trigger as BillingRun['trigger'],
  ranAt: r.ranAt.toISOString(),
  entries: r.entries,
  minutes: r.minutes,
});

/**
 * Once per fall under the threshold, the organization's customers are told by e-mail (the portal
 * shows it from the balance itself); a purchase or reversal that lifts the balance re-arms it.
 */
export async function warnIfLow(tx: DbOrTx, ctx: Pick<AppContext, 'mail' | 'config' | 'clock'>, organizationId: string): Promise<void> {
  const contract = await contractOf(tx, organizationId);
  if (contract.lowBalanceWarnedAt) return;
  const { balanceMinutes } = await balanceOf(tx, organizationId);
  if (!isBelowThreshold(balanceMinutes, contract.lowBalanceThresholdMinutes)) return;
  const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  if (!org) throw notFound('organization');
  const customers = await tx
    .select({ id: user.id, email: user.email, language: user.language })
    .from(user)
    .where(and(eq(user.organizationId, organizationId), customerAccount(), activeUser()));
  for (const c of customers) {
    await enqueueMail(tx, ctx.mail, {
      to: c.email,
      language: c.language,
      template: 'flex-low-balance',
      params: {
        organizationName: org.name,
        balance: formatMinutes(balanceMinutes),
        threshold: formatMinutes(contract.lowBalanceThresholdMinutes),
        url: `${ctx.config.baseUrl}/flex`,
      },
      userId: c.id,
    });
  }
  await tx
    .insert(organizationContract)
    .values({ organizationId, lowBalanceWarnedAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
    .onConflictDoUpdate({ target: organizationContract.organizationId, set: { lowBalanceWarnedAt: ctx.clock.now() } });
  await publish(tx, ctx, {
    type: 'flex.balance_low',
    organizationId,
    balanceMinutes,
    thresholdMinutes: contract.lowBalanceThresholdMinutes,
    at: ctx.clock.now(),
  });
}

/** Re-arms the low-balance warning when the balance is back at or above the threshold. */
export async function rearmLowBalanceWarning(tx: DbOrTx, organizationId: string): Promise<void> {
  const contract = await contractOf(tx, organizationId);
  if (!contract.lowBalanceWarnedAt) return;
  if (isBelowThreshold((await balanceOf(tx, organizationId)).balanceMinutes, contract.lowBalanceThresholdMinutes)) return;
  await tx.update(organizationContract).set({ lowBalanceWarnedAt: null }).where(eq(organizationContract.organizationId, organizationId));
}

/** The previous calendar month (in the business calendar's zone) of `today`: what the monthly run bills. */
export function previousMonth(today: string): { periodStart: string; periodEnd: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { periodStart: `${year}-${mm}-01`, periodEnd: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}
