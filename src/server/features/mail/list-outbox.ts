import { and, eq, type SQL } from 'drizzle-orm';
import type { OutboxMessage, OutboxMessageDetail } from '#shared/api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { outbox } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';

type OutboxStatus = OutboxMessage['status'];

/** Every column but the HTML body, which only the detail view needs. */
const summaryColumns = {
  id: outbox.id,
  to: outbox.to,
  subject: outbox.subject,
  template: outbox.template,
  language: outbox.language,
  status: outbox.status,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
  nextAttemptAt: outbox.nextAttemptAt,
  text: outbox.text,
};

type SummaryRow = Omit<OutboxMessage, 'language' | 'status' | 'createdAt' | 'sentAt' | 'nextAttemptAt'> & {
  nextAttemptAt: Date;
  language: OutboxMessage['language'];
  status: OutboxMessage['status'];
  createdAt: Date;
  sentAt: Date | null;
};

const present = (row: SummaryRow): OutboxMessage => ({
  id: row.id,
  to: row.to,
  subject: row.subject,
  template: row.template,
  language: row.language,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
  text: row.text,
});

export async function listOutbox(db: DbOrTx, query: { cursor?: string | undefined; limit: number; status?: OutboxStatus | undefined }) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, outbox.createdAt, outbox.id)];
  if (query.status) filters.push(eq(outbox.status, query.status));
  const rows = await db
    .select({ ...summaryColumns, cursorAt: cursorAt(outbox.createdAt) })
    .from(outbox)
    .where(and(...filters))
    .orderBy(...keysetOrder(outbox.createdAt, outbox.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, present);
}

export async function getOutboxMessage(db: DbOrTx, id: string): Promise<OutboxMessageDetail> {
  const [row] = await db
    .select({ ...summaryColumns, html: outbox.html })
    .from(outbox)
    .where(eq(outbox.id, id));
  if (!row) throw notFound('outbox_message');
  return { ...present(row), html: row.html };
}
