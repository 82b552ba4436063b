import type { Language } from '#shared/domain.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notifyCustomers } from '../tickets/notify-customers.ts';
import type { MailTemplates } from '../mail/templates.ts';

const LOCALES: Record<Language, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

/** A date as the customer reads it, in the business calendar's time zone. */
export const formatDay = (at: Date, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(LOCALES[language], { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(at);

type Template = 'lifecycle-reminder' | 'lifecycle-resolved';

/** E-mails the customers of a request (its reporter and participants who may still read it), each in their language, in the caller's transaction. */
export async function mailCustomers<T extends Template>(
  tx: DbOrTx,
  ctx: Pick<AppContext, 'mail' | 'config'>,
  ticketId: string,
  template: T,
  params: (language: Language, base: { key: string; summary: string; url: string }) => MailTemplates[T],
): Promise<void> {
  await notifyCustomers(tx, ctx, { ticketId, template, params });
}
