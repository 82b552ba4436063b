import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { LifecycleAction } from '#shared/lifecycle-api.ts';
import type { Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { ticketLifecycle } from '../../db/schema.ts';
import { zoneRules, type BusinessCalendar } from '../calendar/business-calendar.ts';
import { loadCalendar } from '../calendar/calendar-store.ts';
import type { LifecycleRules } from './rules.ts';
import { loadRules } from './rules.ts';

/*
 * The countdown of automatic closure (DESIGN.md §2). Pure part: given the rules, the calendar and
 * where the countdown stands, the next step and its instant. The stored part keeps one row per
 * request with its next step, recomputed in the transaction of every status change and public reply.
 */

const DAY_MS = 86_400_000;

/** The steps while waiting for the customer, in order, with their delay in business days. */
const WAITING_STEPS = ['reminder_1', 'reminder_2', 'resolve'] as const;
const waitingDays = (rules: LifecycleRules, step: (typeof WAITING_STEPS)[number]) =>
  step === 'reminder_1' ? rules.firstReminderDays : step === 'reminder_2' ? rules.secondReminderDays : rules.resolveDays;

/** The same local time `n` calendar days later in the calendar's time zone (daylight-saving changes keep the wall time). */
export function addCalendarDays(instant: Date, n: number, timeZone: string): Date {
  const zone = zoneRules(timeZone);
  const wall = instant.getTime() + zone.offsetAt(instant.getTime());
  return new Date(zone.resolveWallTime(wall + n * DAY_MS));
}

export type NextStep = { action: LifecycleAction; dueAt: Date } | null;

/**
 * The next automatic step. `since` is when the countdown started (the start of the wait, or the
 * resolution); `after` is the step just done, if any.
 */
export function nextStep(rules: LifecycleRules, calendar: BusinessCalendar, state: { status: Status; since: Date; after?: LifecycleAction | null }): NextStep {
  if (state.status === 'waiting_customer') {
    const from = state.after ? WAITING_STEPS.indexOf(state.after as (typeof WAITING_STEPS)[number]) + 1 : 0;
    const step = WAITING_STEPS[from];
    if (!step) return null;
    return { action: step, dueAt: calendar.addBusinessDays(state.since, waitingDays(rules, step)) };
  }
  if (state.status === 'resolved') {
    if (state.after === 'close') return null;
    return { action: 'close', dueAt: addCalendarDays(state.since, rules.closeDays, calendar.config.timeZone) };
  }
  return null;
}

/**
 * Restarts or cancels the countdown of a request after a status change or a public reply, in the
 * caller's transaction: waiting for the customer starts it over from now; a resolution counts the
 * closure from the resolution; any other status cancels it.
 */
export async function restartCountdown(tx: DbOrTx, ctx: { clock: { now(): Date } }, ticketId: string): Promise<void> {
  const now = ctx.clock.now();
  const [t] = await tx.select({ status: ticket.status, deskId: ticket.deskId, resolvedAt: ticket.resolvedAt }).from(ticket).where(eq(ticket.id, ticketId));
  if (!t) return;
  const status = t.status;
  if (status !== 'waiting_customer' && status !== 'resolved') {
    // Leaving resolution (a reopen) forgets that it was automatic; a closure keeps it for the notice.
    await tx
      .update(ticketLifecycle)
      .set({ nextAction: null, dueAt: null, since: null, updatedAt: now, ...(status === 'closed' ? {} : { autoResolvedAt: null }) })
      .where(eq(ticketLifecycle.ticketId, ticketId));
    return;
  }
  const since = status === 'resolved' ? (t.resolvedAt ?? now) : now;
  const next = nextStep(await loadRules(tx, t.deskId), await loadCalendar(tx), { status, since });
  const values = { nextAction: next?.action ?? null, dueAt: next?.dueAt ?? null, since, updatedAt: now };
  await tx
    .insert(ticketLifecycle)
    .values({ ticketId, ...values })
    .onConflictDoUpdate({ target: ticketLifecycle.ticketId, set: status === 'waiting_customer' ? { ...values, autoResolvedAt: null } : values });
}

/** After a change of a desk's rules: the pending steps of its requests move to the new delays, from each countdown's start. */
export async function rescheduleDesk(tx: DbOrTx, calendar: BusinessCalendar, deskId: string, rules: LifecycleRules, now: Date): Promise<number> {
  const rows = await tx
    .select({ ticketId: ticketLifecycle.ticketId, nextAction: ticketLifecycle.nextAction, since: ticketLifecycle.since, status: ticket.status })
    .from(ticketLifecycle)
    .innerJoin(ticket, eq(ticket.id, ticketLifecycle.ticketId))
    .where(and(eq(ticket.deskId, deskId), isNotNull(ticketLifecycle.nextAction), sql`${ticket.status} in ('waiting_customer', 'resolved')`))
    .for('update', { of: ticketLifecycle });
  for (const r of rows) {
    const action = r.nextAction!;
    const dueAt =
      action === 'close'
        ? addCalendarDays(r.since!, rules.closeDays, calendar.config.timeZone)
        : calendar.addBusinessDays(r.since!, waitingDays(rules, action));
    await tx.update(ticketLifecycle).set({ dueAt, updatedAt: now }).where(eq(ticketLifecycle.ticketId, r.ticketId));
  }
  return rows.length;
}

/**
 * Requests that were already waiting or resolved when automatic closure arrived (an upgraded
 * database) have no countdown: start theirs from when they entered that status. Idempotent; run
 * once per database, by its one-off job (backfill-countdowns.job.ts). Due steps are then done by the sweep, once each.
 */
export async function backfillCountdowns(db: DbOrTx, clock: { now(): Date }, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db
      .select({ id: ticket.id, status: ticket.status, deskId: ticket.deskId, statusChangedAt: ticket.statusChangedAt, resolvedAt: ticket.resolvedAt })
      .from(ticket)
      .leftJoin(ticketLifecycle, eq(ticketLifecycle.ticketId, ticket.id))
      .where(and(inArray(ticket.status, ['waiting_customer', 'resolved']), isNull(ticketLifecycle.ticketId)))
      .limit(batchSize);
    if (!rows.length) return total;
    const calendar = await loadCalendar(db);
    const now = clock.now();
    for (const r of rows) {
      const status = r.status;
      const since = status === 'resolved' ? (r.resolvedAt ?? r.statusChangedAt) : r.statusChangedAt;
      const next = nextStep(await loadRules(db, r.deskId), calendar, { status, since });
      await db
        .insert(ticketLifecycle)
        .values({ ticketId: r.id, nextAction: next?.action ?? null, dueAt: next?.dueAt ?? null, since, updatedAt: now })
        .onConflictDoNothing();
    }
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}
