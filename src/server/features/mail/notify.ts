import { LANGUAGES } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Localized } from '../../db/schema.ts';
import { notification } from '../../db/schema.ts';
import { emailOptedOut, inOneTransaction, outboxRow, paramsIn, writeMail, type MailDeps, type MailToWrite, type OutboxRow } from './enqueue-mail.ts';
import { mailSubject, renderMail, type MailTemplate } from './templates.ts';

/** One user told about one request: in the app always, and by e-mail unless they turned that kind off. */
export type Notice<T extends MailTemplate = MailTemplate> = MailToWrite<T> & {
  userId: string;
  ticketId: string;
  /** Already known (read with the recipients): saves reading the user's preference again. */
  optedOut?: boolean;
};

export type NotificationRow = typeof notification.$inferInsert;

/**
 * The in-app notification of a notice: its title is the e-mail's subject, written in every
 * language so it reads in the reader's current one (list-notifications.ts); its link is the
 * template's page (`url` without BASE_URL), or the request's.
 */
export function notificationRow<T extends MailTemplate>(
  deps: Pick<MailDeps, 'clock' | 'baseUrl'>,
  notice: Notice<T>,
  outboxId: string | null,
): NotificationRow {
  const params = paramsIn(notice.params, notice.language);
  const subject = renderMail(notice.template, notice.language, params).subject;
  const key = (params as { key?: unknown }).key;
  const url = (params as { url?: unknown }).url;
  const link =
    typeof url === 'string' && url.startsWith(deps.baseUrl) ? url.slice(deps.baseUrl.length) || '/' : `/requests/${typeof key === 'string' ? key : ''}`;
  const titles = Object.fromEntries(
    LANGUAGES.map((language) => [language, language === notice.language ? subject : mailSubject(notice.template, language, paramsIn(notice.params, language))]),
  ) as Localized;
  return { userId: notice.userId, ticketId: notice.ticketId, outboxId, template: notice.template, title: subject, titles, link, createdAt: deps.clock.now() };
}

/**
 * The rows of a notice, ids chosen here, for a caller that writes them with other rows in one
 * statement (a request's creation): the in-app notification, and the outbox row unless opted out.
 */
export function noticeRows<T extends MailTemplate>(
  deps: MailDeps,
  notice: Notice<T> & { optedOut: boolean },
): { notification: NotificationRow; outbox: OutboxRow | null } {
  const outbox = notice.optedOut ? null : outboxRow(deps, notice);
  return { notification: notificationRow(deps, notice, outbox?.id ?? null), outbox };
}

/**
 * The one way Guichet tells a user about a request, in the caller's transaction: the in-app
 * notification is always written; the e-mail is the option, sent unless the user turned that kind
 * of e-mail off (essential ones always go). The outbox row, when there is one, is inserted just
 * before the notification that refers to it. Returns the outbox row's id, or null without e-mail.
 */
export async function notify<T extends MailTemplate>(tx: DbOrTx, deps: MailDeps, notice: Notice<T>): Promise<string | null> {
  const optedOut = notice.optedOut ?? (await emailOptedOut(tx, notice.userId, notice.template));
  const rows = noticeRows(deps, { ...notice, optedOut });
  await inOneTransaction(tx, true, async (inner) => {
    if (rows.outbox) await writeMail(inner, deps, rows.outbox);
    await inner.insert(notification).values(rows.notification);
  });
  return rows.outbox?.id ?? null;
}

/** noticeRows with the signature mail/enqueue-mail.ts's mailRows had (a request's creation writes them in one statement). */
export const mailRows = <T extends MailTemplate>(deps: MailDeps, notice: Notice<T>, options: { optedOut: boolean }) =>
  noticeRows(deps, { ...notice, optedOut: options.optedOut });
