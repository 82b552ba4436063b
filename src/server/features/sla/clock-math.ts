import type { BusinessCalendar } from '../calendar/business-calendar.ts';

/*
 * What a clock's events say, measured with the business calendar (pure). A clock runs from its
 * start (or new cycle) until a pause or its stop, again from each resume: elapsed business time is
 * the sum over those segments, paused business time the sum over the gaps between them.
 */

export const MINUTE_MS = 60_000;

export type { ClockEventKind } from '#shared/sla-api.ts';
export type ClockEventLike = { at: Date; kind: string };

/** Running segments [from, to), to = null while still running. */
export type Segment = { from: number; to: number | null };

export function segmentsOf(events: readonly ClockEventLike[]): Segment[] {
  const segments: Segment[] = [];
  let open: number | null = null;
  // At one instant a start comes first: a clock may start and pause together (a request that comes under SLA while waiting).
  const rank = (kind: string) => (kind === 'start' || kind === 'new_cycle' ? 0 : 1);
  for (const event of [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a.kind) - rank(b.kind))) {
    const at = event.at.getTime();
    if ((event.kind === 'start' || event.kind === 'new_cycle' || event.kind === 'resume') && open === null) {
      open = at;
    } else if ((event.kind === 'pause' || event.kind === 'stop') && open !== null) {
      segments.push({ from: open, to: at });
      open = null;
    }
  }
  if (open !== null) segments.push({ from: open, to: null });
  return segments;
}

export const isRunning = (segments: readonly Segment[]) => segments.at(-1)?.to === null;

/** Business time counted up to `now`. */
export function elapsedMs(calendar: BusinessCalendar, segments: readonly Segment[], now: number): number {
  let total = 0;
  for (const s of segments) total += calendar.businessTimeBetween(s.from, Math.min(s.to ?? now, now));
  return total;
}

/** Business time spent paused up to `now` (between segments, and since the last pause if paused). */
export function pausedMs(calendar: BusinessCalendar, segments: readonly Segment[], now: number, stoppedAt: number | null): number {
  let total = 0;
  for (let i = 0; i < segments.length; i++) {
    const end = segments[i]!.to;
    if (end === null) break;
    const next = segments[i + 1]?.from ?? (stoppedAt === null ? now : end);
    total += calendar.businessTimeBetween(end, Math.min(next, now));
  }
  return total;
}

/**
 * The earliest instant at which the business time counted over the segments reaches `amountMs`,
 * or null when the clock is paused or stopped before reaching it.
 */
export function instantReaching(calendar: BusinessCalendar, segments: readonly Segment[], amountMs: number): Date | null {
  let counted = 0;
  for (const s of segments) {
    if (s.to === null) return calendar.addBusinessTime(s.from, amountMs - counted);
    const here = calendar.businessTimeBetween(s.from, s.to);
    if (counted + here >= amountMs) return calendar.addBusinessTime(s.from, amountMs - counted);
    counted += here;
  }
  return null;
}

/** A running clock is at risk once it has used this share of its target (the sweep warns then too). */
export const AT_RISK_SHARE = 0.75;

/**
 * The state of a clock as both sides see it: its outcome once stopped; breached past its target
 * (paused or not); paused; at risk from AT_RISK_SHARE of its target; running.
 */
export function clockState<Outcome extends string>(
  c: { stoppedAt: Date | null; pausedAt: Date | null; outcome: Outcome | null },
  elapsedMs: number,
  targetMs: number,
): Outcome | 'breached' | 'paused' | 'at_risk' | 'running' {
  if (c.stoppedAt !== null) return c.outcome!;
  if (elapsedMs > targetMs) return 'breached';
  if (c.pausedAt !== null) return 'paused';
  return elapsedMs >= targetMs * AT_RISK_SHARE ? 'at_risk' : 'running';
}

export type Thresholds = { warnAt: Date | null; deadline: Date | null; level3At: Date | null };

/**
 * The instants the sweep acts on: 75 % of the target, the target, twice the target. A stopped
 * clock has none. A paused clock keeps only those already reached before the pause (still due if
 * the sweep has not acted yet); the others wait for the resume, which recomputes them.
 */
export function thresholdsOf(calendar: BusinessCalendar, segments: readonly Segment[], targetMinutes: number, stopped: boolean): Thresholds {
  if (stopped) return { warnAt: null, deadline: null, level3At: null };
  const target = targetMinutes * MINUTE_MS;
  return {
    warnAt: instantReaching(calendar, segments, Math.ceil(target * AT_RISK_SHARE)),
    deadline: instantReaching(calendar, segments, target),
    level3At: instantReaching(calendar, segments, 2 * target),
  };
}
