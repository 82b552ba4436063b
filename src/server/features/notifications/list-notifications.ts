import { and, count, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Language } from '#shared/domain.ts';
import type { Notification } from '#shared/notifications-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { ticket } from '../../db/schema.ts';
import { notification } from '../../db/schema.ts';
import { visibleTicketsCondition, type Viewer } from '../../policies/tickets.ts';

/** The title in the reader's language; rows written before titles were kept in every language have only their own. */
const present = (row: typeof notification.$inferSelect, language: Language): Notification => ({
  id: row.id,
  ticketId: row.ticketId,
  template: row.template,
  title: row.titles?.[language] ?? row.title,
  link: row.link,
  createdAt: row.createdAt.toISOString(),
  readAt: row.readAt?.toISOString() ?? null,
});

/**
 * The viewer's notifications they may still open: those about a request only while they may read it
 * (the request page's rule). Someone moved to another organization, or an agent who left a desk,
 * no longer sees the titles (key and summary) of those requests.
 */
function ownReadable(viewer: Viewer): SQL {
  const visible = visibleTicketsCondition(viewer);
  const own = eq(notification.userId, viewer.id);
  if (!visible) return own;
  return and(own, or(isNull(notification.ticketId), sql`exists (select 1 from ${ticket} where ${ticket.id} = ${notification.ticketId} and ${visible})`))!;
}

/** The viewer's notifications, newest first, a page at a time (keyset on the user's index), titled in `language`. */
export async function listNotifications(
  db: DbOrTx,
  viewer: Viewer,
  language: Language,
  query: { cursor?: string | undefined; limit: number; unread?: 'true' | 'false' | undefined },
) {
  const filters: (SQL | undefined)[] = [ownReadable(viewer), afterCursor(query.cursor, notification.createdAt, notification.id)];
  if (query.unread === 'true') filters.push(isNull(notification.readAt));
  const rows = await db
    .select({ row: notification, cursorAt: cursorAt(notification.createdAt) })
    .from(notification)
    .where(and(...filters))
    .orderBy(...keysetOrder(notification.createdAt, notification.id))
    .limit(query.limit + 1);
  return toPage(
    rows.map((r) => ({ ...r.row, cursorAt: r.cursorAt })),
    query.limit,
    (row) => present(row, language),
  );
}

/** Read through the partial index on unread rows: the bell asks for it every half minute. */
export async function countUnread(db: DbOrTx, viewer: Viewer): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notification)
    .where(and(ownReadable(viewer), isNull(notification.readAt)));
  return row?.n ?? 0;
}
