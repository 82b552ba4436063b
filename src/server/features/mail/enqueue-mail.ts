import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import { afterCommit } from '../../db/after-commit.ts';
import type { DbOrTx } from '../../db/client.ts';
import { outbox, type Localized } from '../../db/schema.ts';
import { notification, notificationPreference } from '../../db/schema-notifications.ts';
import type { Clock } from '../../clock.ts';
import { sendJob } from '../../jobs/define-job.ts';
import { mailDeliveryJob } from './deliver-mail.job.ts';
import { mailCategories, mailSubject, renderMail, type MailTemplate, type MailTemplates } from './templates.ts';

export type MailDeps = {
  clock: Clock;
  log: FastifyBaseLogger;
  /** With SMTP configured, a delivery job is queued in the same transaction as the outbox row. */
  delivery: { boss: PgBoss } | null;
  /** BASE_URL: the host of the Message-IDs, and the prefix stripped from links for in-app notifications. */
  baseUrl: string;
  /** MAIL_REPLY_TO (default: MAIL_FROM's address); mails about a request reply to it tagged with the key. */
  replyTo: string;
  /** Without SMTP: prints a held message, readable as it is (null: not printed, e.g. LOG_LEVEL above info). */
  printHeld?: ((text: string) => void) | null;
};

/** support@example.com + SUP-12 → support+SUP-12@example.com: a reply names its request. */
export const replyToFor = (address: string, key: string | undefined) => {
  const at = address.lastIndexOf('@');
  if (!key || at < 0) return address;
  return `${address.slice(0, at)}+${key}${address.slice(at)}`;
};

/** The Message-ID every mail of one request refers to (In-Reply-To, References), so mail clients show one thread. */
export const threadIdFor = (ticketId: string, baseUrl: string) => `<request-${ticketId}@${new URL(baseUrl).hostname}>`;

/**
 * The preference category a template's e-mails can be turned off under, or null for an essential
 * one (always sent). A template without a category (added at runtime without one) counts as
 * essential: when in doubt, send.
 */
export function optionalCategoryOf(template: MailTemplate): string | null {
  const category = mailCategories[template] ?? 'essential';
  return category === 'essential' ? null : category;
}

/** Whether the user turned off the e-mails of this template's category (essential ones are always sent). */
async function optedOut(tx: DbOrTx, userId: string, template: MailTemplate): Promise<boolean> {
  const category = optionalCategoryOf(template);
  if (!category) return false;
  const [row] = await tx
    .select({ email: notificationPreference.email })
    .from(notificationPreference)
    .where(and(eq(notificationPreference.userId, userId), eq(notificationPreference.category, category)));
  return row?.email === false;
}

/** Queues the delivery job of an outbox row in the caller's transaction (with SMTP configured). */
export async function queueDelivery(tx: DbOrTx, delivery: NonNullable<MailDeps['delivery']>, outboxId: string): Promise<void> {
  await sendJob(delivery.boss, mailDeliveryJob, { outboxId }, { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) });
}

/**
 * A template's parameters: per language (a function of it) when any of them is words in a
 * language (a status label, a criticality, a date), or the same for every language. Per language,
 * the in-app notification's title is written in every language, so it reads in the reader's
 * current one (list-notifications.ts).
 */
export type MailParams<T extends MailTemplate> = MailTemplates[T] | ((language: Language) => MailTemplates[T]);

export const paramsIn = <T extends MailTemplate>(params: MailParams<T>, language: Language): MailTemplates[T] =>
  typeof params === 'function' ? params(language) : params;

export type MailToWrite<T extends MailTemplate = MailTemplate> = {
  to: string;
  /** The recipient's language: the e-mail is written in it. */
  language: Language;
  template: T;
  params: MailParams<T>;
  /** The recipient's account: their e-mail preferences apply, and with `ticketId` they get an in-app notification. */
  userId?: string | null | undefined;
  /** The request the mail is about: threading headers, and the in-app notification. */
  ticketId?: string | null | undefined;
};
export type OutboxRow = typeof outbox.$inferInsert & { id: string };
export type NotificationRow = typeof notification.$inferInsert;

/**
 * The rows one e-mail writes, rendered and with their ids chosen here (so that a caller may write
 * them together with other rows in one statement): the outbox row, unless the user turned that kind
 * of e-mail off, and the in-app notification for a known user about a request.
 */
