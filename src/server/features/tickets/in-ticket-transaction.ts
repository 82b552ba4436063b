import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ticket, ticketParticipant } from '../../db/schema.ts';
import { canSeeSql, ticketNotFound, type TicketAccess, type Viewer } from '../../policies/tickets.ts';

export type TicketRow = typeof ticket.$inferSelect;

/**
 * Runs a change to one request in one transaction, with the request's row locked so concurrent
 * changes apply one after the other. The request must be visible to the viewer (404 otherwise).
 */
export async function inTicketTransaction<T>(
  ctx: Pick<AppContext, 'db'>,
  viewer: Viewer,
  key: string,
  change: (tx: Tx, current: TicketRow, access: TicketAccess) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        t: ticket,
        isParticipant: sql<boolean>`exists(select 1 from ${ticketParticipant} where ${ticketParticipant.ticketId} = ${ticket.id} and ${ticketParticipant.userId} = ${viewer.id})`,
        visible: canSeeSql(viewer),
      })
      .from(ticket)
      .where(eq(ticket.key, key))
      .for('update', { of: ticket });
    if (!row?.visible) throw ticketNotFound();
    const access: TicketAccess = {
      id: row.t.id,
      organizationId: row.t.organizationId,
      reporterId: row.t.reporterId,
      deskId: row.t.deskId,
      status: row.t.status,
      isParticipant: row.isParticipant,
    };
    return change(tx, row.t, access);
  });
}
