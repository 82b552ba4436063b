import { and, eq, inArray } from 'drizzle-orm';
import type { InboundMessage } from '#shared/inbound-api.ts';
import type { AppContext } from '../../context.ts';
import { inboundMessage } from '../../db/schema.ts';
import { conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getInboundSummary } from './list-inbound.ts';
import { claimInbound, processClaimed } from './process-inbound.ts';

/** What an administrator may send through the pipeline again: what did not become a message or a request. */
const REPROCESSABLE = ['failed', 'ignored', 'refused', 'dismissed'] as const;

/**
 * Sends a stored message through the pipeline again (after fixing what made it fail: a desk's
 * address, an account for its sender). Audited. The sender's rate limit does not apply to it.
 */
export async function reprocessInbound(ctx: AppContext, options: { actorId: string; id: string }): Promise<InboundMessage> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: inboundMessage.id,
        status: inboundMessage.status,
        reason: inboundMessage.reason,
        from: inboundMessage.fromAddress,
        subject: inboundMessage.subject,
      })
      .from(inboundMessage)
      .where(eq(inboundMessage.id, options.id))
      .for('update');
    if (!row) throw notFound('inbound_message');
    if (!(REPROCESSABLE as readonly string[]).includes(row.status)) {
      throw conflict('inbound.not_reprocessable', 'Only a failed, ignored, refused or dismissed message can be processed again.');
    }
    await tx
      .update(inboundMessage)
      .set({ status: 'received', claimedUntil: null, reason: null, detail: null })
      .where(and(eq(inboundMessage.id, row.id), inArray(inboundMessage.status, [...REPROCESSABLE])));
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actorId: options.actorId,
      action: 'inbound.reprocessed',
      targetType: 'inbound_message',
      targetId: row.id,
      details: { from: row.from, subject: row.subject, status: row.status, reason: row.reason },
    });
  });
  const claimed = await claimInbound(ctx, options.id);
  if (claimed) await processClaimed(ctx, claimed, claimed.raw, { rateLimit: false });
  return getInboundSummary(ctx.db, options.id);
}
