import { eq } from 'drizzle-orm';
import { customerSeesStatusChange, STATUSES, type Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { asOneStatement } from '../../db/one-statement.ts';
import { ticket, ticketEvent } from '../../db/schema.ts';

export type TicketField =
  | 'created'
  | 'status'
  | 'criticality'
  | 'desk'
  | 'request_type'
  | 'assignee'
  | 'project'
  | 'participant_added'
  | 'participant_removed'
  | 'qualified';

/** Fields whose changes the customer sees in the request's history. */
const CUSTOMER_VISIBLE: ReadonlySet<TicketField> = new Set([
  'created',
  'status',
  'criticality',
  'desk',
  'request_type',
  'participant_added',
  'participant_removed',
  'qualified',
]);

type HistoryBase = { ticketId: string; at: Date; actorId: string | null };
type HistoryEntry = { field: TicketField; from?: string | null; to?: string | null; reason?: string | null };

const isStatus = (value: string | null | undefined): value is Status => typeof value === 'string' && (STATUSES as readonly string[]).includes(value);

/**
 * Whether the customer sees this change (in the history, and as the request's last change): a
 * status change only between two statuses they read differently (in progress ↔ waiting for a third
 * party is no change to them).
 */
export const customerSeesChange = (e: HistoryEntry): boolean =>
  CUSTOMER_VISIBLE.has(e.field) && !(e.field === 'status' && isStatus(e.from) && isStatus(e.to) && !customerSeesStatusChange(e.from, e.to));

/** The history rows of these changes, for a caller that writes them with other rows. */
export function ticketEventRows(base: HistoryBase, events: HistoryEntry[]): (typeof ticketEvent.$inferInsert)[] {
  return events.map((e) => ({
    ...base,
    field: e.field,
    fromValue: e.from ?? null,
    toValue: e.to ?? null,
    reason: e.reason ?? null,
    customerVisible: customerSeesChange(e),
  }));
}

/**
 * Appends to the request's history (who, when, from, to, why) in the caller's transaction. A change
 * the customer sees is also the request's last change for customers (`customer_updated_at`: their
 * lists, sorts and `updatedAt`); the others (assignment, internal notes, SLA) leave it alone.
 * One statement either way.
 */
export async function recordEvents(tx: DbOrTx, base: HistoryBase, events: HistoryEntry[]): Promise<void> {
  if (events.length === 0) return;
  const insert = tx.insert(ticketEvent).values(ticketEventRows(base, events));
  if (!events.some(customerSeesChange)) {
    await insert;
    return;
  }
  await tx.execute(asOneStatement([insert, tx.update(ticket).set({ customerUpdatedAt: base.at }).where(eq(ticket.id, base.ticketId))]));
}
