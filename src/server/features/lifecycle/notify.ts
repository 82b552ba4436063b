import { and, eq, isNotNull, or, sql } from 'drizzle-orm';
import { languageSchema, type Language } from '#shared/domain.ts';
import type { AppContext } from '../../app.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket, ticketParticipant, user } from '../../db/schema.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { MailTemplates } from '../mail/templates.ts';

const LOCALES: Record<Language, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

/** A date as the customer reads it, in the business calendar's time zone. */
export const formatDay = (at: Date, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(LOCALES[language], { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(at);

type Template = 'lifecycle-reminder' | 'lifecycle-resolved';

/** E-mails the reporter and participants of a request (DESIGN.md §1), each in their language, in the caller's transaction. */
export async function mailCustomers<T extends Template>(
  tx: DbOrTx,
  ctx: Pick<AppContext, 'mail' | 'config'>,
  ticketId: string,
  template: T,
  params: (language: Language, base: { key: string; summary: string; url: string }) => MailTemplates[T],
): Promise<void> {
  const recipients = await tx
    .selectDistinct({ id: user.id, email: user.email, language: user.language, key: ticket.key, summary: ticket.summary })
    .from(ticket)
    .leftJoin(ticketParticipant, eq(ticketParticipant.ticketId, ticket.id))
    .innerJoin(user, or(eq(user.id, ticket.reporterId), and(isNotNull(ticketParticipant.userId), eq(user.id, ticketParticipant.userId))))
    .where(and(eq(ticket.id, ticketId), eq(user.role, 'customer'), sql`coalesce(${user.banned}, false) = false`));
  for (const r of recipients) {
    const language = languageSchema.catch('fr').parse(r.language);
    const base = { key: r.key, summary: r.summary, url: `${ctx.config.baseUrl}/requests/${r.key}` };
    await enqueueMail(tx, ctx.mail, { to: r.email, language, template, params: (l) => params(l, base), userId: r.id, ticketId });
  }
}
