import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { ClockKind } from '#shared/sla-api.ts';
import type { Criticality } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { slaClock, slaClockEvent } from '../../db/schema.ts';
import type { BusinessCalendar } from '../calendar/business-calendar.ts';
import { MINUTE_MS, segmentsOf, thresholdsOf } from '../sla/clock-math.ts';
import { targetOf } from '../sla/policies.ts';
import type { JsmSlaCycle } from './jsm-client.ts';

/*
 * The SLA history of an imported request (issue 18). A completed JSM cycle becomes a stopped clock,
 * judged as JSM judged it (met or breached) with JSM's elapsed business time, so the SLA report
 * covers the years before the switch. The ongoing cycle of an open request becomes a clock running
 * under Guichet's calendar and policy from its JSM start, having already used the time JSM counted:
 * its running segment reaches JSM's elapsed time, then pauses until the import, then runs on (or
 * stays paused, when JSM had it paused). Thresholds already past at the import are marked as
 * notified: nobody is warned about the past.
 */

export type ImportedCycle = { kind: ClockKind; cycle: number; jsm: JsmSlaCycle; completed: boolean };

type ClockTarget = { policy: { id: string; targets: Parameters<typeof targetOf>[0]['targets'] }; criticality: Criticality };

const at = (d: { epochMillis: number }) => new Date(d.epochMillis);

/**
 * An instant from which the calendar counts `amountMs` of business time up to `end`: used when
 * JSM counted more business time since the cycle's start than Guichet's calendar has (another
 * calendar, or 24/7 hours), so the clock's running segment starts earlier than JSM's start.
 */
function businessStartBefore(calendar: BusinessCalendar, end: number, amountMs: number): number {
  let lo = end;
  let step = 86_400_000;
  while (calendar.businessTimeBetween(lo, end) < amountMs && step < 400 * 365 * 86_400_000) {
    lo = end - step;
    step *= 2;
  }
  let hi = end;
  // Bisect to the minute: businessTimeBetween(x, end) falls as x rises.
  while (hi - lo > MINUTE_MS) {
    const mid = Math.floor((lo + hi) / 2);
    if (calendar.businessTimeBetween(mid, end) >= amountMs) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The rows of one imported clock and its events, as new; the caller deletes an earlier version first. */
export function clockRows(
  calendar: BusinessCalendar,
  ticketId: string,
  c: ImportedCycle,
  target: ClockTarget,
  now: Date,
): { clock: typeof slaClock.$inferInsert; events: (typeof slaClockEvent.$inferInsert)[] } {
  const id = randomUUID();
  const start = at(c.jsm.startTime);
  const elapsedMs = Math.max(0, c.jsm.elapsedTime.millis);
  const jsmGoalMinutes = c.jsm.goalDuration ? Math.round(c.jsm.goalDuration.millis / MINUTE_MS) : null;
  const base = { imported: 'jsm', jsmElapsedMinutes: Math.floor(elapsedMs / MINUTE_MS), jsmGoalMinutes };
  if (c.completed) {
    const stop = c.jsm.stopTime ? at(c.jsm.stopTime) : now;
    const targetMinutes = jsmGoalMinutes ?? targetOf(target.policy, target.criticality, c.kind);
    const outcome = c.jsm.breached ? ('breached' as const) : ('met' as const);
    return {
      clock: {
        id,
        ticketId,
        kind: c.kind,
        cycle: c.cycle,
        policyId: target.policy.id,
        criticality: target.criticality,
        targetMinutes,
        startedAt: start,
        stoppedAt: stop,
        outcome,
      },
      events: [
        { clockId: id, at: start, kind: 'start', details: { ...base, targetMinutes } },
        { clockId: id, at: stop, kind: 'stop', details: { ...base, outcome, elapsedMinutes: Math.floor(elapsedMs / MINUTE_MS) } },
      ],
    };
  }
  const targetMinutes = targetOf(target.policy, target.criticality, c.kind);
  const reached = calendar.addBusinessTime(start, elapsedMs).getTime();
  const events: (typeof slaClockEvent.$inferInsert)[] = [];
  const paused = c.jsm.paused === true;
  if (reached <= now.getTime()) {
    events.push({ clockId: id, at: start, kind: 'start', details: { ...base, targetMinutes } });
    if (reached < now.getTime() || paused) {
      events.push({ clockId: id, at: new Date(reached), kind: 'pause', details: { ...base, reason: 'jsm_elapsed' } });
      if (!paused) events.push({ clockId: id, at: now, kind: 'resume', details: { ...base, reason: 'imported' } });
    }
  } else {
    const from = new Date(businessStartBefore(calendar, now.getTime(), elapsedMs));
    events.push({ clockId: id, at: from, kind: 'start', details: { ...base, targetMinutes, jsmStartedAt: start.toISOString() } });
    if (paused) events.push({ clockId: id, at: now, kind: 'pause', details: { ...base, reason: 'jsm_paused' } });
  }
  const segments = segmentsOf(events.map((e) => ({ at: e.at, kind: e.kind })));
  const thresholds = thresholdsOf(calendar, segments, targetMinutes, false);
  const past = (d: Date | null) => (d !== null && d.getTime() <= now.getTime() ? now : null);
  const pauseEvent = paused ? events.findLast((e) => e.kind === 'pause') : undefined;
  return {
    clock: {
      id,
      ticketId,
      kind: c.kind,
      cycle: c.cycle,
      policyId: target.policy.id,
      criticality: target.criticality,
      targetMinutes,
      startedAt: start,
      pausedAt: pauseEvent?.at ?? null,
      ...thresholds,
      warnedAt: past(thresholds.warnAt),
      breachNotifiedAt: past(thresholds.deadline),
      level3NotifiedAt: past(thresholds.level3At),
    },
    events,
  };
}

/** Removes an imported clock (to write its newer version): its events, then itself. */
export async function deleteClock(tx: DbOrTx, clockId: string): Promise<void> {
  await tx.delete(slaClockEvent).where(eq(slaClockEvent.clockId, clockId));
  await tx.delete(slaClock).where(and(eq(slaClock.id, clockId)));
}
