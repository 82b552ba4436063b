import { and, eq, isNotNull, ne, or, sql } from 'drizzle-orm';
import { languageSchema, type Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket, ticketParticipant, user } from '../../db/schema.ts';
import type { AppContext } from '../../app.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { MailTemplates } from '../mail/templates.ts';

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
    const base = { key: r.key, summary: r.summary, url: `${ctx.config.baseUrl}/requests/${r.key}` };
    await enqueueMail(tx, ctx.mail, { to: r.email, language, template: options.template, params: options.params(language, base), userId: r.id, ticketId: options.ticketId });
  }
}

