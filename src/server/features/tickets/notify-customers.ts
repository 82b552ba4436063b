import { and, eq, inArray, ne, sql, type SQLWrapper } from 'drizzle-orm';
import { CRITICALITY_LABELS } from '#shared/tickets.ts';
import type { Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notification, outbox, ticket, ticketParticipant, user } from '../../db/schema.ts';
import { notificationPreference } from '../../db/schema.ts';
import type { AppContext } from '../../context.ts';
import type { EventContext, RequestCreated } from '../../events/catalog.ts';
import type { CreationReaction } from '../../events/publish.ts';
import { dispatchMail, optionalCategoryOf } from '../mail/enqueue-mail.ts';
import { mailRows, notify } from '../mail/notify.ts';
import type { MailTemplate, MailTemplates } from '../mail/templates.ts';
import { customerRecipientCondition } from '../../policies/tickets.ts';

/** The templates of customer e-mails about a request: each names the request (key, summary, link). */
type RequestTemplate = { [T in MailTemplate]: MailTemplates[T] extends { key: string; summary: string; url: string } ? T : never }[MailTemplate];

/** A request written (`ticketId`), or one about to be (its organization and the customers who take part). */
type RequestOf = { ticketId: string; exceptUserId?: string | undefined; reporterOnly?: boolean } | { organizationId: string; userIds: string[] };

/**
 * The one query of the customers a request's notices go to: its reporter and participants — never
 * other members of the organization — who may still read it (the request page's rule: an account
 * moved to another organization, detached, made staff or deactivated gets nothing more), each with
 * their language and, for a template, whether they turned its e-mails off (an essential template
 * joins no preference: it is always sent).
 */
export async function requestCustomers(db: DbOrTx, request: RequestOf, template?: MailTemplate) {
  const category = template ? optionalCategoryOf(template) : null;
  const query = db
    .select({ id: user.id, email: user.email, language: user.language, emailOn: notificationPreference.email })
    .from(user)
    .leftJoin(notificationPreference, and(eq(notificationPreference.userId, user.id), category ? eq(notificationPreference.category, category) : sql`false`))
    .$dynamic();
  const rows =
    'ticketId' in request
      ? await query.innerJoin(ticket, eq(ticket.id, request.ticketId)).where(
          and(
            // The reporter and the participants, as the list of their ids: each read by its primary key,
            // not every account tested against the request (the OR of involvedCondition scanned them all).
            request.reporterOnly
              ? eq(user.id, ticket.reporterId)
              : inArray(
                  user.id,
                  sql`(select ${ticket.reporterId} from ${ticket} where ${ticket.id} = ${request.ticketId} union all select ${ticketParticipant.userId} from ${ticketParticipant} where ${ticketParticipant.ticketId} = ${request.ticketId})`,
                ),
            customerRecipientCondition(),
            request.exceptUserId ? ne(user.id, request.exceptUserId) : undefined,
          ),
        )
      : await query.where(
          and(inArray(user.id, request.userIds), customerRecipientCondition({ organizationId: request.organizationId, involves: () => sql`true` })),
        );
  return rows.map((r) => ({ id: r.id, email: r.email, language: r.language, optedOut: category !== null && r.emailOn === false }));
}

/** The customers a request's e-mails go to (requestCustomers), with the request's key and summary. */
export async function requestRecipients(db: DbOrTx, ticketId: string, options: { exceptUserId?: string | undefined; reporterOnly?: boolean } = {}) {
  const recipients = await requestCustomers(db, { ticketId, ...options });
  if (!recipients.length) return [];
  const [t] = await db.select({ key: ticket.key, summary: ticket.summary }).from(ticket).where(eq(ticket.id, ticketId));
  return recipients.map(({ optedOut: _optedOut, ...r }) => ({ ...r, key: t!.key, summary: t!.summary }));
}

/**
 * Notifies the customers of a request (requestCustomers), each in their own language: in the app,
 * and by e-mail unless they turned that kind off, in the caller's transaction.
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
  const recipients = await requestCustomers(
    tx,
    { ticketId: options.ticketId, exceptUserId: options.exceptUserId, reporterOnly: options.reporterOnly ?? false },
    options.template,
  );
  if (!recipients.length) return;
  const [t] = await tx.select({ key: ticket.key, summary: ticket.summary }).from(ticket).where(eq(ticket.id, options.ticketId));
  const base = requestMailBase(ctx, t!.key, t!.summary);
  for (const r of recipients) {
    await notify(tx, ctx.mail, {
      to: r.email,
      language: r.language,
      template: options.template,
      params: (l) => options.params(l, base),
      userId: r.id,
      ticketId: options.ticketId,
      optedOut: r.optedOut,
    });
  }
}

/** What every mail about a request names: its key, its summary and the link to its page. */
export const requestMailBase = (ctx: Pick<AppContext, 'config'>, key: string, summary: string) => ({
  key,
  summary,
  url: `${ctx.config.baseUrl}/requests/${key}`,
});

/**
 * The customers to tell about a request being created (requestCustomers: the request's
 * organization is the reporter's, and all of them take part), with whether they turned this
 * template's e-mails off: one read, before the request is written.
 */
export const newRequestRecipients = (db: DbOrTx, request: { organizationId: string }, userIds: string[], template: MailTemplate) =>
  requestCustomers(db, { organizationId: request.organizationId, userIds }, template);

/**
 * request.created: the acknowledgement of the reporter and the participants (an e-mail unless they
 * turned it off, and the in-app notification), written with the request in its one statement; the
 * delivery is queued in the creation's transaction, or the held message printed without SMTP.
 */
export async function acknowledgeCreation(db: DbOrTx, ctx: EventContext, e: RequestCreated): Promise<CreationReaction> {
  const mails = (await newRequestRecipients(db, { organizationId: e.organizationId }, e.customerIds, 'ticket-created')).map((r) =>
    mailRows(
      ctx.mail,
      {
        to: r.email,
        language: r.language,
        template: 'ticket-created',
        params: (language) => ({
          ...requestMailBase(ctx, e.key, e.summary),
          openedBy: e.openedBy,
          criticality: CRITICALITY_LABELS[e.criticality][language],
          byEmail: e.channel === 'email',
          followUpOf: e.followUpOfKey,
        }),
        userId: r.id,
        ticketId: e.ticketId,
      },
      { optedOut: r.optedOut },
    ),
  );
  const outboxRows = mails.flatMap((m) => (m.outbox ? [m.outbox] : []));
  const notificationRows = mails.flatMap((m) => (m.notification ? [m.notification] : []));
  const writes: SQLWrapper[] = [];
  if (outboxRows.length) writes.push(db.insert(outbox).values(outboxRows));
  if (notificationRows.length) writes.push(db.insert(notification).values(notificationRows));
  return {
    writes,
    needsTransaction: Boolean(ctx.mail.delivery && outboxRows.length),
    afterWrites: async (written) => {
      for (const row of outboxRows) await dispatchMail(written, ctx.mail, row);
    },
  };
}
