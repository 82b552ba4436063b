import type { ApiToken, ApiTokenScope } from '#shared/api-tokens-api.ts';
import { apiToken, user } from '../../db/schema.ts';
import type { DbOrTx } from '../../db/client.ts';
import { eq, type SQL } from 'drizzle-orm';
import { cursorAt } from '../../db/keyset.ts';

export function selectTokens(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: apiToken.id,
      kind: apiToken.kind,
      name: apiToken.name,
      prefix: apiToken.prefix,
      scopes: apiToken.scopes,
      ownerId: apiToken.ownerId,
      ownerName: user.name,
      expiresAt: apiToken.expiresAt,
      createdAt: apiToken.createdAt,
      lastUsedAt: apiToken.lastUsedAt,
      revokedAt: apiToken.revokedAt,
      cursorAt: cursorAt(apiToken.createdAt),
    })
    .from(apiToken)
    .innerJoin(user, eq(user.id, apiToken.ownerId))
    .where(where);
}

export type TokenRow = Awaited<ReturnType<typeof selectTokens>>[number];

export const tokenStatus = (row: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ApiToken['status'] =>
  row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';

export const presentToken = (row: TokenRow, now: Date): ApiToken => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes as ApiTokenScope[],
  owner: { id: row.ownerId, name: row.ownerName },
  expiresAt: row.expiresAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  status: tokenStatus(row, now),
});
