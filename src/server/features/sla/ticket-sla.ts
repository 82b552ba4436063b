import { asc, eq } from 'drizzle-orm';
import type { SlaClockView, TicketSla } from '#shared/sla-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { slaClock, slaPolicy } from '../../db/schema.ts';
import { loadCalendar } from '../calendar/calendar-store.ts';
import { MINUTE_MS, clockState, elapsedMs, instantReaching, pausedMs, segmentsOf } from './clock-math.ts';
import { eventsOf } from './clock-events.ts';

/**
 * The SLA of one request as of `now`: for agents every clock with its numbers and state; for
 * everyone the commitments in the customer's terms. Null when the request has no clocks.
 */
export async function getTicketSla(db: DbOrTx, ticketId: string, now: Date, options: { staff: boolean }): Promise<TicketSla | null> {
  const rows = await db
    .select({ c: slaClock, version: slaPolicy.version })
    .from(slaClock)
    .innerJoin(slaPolicy, eq(slaPolicy.id, slaClock.policyId))
    .where(eq(slaClock.ticketId, ticketId))
    .orderBy(asc(slaClock.kind), asc(slaClock.cycle));
  if (!rows.length) return null;
  const calendar = await loadCalendar(db);
  const events = await eventsOf(
    db,
    rows.map((r) => r.c.id),
  );
  const at = now.getTime();
  const views: SlaClockView[] = rows.map(({ c, version }) => {
    const segments = segmentsOf(events.get(c.id) ?? []);
    const until = c.stoppedAt ? Math.min(c.stoppedAt.getTime(), at) : at;
    const elapsed = elapsedMs(calendar, segments, until);
    const target = c.targetMinutes * MINUTE_MS;
    const paused = c.pausedAt !== null && c.stoppedAt === null;
    const stopped = c.stoppedAt !== null;
    const state: SlaClockView['state'] = clockState(c, elapsed, target);
    return {
      kind: c.kind,
      cycle: c.cycle,
      criticality: c.criticality,
      policyVersion: version,
      targetMinutes: c.targetMinutes,
      elapsedMinutes: Math.floor(elapsed / MINUTE_MS),
      pausedMinutes: Math.floor(pausedMs(calendar, segments, until, c.stoppedAt?.getTime() ?? null) / MINUTE_MS),
      remainingMinutes: Math.ceil((target - elapsed) / MINUTE_MS),
      startedAt: c.startedAt.toISOString(),
      stoppedAt: c.stoppedAt?.toISOString() ?? null,
      deadline: stopped || paused ? null : (instantReaching(calendar, segments, target)?.toISOString() ?? null),
      state,
      outcome: (c.outcome as SlaClockView['outcome']) ?? null,
    };
  });
  const engagement = views.find((v) => v.kind === 'engagement') ?? null;
  const resolution = views.filter((v) => v.kind === 'resolution').at(-1) ?? null;
  const customer = {
    answerExpectedBy: engagement && !engagement.stoppedAt ? engagement.deadline : null,
    answeredAt: engagement?.stoppedAt ?? null,
    resolutionTargetedBy: resolution && !resolution.stoppedAt ? resolution.deadline : null,
    pausedWaitingForYou: Boolean(
      resolution && !resolution.stoppedAt && rows.find((r) => r.c.kind === 'resolution' && r.c.cycle === resolution.cycle)!.c.pausedAt,
    ),
  };
  return options.staff ? { clocks: views, engagement, resolution, customer } : { customer };
}
