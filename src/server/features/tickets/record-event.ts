import type { DbOrTx } from '../../db/client.ts';
import { ticketEvent } from '../../db/schema.ts';

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
const CUSTOMER_VISIBLE: ReadonlySet<TicketField> = new Set(['created', 'status', 'criticality', 'desk', 'request_type', 'participant_added', 'participant_removed', 'qualified']);

type HistoryBase = { ticketId: string; at: Date; actorId: string | null };
type HistoryEntry = { field: TicketField; from?: string | null; to?: string | null; reason?: string | null };

/** The history rows of these changes, for a caller that writes them with other rows. */
export function ticketEventRows(base: HistoryBase, events: HistoryEntry[]): (typeof ticketEvent.$inferInsert)[] {
  return events.map((e) => ({
    ...base,
    field: e.field,
    fromValue: e.from ?? null,
    toValue: e.to ?? null,
    reason: e.reason ?? null,
    customerVisible: CUSTOMER_VISIBLE.has(e.field),
  }));
}

/** Appends to the request's history (who, when, from, to, why) in the caller's transaction. */
export async function recordEvents(tx: DbOrTx, base: HistoryBase, events: HistoryEntry[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(ticketEvent).values(ticketEventRows(base, events));
}
