import { and, eq } from 'drizzle-orm';
import type { MessageOriginal } from '#shared/inbound-api.ts';
import type { AppContext } from '../../context.ts';
import { inboundMessage, ticketMessage } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { can } from '../../policies/can.ts';
import { loadTicketFor, type Viewer } from '../../policies/tickets.ts';
import { parseMail } from './parse-mail.ts';
import { readRaw } from './raw-store.ts';

/**
 * The e-mail a request's message came from, as its sender wrote it (quoted history and signature
 * included): for whoever may read the message — an internal note's original is Customer Services'
 * alone, like the note. Anything else is a 404.
 */
export async function getMessageOriginal(ctx: Pick<AppContext, 'db' | 'config'>, viewer: Viewer, key: string, messageId: string): Promise<MessageOriginal> {
  const access = await loadTicketFor(ctx.db, viewer, key);
  const [row] = await ctx.db
    .select({
      visibility: ticketMessage.visibility,
      from: inboundMessage.fromAddress,
      subject: inboundMessage.subject,
      receivedAt: inboundMessage.receivedAt,
      id: inboundMessage.id,
      text: inboundMessage.text,
    })
    .from(ticketMessage)
    .innerJoin(inboundMessage, eq(inboundMessage.ticketMessageId, ticketMessage.id))
    .where(and(eq(ticketMessage.id, messageId), eq(ticketMessage.ticketId, access.id)));
  if (!row || (row.visibility === 'internal' && !can(viewer, 'readInternal'))) throw notFound('message');
  const text = row.text ?? (await parseMail(await readRaw(ctx.config.dataDir, row.id))).text;
  return { from: row.from, subject: row.subject, receivedAt: row.receivedAt.toISOString(), text };
}
