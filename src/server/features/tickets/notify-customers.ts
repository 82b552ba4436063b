import { and, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { languageSchema, type Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket, ticketParticipant, user } from '../../db/schema.ts';
import { notificationPreference } from '../../db/schema-notifications.ts';
import type { AppContext } from '../../app.ts';
import { enqueueMail, optionalCategoryOf } from '../mail/enqueue-mail.ts';
import type { MailTemplate, MailTemplates } from '../mail/templates.ts';

type TicketTemplate = 'ticket-created' | 'ticket-reply' | 'ticket-status' | 'ticket-criticality';

/**
 * E-mails the customers of a request — the reporter and the participants, never other members of
 * the organization — each in their own language, through the outbox in the caller's transaction.
 */
export async function notifyCustomers<T extends TicketTemplate>(
  tx: DbOrTx,
  ctx: Pick<AppContext, 'mail' | 'config'>,
  options: {
    ticketId: string;
    template: T;
    /** The person who caused it is not told about their own action. */
    exceptUserId?: string;
    params: (language: Language, base: { key: string; summary: string; url: string }) => MailTemplates[T];
  },
): Promise<void> {
  const recipients = await tx
    .selectDistinct({ id: user.id, email: user.email, language: user.language, key: ticket.key, summary: ticket.summary })
    .from(ticket)
    .leftJoin(ticketParticipant, eq(ticketParticipant.ticketId, ticket.id))
    .innerJoin(user, or(eq(user.id, ticket.reporterId), and(isNotNull(ticketParticipant.userId), eq(user.id, ticketParticipant.userId))))
    .where(
      and(
        eq(ticket.id, options.ticketId),
        eq(user.role, 'customer'),
        sql`coalesce(${user.banned}, false) = false`,
        options.exceptUserId ? ne(user.id, options.exceptUserId) : undefined,
      ),
    );
  for (const r of recipients) {
    const language = languageSchema.catch('fr').parse(r.language);
    const base = requestMailBase(ctx, r.key, r.summary);
    await enqueueMail(tx, ctx.mail, { to: r.email, language, template: options.template, params: (l) => options.params(l, base), userId: r.id, ticketId: options.ticketId });
  }
}


/** What every mail about a request names: its key, its summary and the link to its page. */
export const requestMailBase = (ctx: Pick<AppContext, 'config'>, key: string, summary: string) => ({ key, summary, url: `${ctx.config.baseUrl}/requests/${key}` });

/**
 * The customers to tell about a request being created (its reporter and participants, active
 * customers only), each with their language and whether they turned this template's e-mails off:
 * one read, before the request is written.
 */
export async function newRequestRecipients(db: DbOrTx, userIds: string[], template: MailTemplate) {
  const category = optionalCategoryOf(template);
  const rows = await db
    .select({ id: user.id, email: user.email, language: user.language, emailOn: notificationPreference.email })
    .from(user)
    // An essential template joins no preference: it is always sent.
    .leftJoin(notificationPreference, and(eq(notificationPreference.userId, user.id), category ? eq(notificationPreference.category, category) : sql`false`))
    .where(and(inArray(user.id, userIds), eq(user.role, 'customer'), sql`coalesce(${user.banned}, false) = false`));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    language: languageSchema.catch('fr').parse(r.language),
    optedOut: category !== null && r.emailOn === false,
  }));
}
