import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { PgBoss } from 'pg-boss';
import type { Language } from '#shared/domain.ts';
import { afterCommit } from '../../db/after-commit.ts';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import { notificationPreference } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { sendJob } from '../../jobs/define-job.ts';
import { mailDeliveryJob } from './deliver-mail.job.ts';
import { signedReplyAddress } from './reply-address.ts';
import { mailCategories, renderMail, type MailTemplate, type MailTemplates } from './templates.ts';

export type MailDeps = {
  clock: Clock;
  log: FastifyBaseLogger;
  /** With SMTP configured, a delivery job is queued in the same transaction as the outbox row. */
  delivery: { boss: PgBoss } | null;
  /** BASE_URL: the host of the Message-IDs, and the prefix stripped from links for in-app notifications. */
  baseUrl: string;
  /** MAIL_REPLY_TO (default: MAIL_FROM's address); mails about a request reply to it tagged with the key, signed for the recipient. */
  replyTo: string;
  /** Signs the reply addresses (AUTH_SECRET): mail/reply-address.ts. */
  replySecret: string;
  /** Without SMTP: prints a held message, readable as it is (null: not printed, e.g. LOG_LEVEL above info). */
  printHeld?: ((text: string) => void) | null;
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
export async function emailOptedOut(tx: DbOrTx, userId: string, template: MailTemplate): Promise<boolean> {
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
  /** The recipient's account: their e-mail preferences apply. */
  userId?: string | null | undefined;
  /** The request the mail is about: its threading headers. */
  ticketId?: string | null | undefined;
};
export type OutboxRow = typeof outbox.$inferInsert & { id: string };

/** The outbox row of one e-mail, rendered, with its id chosen here (a caller may write it with other rows in one statement). */
export function outboxRow<T extends MailTemplate>(deps: MailDeps, mail: MailToWrite<T>): OutboxRow {
  const params = paramsIn(mail.params, mail.language);
  const rendered = renderMail(mail.template, mail.language, params);
  const now = deps.clock.now();
  const key = (params as { key?: unknown }).key;
  const ticketId = mail.ticketId ?? null;
  return {
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
    userId: mail.userId ?? null,
    ticketId,
    replyTo: signedReplyAddress(deps.replyTo, deps.replySecret, typeof key === 'string' ? key : undefined, mail.to),
    threadId: ticketId ? threadIdFor(ticketId, deps.baseUrl) : null,
  };
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
  return [`── E-mail held in the outbox (no SMTP_URL) ${rule}`.slice(0, 72), `To: ${row.to}`, `Subject: ${row.subject}`, '', row.text.trimEnd(), rule, ''].join(
    '\n',
  );
}

/** Writes an outbox row and dispatches it (its delivery job, or its printing after commit), in `tx`. */
export async function writeMail(tx: DbOrTx, deps: MailDeps, row: OutboxRow): Promise<void> {
  await tx.insert(outbox).values(row);
  await dispatchMail(tx, deps, row);
}

/**
 * Writes an e-mail to the outbox, in the caller's transaction, unless the user (`userId`) turned
 * that kind of e-mail off. Without SMTP the message is held: printed to the server log once
 * committed, and readable by administrators in the app. Returns the outbox row's id, or null when
 * no e-mail was written. An e-mail that is a notification about a request goes through notify()
 * (notifications/notify.ts), which writes the in-app notification too.
 */
export async function enqueueMail<T extends MailTemplate>(tx: DbOrTx, deps: MailDeps, mail: MailToWrite<T>): Promise<string | null> {
  const userId = mail.userId ?? null;
  if (userId && (await emailOptedOut(tx, userId, mail.template))) return null;
  const row = outboxRow(deps, mail);
  await inOneTransaction(tx, Boolean(deps.delivery), (inner) => writeMail(inner, deps, row));
  return row.id;
}

/**
 * Runs `write` in `tx` when it is the caller's transaction; otherwise, when it makes several writes
 * (`several`: the row and its delivery job), in a transaction of its own so they commit together.
 */
export async function inOneTransaction(tx: DbOrTx, several: boolean, write: (inner: DbOrTx) => Promise<void>): Promise<void> {
  const inTransaction = typeof (tx as { rollback?: unknown }).rollback === 'function';
  if (inTransaction || !several) await write(tx);
  else await tx.transaction(write);
}
