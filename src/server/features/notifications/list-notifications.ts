import { and, count, eq, isNull, type SQL } from 'drizzle-orm';
import type { Language } from '#shared/domain.ts';
import type { Notification } from '#shared/notifications-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { notification } from '../../db/schema-notifications.ts';

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

/** The user's notifications, newest first, a page at a time (keyset on the user's index), titled in `language`. */
export async function listNotifications(db: DbOrTx, userId: string, language: Language, query: { cursor?: string | undefined; limit: number; unread?: 'true' | 'false' | undefined }) {
  const filters: (SQL | undefined)[] = [eq(notification.userId, userId), afterCursor(query.cursor, notification.createdAt, notification.id)];
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
export async function countUnread(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notification)
    .where(and(eq(notification.userId, userId), isNull(notification.readAt)));
  return row?.n ?? 0;
}
