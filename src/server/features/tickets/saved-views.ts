/**
 * Saved views: an agent names the query string of a list (filters, sort, search) to find it again.
 * Each person sees and deletes only their own. The query is checked as the list would check it, so
 * a saved view always opens.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { ticketListQuerySchema, type SavedView } from '#shared/tickets-api.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { savedView } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

/** A person keeps a workable number of views. */
export const SAVED_VIEWS_MAX = 100;

const viewFilters = ticketListQuerySchema.omit({ cursor: true });

const present = (row: typeof savedView.$inferSelect): SavedView => ({
  id: row.id,
  name: row.name,
  query: row.query,
  createdAt: row.createdAt.toISOString(),
});

/** The query string without its "?", refused (400, field query) unless the list accepts it; a page cursor is not a view. */
export function normalizeViewQuery(query: string): string {
  const text = query.startsWith('?') ? query.slice(1) : query;
  const params = new URLSearchParams(text);
  const given: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const previous = given[key];
    given[key] = previous === undefined ? value : [previous, value].flat();
  }
  const parsed = viewFilters.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.');
    throw new AppError(400, 'saved_view.invalid_query', `query: ${field ? `${field}: ` : ''}${issue.message}`, 'query');
  }
  return text;
}

export async function listSavedViews(db: DbOrTx, userId: string): Promise<{ items: SavedView[] }> {
  const rows = await db
    .select()
    .from(savedView)
    .where(eq(savedView.userId, userId))
    .orderBy(asc(sql`lower(${savedView.name})`), asc(savedView.id));
  return { items: rows.map(present) };
}

export async function createSavedView(
  db: Db,
  userId: string,
  input: { name: string; query: string },
  now: Date,
  options: {
    /** Runs in the view's transaction, after its write (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: SavedView) => Promise<void>) | undefined;
  } = {},
): Promise<SavedView> {
  const query = normalizeViewQuery(input.query);
  const { onCreated } = options;
  if (!onCreated) return insertView(db, userId, { name: input.name, query }, now);
  return db.transaction(async (tx) => {
    const created = await insertView(tx, userId, { name: input.name, query }, now);
    await onCreated(tx, created);
    return created;
  });
}

async function insertView(db: DbOrTx, userId: string, view: { name: string; query: string }, now: Date): Promise<SavedView> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(savedView).where(eq(savedView.userId, userId))) as [{ n: number }];
  if (n >= SAVED_VIEWS_MAX)
    throw new AppError(409, 'saved_view.too_many', `You can keep up to ${SAVED_VIEWS_MAX} views; delete one first.`, undefined, SAVED_VIEWS_MAX);
  try {
    const [row] = await db.insert(savedView).values({ userId, name: view.name, query: view.query, createdAt: now }).returning();
    return present(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(409, 'saved_view.name_taken', 'You already have a view with this name.', 'name');
    throw error;
  }
}

/** Deletes one of the caller's views; another person's view does not exist for them (404). */
export async function deleteSavedView(db: DbOrTx, userId: string, id: string): Promise<void> {
  const deleted = await db
    .delete(savedView)
    .where(and(eq(savedView.id, id), eq(savedView.userId, userId)))
    .returning({ id: savedView.id });
  if (deleted.length === 0) throw new AppError(404, 'saved_view.not_found', 'This view does not exist.');
}
