import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { notification } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { notFound } from '../../errors.ts';

/**
 * Marks the user's notifications read: the given ones (all must be theirs, or nothing is written and
 * the answer is the same 404 as for an id that does not exist), those about one request, or every unread one. Already read ones keep their instant.
 */
export async function markNotificationsRead(
  ctx: { db: Db; clock: Clock },
  options: { userId: string; ids?: string[] | undefined; ticketId?: string | undefined },
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const own = eq(notification.userId, options.userId);
    if (options.ids) {
      const ids = [...new Set(options.ids)];
      const found = await tx
        .select({ id: notification.id })
        .from(notification)
        .where(and(own, inArray(notification.id, ids)));
      if (found.length !== ids.length) throw notFound('notification');
      const marked = await tx
        .update(notification)
        .set({ readAt: now })
        .where(and(own, inArray(notification.id, ids), isNull(notification.readAt)))
        .returning({ id: notification.id });
      return marked.length;
    }
    // A request's notifications: only the user's own are touched, so no visibility check is needed
    // (another request's id simply marks nothing). Reads the partial unread index.
    const ofTicket = options.ticketId ? eq(notification.ticketId, options.ticketId) : undefined;
    const marked = await tx
      .update(notification)
      .set({ readAt: now })
      .where(and(own, isNull(notification.readAt), ofTicket))
      .returning({ id: notification.id });
    return marked.length;
  });
}
