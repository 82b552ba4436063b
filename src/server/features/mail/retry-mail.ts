import { eq } from 'drizzle-orm';
import type { OutboxMessage } from '#shared/api.ts';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { queueDelivery, type MailDeps } from './enqueue-mail.ts';
import { getOutboxMessage } from './list-outbox.ts';

/**
 * Sends a message again: a dead one (its tries used up) out of the dead letter, or a held one
 * (written while no SMTP server was configured) once one is. It is pending again, with a full set
 * of tries, due now, and the same Message-ID. The retry is audited, with the status, tries and
 * error it had.
 */
export async function retryMail(ctx: { db: Db; clock: Clock; mail: MailDeps }, options: { actorId: string; id: string }): Promise<OutboxMessage> {
  const delivery = ctx.mail.delivery;
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: outbox.id, status: outbox.status, attempts: outbox.attempts, lastError: outbox.lastError, to: outbox.to, subject: outbox.subject })
      .from(outbox)
      .where(eq(outbox.id, options.id))
      .for('update');
    if (!row) throw notFound('outbox_message');
    if (row.status !== 'failed' && row.status !== 'held') {
      throw conflict('outbox.not_dead', 'Only a message whose tries are used up, or one held without a mail server, can be sent again.');
    }
    if (!delivery) throw conflict('outbox.no_smtp', 'No SMTP server is configured (SMTP_URL): the message cannot be sent.');
    const now = ctx.clock.now();
    await tx.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedUntil: null }).where(eq(outbox.id, row.id));
    await queueDelivery(tx, delivery, row.id);
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'outbox.retried',
      targetType: 'outbox',
      targetId: row.id,
      details: { to: row.to, subject: row.subject, status: row.status, attempts: row.attempts, lastError: row.lastError },
    });
  });
  const { html: _html, ...message } = await getOutboxMessage(ctx.db, options.id);
  return message;
}
