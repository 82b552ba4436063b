/**
 * API tokens: personal tokens of every user, and service tokens owned by a service account. The
 * secret is shown once and only its SHA-256 is kept.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { API_TOKEN_KINDS, API_TOKEN_SCOPES } from '#shared/api-tokens-api.ts';
import { user } from './accounts.ts';
import { createdAt, oneOf, ts } from './columns.ts';

export const apiToken = pgTable(
  'api_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: API_TOKEN_KINDS }).notNull(),
    name: text('name').notNull(),
    /** The token's first characters (`gch_` and 8 more), shown so a person can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 (hex) of the whole token; the token itself is never stored. */
    secretHash: text('secret_hash').notNull().unique(),
    /** Subset of API_TOKEN_SCOPES. */
    scopes: text('scopes').array().notNull(),
    /** Null: never expires. */
    expiresAt: ts('expires_at'),
    createdAt: createdAt(),
    createdById: text('created_by_id').references(() => user.id, { onDelete: 'set null' }),
    /** Updated at most once a minute (authenticate-token.ts). */
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    index('api_token_owner_idx').on(t.ownerId),
    index('api_token_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('api_token_kind_check', t.kind, API_TOKEN_KINDS),
    check(
      'api_token_scopes_check',
      sql`${t.scopes} <@ array[${sql.raw(API_TOKEN_SCOPES.map((s) => `'${s}'`).join(', '))}]::text[] and cardinality(${t.scopes}) > 0`,
    ),
  ],
);
