import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiTokenKind, createApiTokenSchema, CreatedApiToken } from '#shared/api-tokens-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { apiToken, user } from '../../db/schema.ts';
import { badRequest, notFound } from '../../errors.ts';
import { mayHoldAdminScope } from '../../policies/accounts.ts';
import { roleSchema } from '#shared/enums.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { presentToken, selectTokens } from './present-token.ts';
import { generateTokenSecret } from './token-secret.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Creates a token for a user (personal: the actor themself; service: a service account, by an
 * administrator) and returns its secret, the only time it is shown. The admin scope is only for an
 * administrator's token: a token never claims more than its owner may do (and the owner's current
 * role is checked again on every use).
 */
export async function createApiToken(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; ownerId: string; kind: ApiTokenKind; input: z.output<typeof createApiTokenSchema> },
): Promise<CreatedApiToken> {
  const { db, clock } = deps;
  const { actorId, ownerId, kind, input } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ role: user.role, isService: user.isService })
      .from(user)
      .where(and(eq(user.id, ownerId), eq(user.isService, kind === 'service')));
    if (!owner) throw kind === 'service' ? notFound('service_user') : notFound('user');
    if (input.scopes.includes('admin') && !mayHoldAdminScope(roleSchema.parse(owner.role))) {
      throw badRequest('api_token.scope_not_allowed', 'Only an administrator’s token may have the admin scope.', 'scopes');
    }
    const { secret, prefix, hash } = generateTokenSecret();
    const [created] = await tx
      .insert(apiToken)
      .values({
        ownerId,
        kind,
        name: input.name,
        prefix,
        secretHash: hash,
        scopes: input.scopes,
        expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
        createdAt: now,
        createdById: actorId,
      })
      .returning({ id: apiToken.id });
    await recordAudit(tx, {
      at: now,
      actorId,
      action: 'api_token.created',
      targetType: 'api_token',
      targetId: created!.id,
      details: { ownerId, kind, name: input.name, prefix, scopes: input.scopes, expiresInDays: input.expiresInDays },
    });
    const [row] = await selectTokens(tx, eq(apiToken.id, created!.id));
    return { token: presentToken(row!, now), secret };
  });
}
