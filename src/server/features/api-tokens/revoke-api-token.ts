import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { ApiToken } from '#shared/api-tokens-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { apiToken } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { presentToken, selectTokens } from './present-token.ts';

/**
 * Revokes a token at once (its next use is a 401 `auth.token_revoked`). `ownerId`: only a token of
 * this owner (a person's own); undefined: any token (an administrator). Revoking twice changes nothing.
 */
export async function revokeApiToken(deps: { db: Db; clock: Clock }, options: { actorId: string; tokenId: string; ownerId?: string }): Promise<ApiToken> {
  const { db, clock } = deps;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const mine: SQL | undefined = options.ownerId === undefined ? undefined : eq(apiToken.ownerId, options.ownerId);
    const [current] = await tx
      .select({ id: apiToken.id, revokedAt: apiToken.revokedAt, ownerId: apiToken.ownerId, prefix: apiToken.prefix })
      .from(apiToken)
      .where(and(eq(apiToken.id, options.tokenId), mine))
      .for('update');
    if (!current) throw notFound('api_token');
    if (!current.revokedAt) {
      await tx
        .update(apiToken)
        .set({ revokedAt: now })
        .where(and(eq(apiToken.id, current.id), isNull(apiToken.revokedAt)));
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'api_token.revoked',
        targetType: 'api_token',
        targetId: current.id,
        details: { ownerId: current.ownerId, prefix: current.prefix },
      });
    }
    const [row] = await selectTokens(tx, eq(apiToken.id, current.id));
    return presentToken(row!, now);
  });
}
