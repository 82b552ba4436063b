import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticketParticipant, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { inTicketTransaction } from './in-ticket-transaction.ts';
import type { Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { customerAccount } from '../../policies/accounts.ts';
import { recordEvents } from './record-event.ts';
import { activeUser } from '../users/user-rules.ts';
import { isFinal } from '#shared/tickets.ts';

/** A closed or canceled request keeps who took part in it: its history and its readers stay as they were. */
const assertOpen = (status: Parameters<typeof isFinal>[0]) => {
  if (isFinal(status)) throw new AppError(409, 'ticket.final', 'This request is closed; open a follow-up request instead.');
};

/** Adds a colleague of the request's organization as a participant. */
export async function addParticipant(ctx: AppContext, viewer: Viewer, key: string, userId: string) {
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    assertOpen(current.status);
    if (!can(viewer, 'addParticipant', access)) throw new AppError(403, 'ticket.not_involved', 'You may not add participants to this request.');
    const [candidate] = await tx
      .select({ id: user.id })
      .from(user)
      .where(and(eq(user.id, userId), eq(user.organizationId, current.organizationId), customerAccount(), activeUser()));
    if (!candidate) throw new AppError(400, 'ticket.participant_not_in_organization', 'Participants must be colleagues of the same organization.', 'userId');
    if (userId === current.reporterId) throw new AppError(409, 'ticket.already_participant', 'The reporter already takes part.', 'userId');
    const now = ctx.clock.now();
    const inserted = await tx
      .insert(ticketParticipant)
      .values({ ticketId: current.id, userId, addedById: viewer.id, createdAt: now })
      .onConflictDoNothing()
      .returning({ userId: ticketParticipant.userId });
    if (inserted.length === 0) throw new AppError(409, 'ticket.already_participant', 'This person already takes part.', 'userId');
    await recordEvents(tx, { ticketId: current.id, at: now, actorId: viewer.id }, [{ field: 'participant_added', to: userId }]);
  });
}

/** Agents and the reporter remove participants; a participant may leave. */
export async function removeParticipant(ctx: AppContext, viewer: Viewer, key: string, userId: string) {
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    assertOpen(current.status);
    if (!can(viewer, 'removeParticipant', { ticket: access, userId })) throw new AppError(403, 'ticket.not_involved', 'You may not remove this participant.');
    const removed = await tx
      .delete(ticketParticipant)
      .where(and(eq(ticketParticipant.ticketId, current.id), eq(ticketParticipant.userId, userId)))
      .returning({ userId: ticketParticipant.userId });
    if (removed.length === 0) throw new AppError(404, 'ticket.participant_not_found', 'This person does not take part in the request.', 'userId');
    await recordEvents(tx, { ticketId: current.id, at: ctx.clock.now(), actorId: viewer.id }, [{ field: 'participant_removed', from: userId }]);
  });
}

/** The active customers of an organization, to pick participants or a reporter from. */
export async function listMembers(db: DbOrTx, organizationId: string) {
  return db
    .select({ id: user.id, name: user.name, email: user.email })
    .from(user)
    .where(and(eq(user.organizationId, organizationId), customerAccount(), eq(user.emailVerified, true), activeUser()))
    .orderBy(user.name)
    .limit(500);
}
