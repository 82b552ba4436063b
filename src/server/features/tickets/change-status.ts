import { eq } from 'drizzle-orm';
import { CUSTOMER_STATUS_LABELS, customerSeesStatusChange, isFinal, type Status } from '#shared/tickets.ts';
import type { AppContext } from '../../app.ts';
import type { Tx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { onLifecycleStatusChange } from '../lifecycle/hooks.ts';
import { onStatusChange } from '../sla/clocks.ts';
import { inTicketTransaction, type TicketRow } from './in-ticket-transaction.ts';
import { notifyCustomers } from './notify-customers.ts';
import { assertTransition, type Viewer } from './policy.ts';
import { recordEvents } from './record-event.ts';

/** Moves a request to another status, by an agent or a customer, as DESIGN.md §2 allows. */
export async function changeStatus(ctx: AppContext, viewer: Viewer, key: string, input: { to: Status; reason?: string | undefined }) {
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    assertTransition(viewer, access, input.to);
    await applyStatus(tx, ctx, current, { to: input.to, actorId: viewer.id, reason: input.reason ?? null });
  });
}

/**
 * Writes a status change with its timestamps, its history entry and the customers' e-mail. Used by
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
  await onStatusChange(tx, ctx, current, from, to);
  await onLifecycleStatusChange(tx, ctx, current.id, to);
  if (change.quiet) return;
  // in_progress ↔ waiting_third_party is one status to the customer: no e-mail for a change they cannot see.
  if (!customerSeesStatusChange(from, to)) return;
  await notifyCustomers(tx, ctx, {
    ticketId: current.id,
    template: 'ticket-status',
    ...(change.actorId ? { exceptUserId: change.actorId } : {}),
    params: (language, base) => ({ ...base, status: CUSTOMER_STATUS_LABELS[to][language] }),
  });
}
