import { asc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { slaClockEvent } from '../../db/schema.ts';

/** The events of clocks, in order, by clock: what the clocks' state is derived from (and what a list of requests reads). */
export async function eventsOf(tx: DbOrTx, clockIds: string[]) {
  if (!clockIds.length) return new Map<string, { at: Date; kind: string; details: Record<string, unknown> }[]>();
  const rows = await tx
    .select({ clockId: slaClockEvent.clockId, at: slaClockEvent.at, kind: slaClockEvent.kind, details: slaClockEvent.details })
    .from(slaClockEvent)
    .where(inArray(slaClockEvent.clockId, clockIds))
    .orderBy(asc(slaClockEvent.at), asc(slaClockEvent.id));
  const byClock = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byClock.get(row.clockId) ?? [];
    list.push(row);
    byClock.set(row.clockId, list);
  }
  return byClock;
}
