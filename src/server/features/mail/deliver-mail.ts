import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';

export const DEFAULT_MAX_ATTEMPTS = 10;
export const DEFAULT_SEND_TIMEOUT_SECONDS = 60;

/** Every SMTP wait (connection, greeting, each reply) is bounded, so a send ends well within its lease. */
export function createTransport(smtpUrl: string, options: { timeoutSeconds?: number } = {}): Transporter {
  const ms = (options.timeoutSeconds ?? DEFAULT_SEND_TIMEOUT_SECONDS) * 1000;
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms });
}

export type DeliveryDeps = {
  db: Db;
  clock: Clock;
  transport: Transporter;
  mailFrom: string;
  baseUrl: string;
  /** Tries before the message goes to the dead letter (status failed). */
  maxAttempts?: number;
  /** The transport's timeout; a claim lasts three times as long. */
  sendTimeoutSeconds?: number;
};

/** The Message-ID is derived from the outbox row, so a retry re-sends the same message, never a new one. */
export const messageIdFor = (outboxId: string, baseUrl: string) => `<${outboxId}@${new URL(baseUrl).hostname}>`;

/** Exponential backoff: 30 s after the first failure, doubling each time, at most an hour. */
export const retryDelayMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export type DeliveryOutcome = 'sent' | 'retry' | 'dead' | 'skipped';

/**
 * Delivers one outbox message, if it is due and no other worker holds it. The claim (a lease written
 * with a conditional update) keeps two workers from sending the same message at once; a worker killed
 * mid-send leaves a lease that runs out, and the message is then sent again — with the same
 * Message-ID, the only duplicate a crash may cause. A failure is counted and the next try scheduled
 * with exponential backoff; after `maxAttempts` tries the message is dead (status failed).
 */
export async function deliverMail(deps: DeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const now = deps.clock.now();
  const leaseMs = 3 * (deps.sendTimeoutSeconds ?? DEFAULT_SEND_TIMEOUT_SECONDS) * 1000;
  const [message] = await deps.db
    .update(outbox)
    .set({ claimedUntil: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(outbox.id, outboxId),
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, now)),
      ),
    )
    .returning();
  if (!message) return 'skipped';
  try {
    await deps.transport.sendMail({
      from: deps.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: messageIdFor(message.id, deps.baseUrl),
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      ...(message.threadId ? { inReplyTo: message.threadId, references: [message.threadId] } : {}),
      // Every mail Guichet sends is written by a program (RFC 3834): out-of-office replies and other robots don't answer it, which is half of loop prevention (inbound/classify.ts is the other).
      headers: { 'Content-Language': message.language, 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } catch (error) {
    const attempts = message.attempts + 1;
    const dead = attempts >= (deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const failedAt = deps.clock.now();
    await deps.db
      .update(outbox)
      .set({
        attempts,
        lastError: String((error as Error).message).slice(0, 2000),
        claimedUntil: null,
        ...(dead ? { status: 'failed' } : { nextAttemptAt: new Date(failedAt.getTime() + retryDelayMs(attempts)) }),
      })
      .where(and(eq(outbox.id, outboxId), eq(outbox.status, 'pending')));
    return dead ? 'dead' : 'retry';
  }
  await deps.db
    .update(outbox)
    .set({ status: 'sent', attempts: sql`${outbox.attempts} + 1`, lastError: null, sentAt: deps.clock.now(), claimedUntil: null })
    .where(eq(outbox.id, outboxId));
  return 'sent';
}

/** Sends the due messages nobody holds: retries whose backoff has passed, and those of a crashed worker. */
export async function deliverDueMail(deps: DeliveryDeps, options: { limit?: number } = {}): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db
    .select({ id: outbox.id })
    .from(outbox)
    // The predicate repeats the partial index's (outbox_due_idx).
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, now))))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(options.limit ?? 20);
  let sent = 0;
  for (const { id } of due) if ((await deliverMail(deps, id)) === 'sent') sent++;
  return sent;
}
