import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { createTimeEntrySchema, TimeEntry, updateTimeEntrySchema } from '#shared/flex-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { requestType, ticket, user } from '../../db/schema.ts';
import { timeEntry } from '../../db/schema.ts';
import { AppError, badRequest } from '../../errors.ts';
import { businessToday } from '../calendar/business-day.ts';
import { loadTicketFor, type Viewer } from '../../policies/tickets.ts';
import { assertStaff } from '../../policies/can.ts';

/*
 * Time logged by agents on a request (DESIGN.md §2 "Flex"): whole minutes, a day, a description,
 * billable or not. An agent corrects or deletes their own entries until a billing run has billed
 * them; after that, only a reversal (reverse-time-entry.ts) gives the time back.
 */

type Row = typeof timeEntry.$inferSelect & { agentName: string };

const present = (viewer: Viewer, r: Row): TimeEntry => ({
  id: r.id,
  workedOn: r.workedOn,
  minutes: r.minutes,
  description: r.description,
  billable: r.billable,
  agent: { id: r.agentId, name: r.agentName },
  status: r.reversedAt ? 'reversed' : r.billedAt ? 'billed' : 'unbilled',
  editable: !r.billedAt && r.agentId === viewer.id,
  createdAt: r.createdAt.toISOString(),
});

function checkFields(input: Partial<z.infer<typeof createTimeEntrySchema>>, today: string) {
  if (input.minutes !== undefined && input.minutes <= 0) throw badRequest('time_entry.minutes_not_positive', 'Log at least one minute.', 'minutes');
  if (input.workedOn !== undefined && input.workedOn > today)
    throw badRequest('time_entry.in_future', 'Time cannot be logged on a day still to come.', 'workedOn');
}

async function selectEntries(db: DbOrTx, where: ReturnType<typeof eq>) {
  return db
    .select({ entry: timeEntry, agentName: user.name })
    .from(timeEntry)
    .innerJoin(user, eq(user.id, timeEntry.agentId))
    .where(where)
    .orderBy(asc(timeEntry.workedOn), asc(timeEntry.createdAt), asc(timeEntry.id))
    .then((rows) => rows.map((r) => ({ ...r.entry, agentName: r.agentName })));
}

/** The time logged on a request, for staff who may see it (the request's visibility policy decides). */
export async function listTimeEntries(db: DbOrTx, viewer: Viewer, key: string) {
  assertStaff(viewer);
  const access = await loadTicketFor(db, viewer, key);
  const [type] = await db
    .select({ flex: requestType.requiresFlexContract })
    .from(ticket)
    .innerJoin(requestType, eq(requestType.id, ticket.requestTypeId))
    .where(eq(ticket.id, access.id));
  const rows = await selectEntries(db, eq(timeEntry.ticketId, access.id));
  const entries = rows.map((r) => present(viewer, r));
  return {
    entries,
    totalMinutes: rows.reduce((s, r) => s + r.minutes, 0),
    billableMinutes: rows.filter((r) => r.billable).reduce((s, r) => s + r.minutes, 0),
    flexBilled: type!.flex,
  };
}

export async function logTime(
  deps: { db: Db; clock: Clock },
  viewer: Viewer,
  key: string,
  input: z.infer<typeof createTimeEntrySchema>,
  options: { onCreated?: ((tx: Tx, created: TimeEntry) => Promise<void>) | undefined } = {},
): Promise<TimeEntry> {
  assertStaff(viewer);
  checkFields(input, await businessToday(deps.db, deps.clock));
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const access = await loadTicketFor(tx, viewer, key);
    const [row] = await tx
      .insert(timeEntry)
      .values({ ticketId: access.id, organizationId: access.organizationId, agentId: viewer.id, ...input, createdAt: now, updatedAt: now })
      .returning({ id: timeEntry.id });
    const [created] = await selectEntries(tx, eq(timeEntry.id, row!.id));
    const entry = present(viewer, created!);
    await options.onCreated?.(tx, entry);
    return entry;
  });
}

/** The entry, locked, if the viewer may still change it: their own, on a request they see, not billed. */
async function ownUnbilledEntry(tx: DbOrTx, viewer: Viewer, id: string) {
  const [row] = await tx.select().from(timeEntry).where(eq(timeEntry.id, id)).for('update');
  const notFound = new AppError(404, 'time_entry.not_found', 'This time entry does not exist.');
  if (!row) throw notFound;
  const [t] = await tx.select({ key: ticket.key }).from(ticket).where(eq(ticket.id, row.ticketId));
  await loadTicketFor(tx, viewer, t!.key).catch(() => {
    throw notFound;
  });
  if (row.agentId !== viewer.id) throw new AppError(403, 'time_entry.not_author', 'Only the agent who logged this time may change it.');
  if (row.billedAt) throw new AppError(409, 'time_entry.billed', 'This time is billed: ask an administrator to reverse it instead.');
  return row;
}

export async function correctTimeEntry(
  deps: { db: Db; clock: Clock },
  viewer: Viewer,
  id: string,
  changes: z.infer<typeof updateTimeEntrySchema>,
): Promise<TimeEntry> {
  assertStaff(viewer);
  checkFields(changes, await businessToday(deps.db, deps.clock));
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await ownUnbilledEntry(tx, viewer, id);
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    await tx
      .update(timeEntry)
      .set({ ...set, updatedAt: now })
      .where(and(eq(timeEntry.id, id)));
    const [updated] = await selectEntries(tx, eq(timeEntry.id, id));
    return present(viewer, updated!);
  });
}

export async function deleteTimeEntry(deps: { db: Db }, viewer: Viewer, id: string): Promise<void> {
  assertStaff(viewer);
  await deps.db.transaction(async (tx) => {
    await ownUnbilledEntry(tx, viewer, id);
    await tx.delete(timeEntry).where(eq(timeEntry.id, id));
  });
}
