import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { notificationPreference, ticket, user } from '../../db/schema.ts';
import type { EventContext, MessageAdded } from '../../events/catalog.ts';
import { staffAccount } from '../../policies/accounts.ts';
import { activeUser } from '../users/user-rules.ts';
import { notify } from '../mail/notify.ts';
import { requestMailBase } from './notify-customers.ts';
import { repliesByEmail } from '../../config.ts';

/**
 * message.added, a customer's public reply: the agent the request is assigned to is told, in the
 * app and by e-mail (unless they turned reply e-mails off) — a mail they can answer from their mail
 * client, on the same thread, when mail is read (the e-mail channel). An unassigned request's reply
 * waits in the queues.
 */
export async function notifyAssignee(tx: DbOrTx, ctx: EventContext, e: MessageAdded): Promise<void> {
  if (e.visibility !== 'public' || e.author.staff) return;
  const [assignee] = await tx
    .select({ id: user.id, email: user.email, language: user.language, key: ticket.key, summary: ticket.summary, emailOn: notificationPreference.email })
    .from(ticket)
    .innerJoin(user, and(eq(user.id, ticket.assigneeId), staffAccount(), activeUser()))
    .leftJoin(notificationPreference, and(eq(notificationPreference.userId, user.id), eq(notificationPreference.category, 'request-reply')))
    .where(and(eq(ticket.id, e.ticketId), sql`${ticket.assigneeId} <> ${e.author.id}`));
  if (!assignee) return;
  await notify(tx, ctx.mail, {
    to: assignee.email,
    language: assignee.language,
    template: 'ticket-reply',
    params: { ...requestMailBase(ctx, assignee.key, assignee.summary), authorName: e.author.name, body: e.body, replyByEmail: repliesByEmail(ctx.config) },
    userId: assignee.id,
    ticketId: e.ticketId,
    optedOut: assignee.emailOn === false,
  });
}
