import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { InboundSource, InboundStatus } from '#shared/inbound-api.ts';
import type { AppContext } from '../../context.ts';
import { inboundMessage } from '../../db/schema.ts';
import { contentMessageId, parseMail, type ParsedMail } from './parse-mail.ts';
import { PROCESSING_LEASE_MS, processClaimed } from './process-inbound.ts';
import { removeRaw, writeRaw } from './raw-store.ts';

/** A header value as stored: one line, bounded. */
const oneLine = (value: string, max: number) => value.replace(/[\r\n]+/g, ' ').slice(0, max);

/**
 * The one way into the e-mail channel, for the IMAP reader and the SMTP receiver alike. The raw
 * message is stored first (its source flushed to disk, then its row) — from then on nothing is lost: a failure is
 * recorded, a crash leaves it `received` for the sweep (processPendingInbound), an administrator
 * can re-process it. The same Message-ID delivered again is the same message (`duplicate`), never
 * a second one. Throws only when the message could not be stored (the sender then keeps it: the
 * IMAP message stays in the mailbox, the MTA is told to try again).
 */
export async function receiveMail(
  ctx: AppContext,
  raw: Buffer,
  meta: { source: InboundSource; envelopeTo?: string[] },
): Promise<{ id: string; status: InboundStatus; duplicate: boolean }> {
  const envelopeTo = (meta.envelopeTo ?? []).map((a) => a.toLowerCase());
  let parsed: ParsedMail | null = null;
  try {
    parsed = await parseMail(raw, envelopeTo);
  } catch {
    // Stored anyway, and recorded as unreadable by the processing below.
  }
  const now = ctx.clock.now();
  const messageId = oneLine(parsed?.messageId ?? contentMessageId(raw), 998);
  const id = randomUUID();
  await writeRaw(ctx.config.dataDir, id, raw);
  const [stored] = await ctx.db
    .insert(inboundMessage)
    .values({
      id,
      source: meta.source,
      messageId,
      fromAddress: oneLine(parsed?.from ?? '', 320),
      fromName: parsed?.fromName ? oneLine(parsed.fromName, 200) : null,
      toAddresses: (parsed?.recipients ?? envelopeTo).slice(0, 100),
      subject: oneLine(parsed?.subject ?? '', 998),
      size: raw.length,
      receivedAt: now,
      status: 'received',
      attempts: 1,
      // This process holds it while it works on it; the sweep takes over only once the lease has run out.
      claimedUntil: new Date(now.getTime() + PROCESSING_LEASE_MS),
    })
    .onConflictDoNothing({ target: inboundMessage.messageId })
    .returning({ id: inboundMessage.id, toAddresses: inboundMessage.toAddresses });
  if (!stored) {
    await removeRaw(ctx.config.dataDir, id);
    const [existing] = await ctx.db
      .select({ id: inboundMessage.id, status: inboundMessage.status })
      .from(inboundMessage)
      .where(eq(inboundMessage.messageId, messageId));
    return { id: existing!.id, status: existing!.status, duplicate: true };
  }
  const status = await processClaimed(ctx, stored, raw, { parsed });
  return { id: stored.id, status, duplicate: false };
}
