import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import type { LifecycleAction } from '#shared/lifecycle-api.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { ticketLifecycle } from '../../db/schema.ts';
import { calendarFor, loadCalendarConfig } from '../calendar/calendar-store.ts';
import { applyStatus } from '../tickets/change-status.ts';
import { nextStep } from './countdown.ts';
import { formatDay, mailCustomers } from './notify.ts';
import { loadRules } from './rules.ts';

/*
 * The automatic-closure sweep (DESIGN.md §2): every minute, the countdowns whose next step is due
 * are read through their partial index, in batches, and locked together with their request with
 * SKIP LOCKED, so several instances share the work and a reply being written at that moment wins
 * (its transaction restarts the countdown; the sweep takes the row up again next time if still due).
 * Each step is done in one transaction with the computation of the next one: it happens once.
 * After a downtime the overdue steps are done one after the other, once each; a reminder whose
 * following step is already due too is not sent (it would announce a date that has passed): the
 * customer gets only the resolution notice.
 */

type SweepCtx = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>;
export type LifecycleSweepResult = Record<LifecycleAction, number>;

export async function runLifecycleSweep(ctx: SweepCtx, options: { batchSize?: number; maxBatches?: number } = {}): Promise<LifecycleSweepResult> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 200;
  const result: LifecycleSweepResult = { reminder_1: 0, reminder_2: 0, resolve: 0, close: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const { done, taken } = await ctx.db.transaction((tx) => sweepBatch(tx, ctx, batchSize));
    for (const action of done) result[action]++;
    if (taken === 0) break;
  }
  return result;
}

/** `done`: the steps carried out; `taken`: the due rows handled (skipped reminders and stale rows included). */
async function sweepBatch(tx: Tx, ctx: SweepCtx, batchSize: number): Promise<{ done: LifecycleAction[]; taken: number }> {
  const now = ctx.clock.now();
  const due = await tx
    .select({ countdown: ticketLifecycle, t: ticket })
    .from(ticketLifecycle)
    .innerJoin(ticket, eq(ticket.id, ticketLifecycle.ticketId))
    // The predicate repeats the partial index's, so the planner reads only the due rows.
    .where(and(isNotNull(ticketLifecycle.nextAction), lte(ticketLifecycle.dueAt, now)))
    .orderBy(ticketLifecycle.dueAt)
    .limit(batchSize)
    .for('update', { of: [ticketLifecycle, ticket], skipLocked: true });
  const done: LifecycleAction[] = [];
  if (!due.length) return { done, taken: 0 };
  const calendar = calendarFor(await loadCalendarConfig(tx));
  const timeZone = calendar.config.timeZone;
  // One read of the rules per desk and batch, not per request.
  const rulesOf = new Map<string, Awaited<ReturnType<typeof loadRules>>>();
  for (const { countdown, t } of due) {
    const action = countdown.nextAction!;
    const status = t.status;
    const rules = rulesOf.get(t.deskId) ?? (await loadRules(tx, t.deskId));
    rulesOf.set(t.deskId, rules);
    const expected = action === 'close' ? 'resolved' : 'waiting_customer';
    if (status !== expected) {
      // Cannot happen while every status change goes through applyStatus; a stale row is simply cleared.
      await tx.update(ticketLifecycle).set({ nextAction: null, dueAt: null, updatedAt: now }).where(eq(ticketLifecycle.ticketId, t.id));
      continue;
    }
    if (action === 'reminder_1' || action === 'reminder_2') {
      const next = nextStep(rules, calendar, { status, since: countdown.since!, after: action });
      const resolveAt = calendar.addBusinessDays(countdown.since!, rules.resolveDays);
      const overtaken = next !== null && next.dueAt.getTime() <= now.getTime();
      if (!overtaken) {
        await mailCustomers(tx, ctx, t.id, 'lifecycle-reminder', (language, base) => ({
          ...base,
          number: action === 'reminder_1' ? 1 : 2,
          resolveOn: formatDay(resolveAt, language, timeZone),
        }));
      }
      await tx
        .update(ticketLifecycle)
        .set({ nextAction: next?.action ?? null, dueAt: next?.dueAt ?? null, updatedAt: now })
        .where(eq(ticketLifecycle.ticketId, t.id));
      if (overtaken) continue;
    } else if (action === 'resolve') {
      // By the system (no actor): the history shows an automatic resolution. Its subscribers start the closure countdown.
      await applyStatus(tx, ctx, t, { to: 'resolved', actorId: null, reason: null, quiet: true });
      const [row] = await tx
        .update(ticketLifecycle)
        .set({ autoResolvedAt: now })
        .where(eq(ticketLifecycle.ticketId, t.id))
        .returning({ dueAt: ticketLifecycle.dueAt });
      const closeAt = row?.dueAt ?? now;
      await mailCustomers(tx, ctx, t.id, 'lifecycle-resolved', (language, base) => ({
        ...base,
        businessDays: rules.resolveDays,
        closeOn: formatDay(closeAt, language, timeZone),
      }));
    } else {
      await applyStatus(tx, ctx, t, { to: 'closed', actorId: null, reason: null });
    }
    done.push(action);
  }
  return { done, taken: due.length };
}

export const LIFECYCLE_SWEEP_CRON = '* * * * *';

/** Every minute; a failed sweep is done again by the next one. */
export const lifecycleSweepJob = defineJob({
  name: 'lifecycle.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 },
  schedule: { cron: LIFECYCLE_SWEEP_CRON },
  handler: (_payload, ctx: SweepCtx & { batchSize?: number }) => runLifecycleSweep(ctx, ctx.batchSize ? { batchSize: ctx.batchSize } : {}),
});

/** Works the sweep queue; with `schedule`, pg-boss also queues a sweep every minute (once across instances). */
export async function startLifecycleWorker(
  boss: PgBoss,
  ctx: SweepCtx,
  options: { schedule?: boolean; pollingIntervalSeconds?: number; batchSize?: number } = {},
): Promise<string> {
  const { batchSize, ...work } = options;
  return workJob(boss, lifecycleSweepJob, batchSize ? { ...ctx, batchSize } : ctx, work);
}
