import { and, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { languageSchema, type Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket, ticketParticipant, user } from '../../db/schema.ts';
import { notificationPreference } from '../../db/schema-notifications.ts';
import type { AppContext } from '../../context.ts';
import { enqueueMail, optionalCategoryOf } from '../mail/enqueue-mail.ts';
import type { MailTemplate, MailTemplates } from '../mail/templates.ts';
import { customerRecipientCondition } from './policy.ts';

/** The templates of customer e-mails about a request: each names the request (key, summary, link). */
type RequestTemplate = { [T in MailTemplate]: MailTemplates[T] extends { key: string; summary: string; url: string } ? T : never }[MailTemplate];

/**
 * The customers a request's e-mails go to: its reporter and participants — never other members of
 * the organization — who may still read it (the request page's rule: an account moved to another
 * organization, detached, made staff or deactivated gets nothing more), each with their language.
 */
export async function requestRecipients(db: DbOrTx, ticketId: string, options: { exceptUserId?: string | undefined; reporterOnly?: boolean } = {}) {
  const rows = await db
    .selectDistinct({ id: user.id, email: user.email, language: user.language, key: ticket.key, summary: ticket.summary })
    .from(ticket)
    .leftJoin(ticketParticipant, options.reporterOnly ? sql`false` : eq(ticketParticipant.ticketId, ticket.id))
    .innerJoin(user, or(eq(user.id, ticket.reporterId), and(isNotNull(ticketParticipant.userId), eq(user.id, ticketParticipant.userId))))
    .where(and(eq(ticket.id, ticketId), customerRecipientCondition(), options.exceptUserId ? ne(user.id, options.exceptUserId) : undefined));
  return rows.map((r) => ({ ...r, language: languageSchema.catch('fr').parse(r.language) }));
}

/**
 * E-mails the customers of a request (requestRecipients), each in their own language, with their
 * in-app notification, through the outbox in the caller's transaction.
 */
export async function notifyCustomers<T extends RequestTemplate>(
  tx: DbOrTx,
  ctx: Pick<AppContext, 'mail' | 'config'>,
  options: {
    ticketId: string;
    template: T;
    /** The person who caused it is not told about their own action. */
    exceptUserId?: string;
    /** Only the reporter (the satisfaction survey). */
    reporterOnly?: boolean;
    params: (language: Language, base: { key: string; summary: string; url: string }) => MailTemplates[T];
  },
): Promise<void> {
  const recipients = await requestRecipients(tx, options.ticketId, { exceptUserId: options.exceptUserId, reporterOnly: options.reporterOnly ?? false });
  for (const r of recipients) {
    const base = requestMailBase(ctx, r.key, r.summary);
    await enqueueMail(tx, ctx.mail, { to: r.email, language: r.language, template: options.template, params: (l) => options.params(l, base), userId: r.id, ticketId: options.ticketId });
  }
}

/** What every mail about a request names: its key, its summary and the link to its page. */
export const requestMailBase = (ctx: Pick<AppContext, 'config'>, key: string, summary: string) => ({ key, summary, url: `${ctx.config.baseUrl}/requests/${key}` });

/**
 * The customers to tell about a request being created (its reporter and participants, by the same
 * rule as requestRecipients: the request's organization is the reporter's, and all of them take
 * part), each with their language and whether they turned this template's e-mails off: one read,
 * before the request is written.
 */
export async function newRequestRecipients(db: DbOrTx, request: { organizationId: string }, userIds: string[], template: MailTemplate) {
  const category = optionalCategoryOf(template);
  const rows = await db
    .select({ id: user.id, email: user.email, language: user.language, emailOn: notificationPreference.email })
    .from(user)
    // An essential template joins no preference: it is always sent.
    .leftJoin(notificationPreference, and(eq(notificationPreference.userId, user.id), category ? eq(notificationPreference.category, category) : sql`false`))
    .where(and(inArray(user.id, userIds), customerRecipientCondition({ organizationId: request.organizationId, involves: () => sql`true` })));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    language: languageSchema.catch('fr').parse(r.language),
    optedOut: category !== null && r.emailOn === false,
  }));
}
