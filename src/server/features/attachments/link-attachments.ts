import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachment } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

/**
 * Attaches the caller's own pending uploads to a request (and a message), in the caller's
 * transaction. Anything else — someone else's upload, one already attached, an unknown id — is refused.
 */
export async function linkAttachments(
  tx: DbOrTx,
  options: { ids: string[]; uploaderId: string; ticketId: string; messageId?: string | null; internal?: boolean },
): Promise<void> {
  const ids = [...new Set(options.ids)];
  if (ids.length === 0) return;
  const linked = await tx
    .update(attachment)
    .set({ ticketId: options.ticketId, messageId: options.messageId ?? null, internal: options.internal ?? false })
    .where(and(inArray(attachment.id, ids), eq(attachment.uploaderId, options.uploaderId), isNull(attachment.ticketId)))
    .returning({ id: attachment.id });
  if (linked.length !== ids.length) {
    throw new AppError(400, 'attachment.unknown', 'An attachment is unknown or already attached; upload it again.', 'attachmentIds');
  }
}
