import { inArray, sql } from 'drizzle-orm';
import type { SlaClockBrief } from '#shared/tickets-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { slaClock } from '../../db/schema.ts';
import { loadCalendar } from '../calendar/calendar-store.ts';
import { MINUTE_MS, clockState, elapsedMs, segmentsOf } from '../sla/clock-math.ts';
import { eventsOf } from '../sla/clock-events.ts';

export type ListSla = { engagement: SlaClockBrief | null; resolution: SlaClockBrief | null };

/**
 * Both clocks (the current cycle of each kind) of a page of requests, for the workspace list: one
 * query for the clocks (unique (ticket, kind, cycle) index), one for their events, whatever the page
 * size. States and remaining business time are those of the request page (sla/ticket-sla.ts).
 */
export async function slaOfPage(db: DbOrTx, ticketIds: string[], now: Date): Promise<Map<string, ListSla>> {
  const result = new Map<string, ListSla>();
  if (!ticketIds.length) return result;
  const clocks = await db
    .selectDistinctOn([slaClock.ticketId, slaClock.kind])
    .from(slaClock)
    .where(inArray(slaClock.ticketId, ticketIds))
    .orderBy(slaClock.ticketId, slaClock.kind, sql`${slaClock.cycle} desc`);
  if (!clocks.length) return result;
  const [calendar, events] = await Promise.all([
    loadCalendar(db),
    eventsOf(
      db,
      clocks.map((c) => c.id),
    ),
  ]);
  const at = now.getTime();
  for (const c of clocks) {
    const segments = segmentsOf(events.get(c.id) ?? []);
    const until = c.stoppedAt ? Math.min(c.stoppedAt.getTime(), at) : at;
    const elapsed = elapsedMs(calendar, segments, until);
    const target = c.targetMinutes * MINUTE_MS;
    const stopped = c.stoppedAt !== null;
    const paused = c.pausedAt !== null && !stopped;
    const state: SlaClockBrief['state'] = clockState(c, elapsed, target);
    const brief: SlaClockBrief = {
      state,
      deadline: stopped || paused ? null : (c.deadline?.toISOString() ?? null),
      remainingMinutes: Math.ceil((target - elapsed) / MINUTE_MS),
      targetMinutes: c.targetMinutes,
    };
    const entry = result.get(c.ticketId) ?? { engagement: null, resolution: null };
    entry[c.kind] = brief;
    result.set(c.ticketId, entry);
  }
  return result;
}
