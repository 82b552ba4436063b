/**
 * Idempotency keys of creations.
 */
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { ts } from './columns.ts';

/**
 * The first answer to a creating POST sent with an `Idempotency-Key` (per user, kept 24 h): the same key
 * and body return it again; another body with the same key is refused.
 */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** Method and path of the request (`POST /api/requests`). */
    route: text('route').notNull(),
    /** SHA-256 of the request body. */
    bodyHash: text('body_hash').notNull(),
    /** Null while the first request is still being handled. */
    statusCode: integer('status_code'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_key_created_idx').on(t.createdAt)],
);
