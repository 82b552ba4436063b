import { and, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { JobResult, PgBoss } from 'pg-boss';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { QUEUES } from '../../jobs/boss.ts';

export function createTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}

export type DeliveryDeps = { db: Db; clock: Clock; transport: Transporter; mailFrom: string; baseUrl: string };

/** The Message-ID is derived from the outbox row, so a retry re-sends the same message, never a new one. */
export const messageIdFor = (outboxId: string, baseUrl: string) => `<${outboxId}@${new URL(baseUrl).hostname}>`;

/**
 * Delivers one outbox message. Idempotent: a message already sent (or given up on) is not sent again.
 * A failed attempt is counted and its error kept; with `lastAttempt` the message is marked failed.
 * The error is rethrown so the job queue retries.
 */
export async function deliverMail(deps: DeliveryDeps, outboxId: string, options: { lastAttempt?: boolean } = {}): Promise<void> {
  const message = await deps.db.query.outbox.findFirst({ where: eq(outbox.id, outboxId) });
  if (!message || message.status !== 'pending') return;
  try {
    await deps.transport.sendMail({
      from: deps.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: messageIdFor(message.id, deps.baseUrl),
      headers: { 'Content-Language': message.language },
    });
  } catch (error) {
    await deps.db
      .update(outbox)
      .set({
        attempts: sql`${outbox.attempts} + 1`,
        lastError: String((error as Error).message).slice(0, 2000),
        ...(options.lastAttempt ? { status: 'failed' } : {}),
      })
      .where(and(eq(outbox.id, outboxId), eq(outbox.status, 'pending')));
    throw error;
  }
  await deps.db
    .update(outbox)
    .set({ status: 'sent', attempts: sql`${outbox.attempts} + 1`, lastError: null, sentAt: deps.clock.now() })
    .where(eq(outbox.id, outboxId));
}

/**
 * Works the delivery queue. Each job of a batch settles on its own, so one unreachable recipient
 * does not make the others of its batch retry; the queue's retry policy (jobs/boss.ts) spaces the attempts.
 */
export async function startMailWorker(boss: PgBoss, deps: DeliveryDeps, options: { pollingIntervalSeconds?: number } = {}): Promise<string> {
  const workOptions = { batchSize: 5, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, perJobResults: true, includeMetadata: true } as const;
  return boss.work<{ outboxId: string }, unknown, typeof workOptions>(
    QUEUES.mailDeliver,
    workOptions,
    async (jobs) => {
      const results: JobResult[] = [];
      for (const job of jobs) {
        try {
          await deliverMail(deps, job.data.outboxId, { lastAttempt: job.retryCount >= job.retryLimit });
          results.push({ id: job.id, status: 'completed' });
        } catch (error) {
          results.push({ id: job.id, status: 'failed', output: { message: (error as Error).message } });
        }
      }
      return results;
    },
  );
}
