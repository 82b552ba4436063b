import { eq } from 'drizzle-orm';
import type { OpenFollowUpInput } from '#shared/lifecycle-api.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { loadTicketFor, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';

/**
 * "Open a follow-up request" on a closed request (DESIGN.md §2): a new request of the same type,
 * reporter's organization and project, linked to the old one. The usual rules of a new request
 * apply (an agent opens it for the old request's reporter, at their own desks).
 */
export async function openFollowUp(
  ctx: AppContext,
  viewer: Viewer,
  key: string,
  input: OpenFollowUpInput,
  options: {
    onCreated?: ((tx: Tx, created: { id: string; key: string }) => Promise<void>) | undefined;
    /** Files already uploaded by the viewer (a reply by e-mail's attachments). */
    attachmentIds?: string[];
    channel?: 'portal' | 'email';
  } = {},
): Promise<{ id: string; key: string }> {
  const access = await loadTicketFor(ctx.db, viewer, key);
  if (access.status !== 'closed')
    throw new AppError(409, 'lifecycle.follow_up_needs_closed', 'Only a closed request can have a follow-up; reply on this one instead.');
  const [old] = await ctx.db
    .select({ id: ticket.id, requestTypeId: ticket.requestTypeId, projectId: ticket.projectId, reporterId: ticket.reporterId })
    .from(ticket)
    .where(eq(ticket.id, access.id));
  return createTicket(
    ctx,
    viewer,
    {
      requestTypeId: old!.requestTypeId,
      projectId: old!.projectId,
      summary: input.summary,
      description: input.description,
      criticality: input.criticality,
      attachmentIds: options.attachmentIds ?? [],
      participantIds: [],
      ...(can(viewer, 'actForCustomer') ? { reporterId: old!.reporterId } : {}),
    },
    { followUpOfId: old!.id, followUpOfKey: key, onCreated: options.onCreated, ...(options.channel ? { channel: options.channel } : {}) },
  );
}
