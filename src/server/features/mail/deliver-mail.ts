import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { QUEUES } from '../../jobs/boss.ts';

export function createTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}

/** The Message-ID is derived from the outbox row, so a retry re-sends the same message, never a new one. */
export const messageIdFor = (outboxId: string, baseUrl: string) => `<${outboxId}@${new URL(baseUrl).hostname}>`;

/** Delivers one outbox message. Idempotent: a message already sent is not sent again. */
export async function deliverMail(
  deps: { db: Db; clock: Clock; transport: Transporter; mailFrom: string; baseUrl: string },
  outboxId: string,
): Promise<void> {
  const message = await deps.db.query.outbox.findFirst({ where: eq(outbox.id, outboxId) });
  if (!message || message.status === 'sent') return;
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
      .set({ attempts: message.attempts + 1, lastError: String((error as Error).message).slice(0, 2000) })
      .where(eq(outbox.id, outboxId));
    throw error;
  }
  await deps.db
    .update(outbox)
    .set({ status: 'sent', attempts: message.attempts + 1, lastError: null, sentAt: deps.clock.now() })
    .where(eq(outbox.id, outboxId));
}

export async function startMailWorker(
  boss: PgBoss,
  deps: { db: Db; clock: Clock; transport: Transporter; mailFrom: string; baseUrl: string },
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  await boss.work<{ outboxId: string }>(
    QUEUES.mailDeliver,
    { batchSize: 5, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      for (const job of jobs) await deliverMail(deps, job.data.outboxId);
    },
  );
}
