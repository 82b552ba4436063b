import { and, eq, gt, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { ApiToken, ApiTokenKind } from '#shared/api-tokens-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, keysetOrder, toPage } from '../../db/keyset.ts';
import { apiToken } from '../../db/schema.ts';
import { presentToken, selectTokens } from './present-token.ts';

const statusFilter = (status: ApiToken['status'], now: Date): SQL | undefined => {
  if (status === 'revoked') return isNotNull(apiToken.revokedAt);
  if (status === 'expired') return and(isNull(apiToken.revokedAt), lte(apiToken.expiresAt, now));
  return and(isNull(apiToken.revokedAt), or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, now)));
};

/** Tokens, newest first: a person's own (ownerId), or every token for an administrator. Never their secret. */
export async function listApiTokens(
  db: DbOrTx,
  now: Date,
  query: { cursor?: string | undefined; limit: number; kind?: ApiTokenKind | undefined; ownerId?: string | undefined; status?: ApiToken['status'] | undefined },
) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, apiToken.createdAt, apiToken.id)];
  if (query.kind) filters.push(eq(apiToken.kind, query.kind));
  if (query.ownerId) filters.push(eq(apiToken.ownerId, query.ownerId));
  if (query.status) filters.push(statusFilter(query.status, now));
  const rows = await selectTokens(db, and(...filters))
    .orderBy(...keysetOrder(apiToken.createdAt, apiToken.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (row) => presentToken(row, now));
}
