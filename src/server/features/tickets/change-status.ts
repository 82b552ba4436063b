import { eq } from 'drizzle-orm';
import { isFinal, type Status } from '#shared/tickets.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { publish } from '../../events/publish.ts';
import { inTicketTransaction, type TicketRow } from './in-ticket-transaction.ts';
import type { Viewer } from '../../policies/tickets.ts';
import { assertTransition } from '../../policies/can.ts';
import { recordEvents } from './record-event.ts';

/** Moves a request to another status, by an agent or a customer, as DESIGN.md §2 allows. */
export async function changeStatus(ctx: AppContext, viewer: Viewer, key: string, input: { to: Status; reason?: string | undefined }) {
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    assertTransition(viewer, access, input.to);
    await applyStatus(tx, ctx, current, { to: input.to, actorId: viewer.id, reason: input.reason ?? null });
  });
}

/**
 * Writes a status change with its timestamps and its history entry, and publishes it (the SLA
 * clocks, the closure countdown, the survey and the customers' e-mail react). Used by
 * explicit transitions and by the automatic ones (a customer's reply, an agent's first reply).
 */
export async function applyStatus(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'mail' | 'config'>,
  current: TicketRow,
  /** quiet: the caller sends its own e-mail (the automatic resolution says why and how to reopen). */
  change: { to: Status; actorId: string | null; reason?: string | null; quiet?: boolean },
): Promise<void> {
  const now = ctx.clock.now();
  const from = current.status;
  const to = change.to;
  await tx
    .update(ticket)
    .set({
      status: to,
      statusChangedAt: now,
      updatedAt: now,
      ...(to === 'qualified' && !current.qualifiedAt ? { qualifiedAt: now } : {}),
      ...(to === 'resolved' ? { resolvedAt: now } : {}),
      ...(from === 'resolved' && to === 'in_progress' ? { resolvedAt: null } : {}),
      ...(isFinal(to) ? { closedAt: now } : {}),
    })
    .where(eq(ticket.id, current.id));
  await recordEvents(tx, { ticketId: current.id, at: now, actorId: change.actorId }, [{ field: 'status', from, to, reason: change.reason ?? null }]);
  await publish(tx, ctx, {
    type: 'request.status_changed',
    ticketId: current.id,
    from,
    to,
    criticality: current.criticality,
    actorId: change.actorId,
    quiet: change.quiet ?? false,
  });
}