export function mailRows<T extends MailTemplate>(deps: MailDeps, mail: MailToWrite<T>, options: { optedOut: boolean }): { outbox: OutboxRow | null; notification: NotificationRow | null } {
  const params = paramsIn(mail.params, mail.language);
  const rendered = renderMail(mail.template, mail.language, params);
  const now = deps.clock.now();
  const key = (params as { key?: unknown }).key;
  const userId = mail.userId ?? null;
  const ticketId = mail.ticketId ?? null;
  const outboxRow: OutboxRow | null = options.optedOut
    ? null
    : {
        id: randomUUID(),
        to: mail.to,
        language: mail.language,
        template: mail.template,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        status: deps.delivery ? 'pending' : 'held',
        createdAt: now,
        nextAttemptAt: now,
        userId,
        ticketId,
        replyTo: replyToFor(deps.replyTo, typeof key === 'string' ? key : undefined),
        threadId: ticketId ? threadIdFor(ticketId, deps.baseUrl) : null,
      };
  let notificationRow: NotificationRow | null = null;
  if (userId && ticketId) {
    const url = (params as { url?: unknown }).url;
    const link = typeof url === 'string' && url.startsWith(deps.baseUrl) ? url.slice(deps.baseUrl.length) || '/' : `/requests/${typeof key === 'string' ? key : ''}`;
    const titles = Object.fromEntries(
      LANGUAGES.map((language) => [language, language === mail.language ? rendered.subject : mailSubject(mail.template, language, paramsIn(mail.params, language))]),
    ) as Localized;
    notificationRow = { userId, ticketId, outboxId: outboxRow?.id ?? null, template: mail.template, title: rendered.subject, titles, link, createdAt: now };
  }
  return { outbox: outboxRow, notification: notificationRow };
}

/**
 * After an outbox row is written, in the same transaction: with SMTP, its delivery job (the row and
 * its job commit together: never a pending row without a job, nor a job without its row); without,
 * the held message is printed as it reads once the transaction has committed (a message of a
 * transaction that rolls back is never printed).
 */
export async function dispatchMail(tx: DbOrTx, deps: MailDeps, row: OutboxRow): Promise<void> {
  if (deps.delivery) {
    await queueDelivery(tx, deps.delivery, row.id);
  } else {
    deps.log.debug({ mail: { id: row.id, to: row.to, subject: row.subject } }, 'mail held in the outbox (no SMTP_URL)');
    const print = deps.printHeld;
    if (print) afterCommit(tx, () => print(heldMailText(row)));
  }
}

/** A held e-mail as a person reads it: real lines, the headers that matter, then the text part. */
export function heldMailText(row: Pick<OutboxRow, 'to' | 'subject' | 'text'>): string {
  const rule = '─'.repeat(72);
  return [`── E-mail held in the outbox (no SMTP_URL) ${rule}`.slice(0, 72), `To: ${row.to}`, `Subject: ${row.subject}`, '', row.text.trimEnd(), rule, ''].join('\n');
}

/**
 * The one way Guichet notifies someone. In the caller's transaction it writes the e-mail to the
 * outbox (unless the user turned that kind of e-mail off) and, for a mail about a request to a known
 * user, the in-app notification. Without SMTP the message is held: printed to the server log and
 * readable by administrators in the app. Returns the outbox row's id, or null when no e-mail was written.
 */
export async function enqueueMail<T extends MailTemplate>(tx: DbOrTx, deps: MailDeps, mail: MailToWrite<T>): Promise<string | null> {
  const userId = mail.userId ?? null;
  const write = async (inner: DbOrTx) => {
    const rows = mailRows(deps, mail, { optedOut: Boolean(userId) && (await optedOut(inner, userId!, mail.template)) });
    if (rows.outbox) {
      await inner.insert(outbox).values(rows.outbox);
      await dispatchMail(inner, deps, rows.outbox);
    }
    if (rows.notification) await inner.insert(notification).values(rows.notification);
    return rows.outbox?.id ?? null;
  };
  // Several writes commit together: inside the caller's transaction they already do; otherwise open one.
  const inTransaction = typeof (tx as { rollback?: unknown }).rollback === 'function';
  return inTransaction || !(deps.delivery || (userId && mail.ticketId)) ? write(tx) : tx.transaction(write);
}
