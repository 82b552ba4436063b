import { sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { PgBoss } from 'pg-boss';
import type { Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { QUEUES } from '../../jobs/boss.ts';
import { renderMail, type MailTemplate, type MailTemplates } from './templates.ts';

export type MailDeps = {
  clock: Clock;
  log: FastifyBaseLogger;
  /** With SMTP configured, a delivery job is queued in the same transaction as the outbox row. */
  delivery: { boss: PgBoss } | null;
};

/**
 * Writes a message to the outbox in the caller's transaction. Without SMTP the message is held:
 * printed to the server log and readable by administrators in the app.
 */
export async function enqueueMail<T extends MailTemplate>(
  tx: DbOrTx,
  deps: MailDeps,
  mail: { to: string; language: Language; template: T; params: MailTemplates[T] },
): Promise<string> {
  const rendered = renderMail(mail.template, mail.language, mail.params);
  const values = {
    to: mail.to,
    language: mail.language,
    template: mail.template,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    status: deps.delivery ? 'pending' : 'held',
    createdAt: deps.clock.now(),
  };
  const delivery = deps.delivery;
  if (!delivery) {
    const [row] = await tx.insert(outbox).values(values).returning({ id: outbox.id });
    const id = row!.id;
    deps.log.info({ mail: { id, to: mail.to, subject: rendered.subject } }, `Mail held in the outbox (no SMTP_URL):\n  To: ${mail.to}\n  Subject: ${rendered.subject}\n${rendered.text}`);
    return id;
  }
  // The row and its delivery job commit together (a savepoint when the caller is already in a
  // transaction): never a pending row without a job, nor a job without its row.
  const id = await tx.transaction(async (inner) => {
    const [row] = await inner.insert(outbox).values(values).returning({ id: outbox.id });
    await delivery.boss.send(QUEUES.mailDeliver, { outboxId: row!.id }, { db: fromDrizzle(inner as unknown as Parameters<typeof fromDrizzle>[0], sql) });
    return row!.id;
  });
  return id;
}
