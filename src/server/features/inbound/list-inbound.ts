import { and, eq, type SQL } from 'drizzle-orm';
import type { InboundMessage, InboundMessageDetail, InboundStatus } from '#shared/inbound-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { inboundMessage, ticket } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { parseMail } from './parse-mail.ts';
import { readRaw } from './raw-store.ts';

/** Every column of the log but the raw message and the text, which only the detail reads. */
export const logColumns = {
  id: inboundMessage.id,
  source: inboundMessage.source,
  messageId: inboundMessage.messageId,
  from: inboundMessage.fromAddress,
  fromName: inboundMessage.fromName,
  to: inboundMessage.toAddresses,
  subject: inboundMessage.subject,
  receivedAt: inboundMessage.receivedAt,
  status: inboundMessage.status,
  reason: inboundMessage.reason,
  detail: inboundMessage.detail,
  matchedBy: inboundMessage.matchedBy,
  ticketKey: ticket.key,
  openedRequest: inboundMessage.openedRequest,
  attempts: inboundMessage.attempts,
  processedAt: inboundMessage.processedAt,
  refusedAttachments: inboundMessage.refusedAttachments,
  size: inboundMessage.size,
};

type LogRow = Omit<InboundMessage, 'receivedAt' | 'processedAt'> & { receivedAt: Date; processedAt: Date | null };

export const presentLog = (row: LogRow): InboundMessage => ({
  id: row.id,
  source: row.source,
  messageId: row.messageId,
  from: row.from,
  fromName: row.fromName,
  to: row.to,
  subject: row.subject,
  receivedAt: row.receivedAt.toISOString(),
  status: row.status,
  reason: row.reason,
  detail: row.detail,
  matchedBy: row.matchedBy,
  ticketKey: row.ticketKey,
  openedRequest: row.openedRequest,
  attempts: row.attempts,
  processedAt: row.processedAt?.toISOString() ?? null,
  refusedAttachments: row.refusedAttachments,
  size: row.size,
});

/** The inbound log, newest first (inbound_message_received_idx, or _status_received_idx with a status). */
export async function listInbound(db: DbOrTx, query: { cursor?: string | undefined; limit: number; status?: InboundStatus | undefined }) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, inboundMessage.receivedAt, inboundMessage.id)];
  if (query.status) filters.push(eq(inboundMessage.status, query.status));
  const rows = await db
    .select({ ...logColumns, cursorAt: cursorAt(inboundMessage.receivedAt) })
    .from(inboundMessage)
    .leftJoin(ticket, eq(ticket.id, inboundMessage.ticketId))
    .where(and(...filters))
    .orderBy(...keysetOrder(inboundMessage.receivedAt, inboundMessage.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentLog);
}

export async function getInboundSummary(db: DbOrTx, id: string): Promise<InboundMessage> {
  const [row] = await db.select(logColumns).from(inboundMessage).leftJoin(ticket, eq(ticket.id, inboundMessage.ticketId)).where(eq(inboundMessage.id, id));
  if (!row) throw notFound('inbound_message');
  return presentLog(row);
}

/** The headers that decide matching and loop detection, as received. */
const SHOWN_HEADERS = [
  'from',
  'to',
  'cc',
  'delivered-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'return-path',
  'content-type',
  'content-language',
];

/** One message of the log, with its whole text and the headers that matter (read again from the raw message). */
export async function getInboundMessage(db: DbOrTx, dataDir: string, id: string): Promise<InboundMessageDetail> {
  const summary = await getInboundSummary(db, id);
  const [stored] = await db.select({ text: inboundMessage.text }).from(inboundMessage).where(eq(inboundMessage.id, id));
  let text = stored!.text ?? '';
  let headers: { name: string; value: string }[] = [];
  try {
    const parsed = await parseMail(await readRaw(dataDir, id));
    text ||= parsed.text;
    headers = SHOWN_HEADERS.flatMap((name) => {
      const value = parsed.headers.get(name);
      return value === undefined ? [] : [{ name, value: value.slice(0, 2000) }];
    });
  } catch {
    // An unreadable (or lost) source shows no headers; the log keeps what was read when it arrived.
  }
  return { ...summary, text, headers };
}

/** The MIME source as received (an .eml file). */
export async function getInboundRaw(db: DbOrTx, dataDir: string, id: string): Promise<Buffer> {
  const [row] = await db.select({ id: inboundMessage.id }).from(inboundMessage).where(eq(inboundMessage.id, id));
  if (!row) throw notFound('inbound_message');
  return readRaw(dataDir, id);
}
