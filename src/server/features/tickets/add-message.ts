import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { createMessageSchema } from '#shared/tickets-api.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ticket, ticketMessage, ticketParticipant } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { publish } from '../../events/publish.ts';
import { linkAttachments } from '../attachments/link-attachments.ts';
import { attachFilesInTransaction } from '../attachments/storage.ts';
import { applyStatus } from './change-status.ts';
import { inTicketTransaction } from './in-ticket-transaction.ts';
import { isInvolved, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { isCustomerServices } from '../../policies/accounts.ts';
import { recordEvents } from './record-event.ts';
import { messageVectorUpdate } from './search.ts';

/**
 * A public reply or an internal note. A customer who replies becomes a participant; a customer's
 * reply brings a request waiting for them, or resolved, back to "in progress"; an agent's first
 * public reply qualifies an open request. Internal notes reach no customer, by any way.
 */
export async function addMessage(
  ctx: AppContext,
  viewer: Viewer,
  key: string,
  input: z.infer<typeof createMessageSchema>,
  options: {
    /** Runs in the message's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: { id: string; ticketId: string }) => Promise<void>) | undefined;
  } = {},
) {
  // Who writes: Customer Services' reply moves the request on differently from a customer's.
  const staff = isCustomerServices(viewer);
  const written = async (tx: Tx, created: { id: string; ticketId: string }) => {
    await options.onCreated?.(tx, created);
    return created;
  };
  if (input.visibility === 'internal' && !can(viewer, 'workOnRequests'))
    throw new AppError(403, 'ticket.internal_note_staff_only', 'Only Customer Services writes internal notes.', 'visibility');
  // The files are placed inside the transaction: a file that cannot be placed fails the reply, and nothing is written.
  return attachFilesInTransaction(ctx.config.dataDir, input.attachmentIds, (placeFiles) =>
    inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
      if (!can(viewer, input.visibility === 'internal' ? 'addInternalNote' : 'reply', access)) {
        throw new AppError(409, 'ticket.final', 'This request is closed; open a follow-up request instead.');
      }
      const now = ctx.clock.now();
      const [message] = await tx
        .insert(ticketMessage)
        .values({ ticketId: current.id, authorId: viewer.id, visibility: input.visibility, body: input.body, createdAt: now })
        .returning({ id: ticketMessage.id });
      await linkAttachments(tx, {
        ids: input.attachmentIds,
        uploaderId: viewer.id,
        ticketId: current.id,
        messageId: message!.id,
        internal: input.visibility === 'internal',
      });
      if (input.attachmentIds.length) await placeFiles(current.id);
      await tx
        .update(ticket)
        // An internal note is a change for Customer Services only: the customers' last change stays.
        .set({
          updatedAt: now,
          ...(input.visibility === 'public' ? { customerUpdatedAt: now } : {}),
          ...messageVectorUpdate(viewer.language, input.body, input.visibility),
        })
        .where(eq(ticket.id, current.id));

      const firstPublicReply = staff && input.visibility === 'public' && !current.firstResponseAt;
      if (firstPublicReply) {
        await tx
          .update(ticket)
          .set({ firstResponseAt: now })
          .where(and(eq(ticket.id, current.id), sql`${ticket.firstResponseAt} is null`));
      }
      if (input.visibility === 'public' && !staff && !isInvolved(viewer, access)) {
        await tx.insert(ticketParticipant).values({ ticketId: current.id, userId: viewer.id, addedById: viewer.id, createdAt: now }).onConflictDoNothing();
        await recordEvents(tx, { ticketId: current.id, at: now, actorId: viewer.id }, [{ field: 'participant_added', to: viewer.id }]);
      }
      await publish(tx, ctx, {
        type: 'message.added',
        ticketId: current.id,
        messageId: message!.id,
        visibility: input.visibility,
        author: { id: viewer.id, name: viewer.name, staff },
        body: input.body,
        firstPublicReply,
      });
      if (input.visibility === 'internal') return written(tx, { id: message!.id, ticketId: current.id });

      // A reply moves the request on: an agent's first one qualifies it, a customer's brings it back to work.
      if (staff) {
        if (current.status === 'open') await applyStatus(tx, ctx, current, { to: 'qualified', actorId: viewer.id });
      } else if (current.status === 'waiting_customer' || current.status === 'resolved') {
        await applyStatus(tx, ctx, current, { to: 'in_progress', actorId: viewer.id });
      }
      return written(tx, { id: message!.id, ticketId: current.id });
    }),
  );
}
