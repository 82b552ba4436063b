import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { ApiTokenScope } from '#shared/api-tokens-api.ts';
import { languageSchema, roleSchema } from '#shared/enums.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { apiToken, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Access, SessionUser } from '../../http/access.ts';
import { hashTokenSecret, TOKEN_SHAPE } from './token-secret.ts';

/** The token a request was authenticated with (null: a session, or nobody). */
export type RequestToken = { id: string; ownerId: string; scopes: ApiTokenScope[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route refuses API tokens (the management of tokens themselves: a token cannot mint tokens). */
    apiTokens?: false;
  }
  interface FastifyRequest {
    apiToken: RequestToken | null;
  }
}

/** lastUsedAt is written at most this often per token, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

const tokenError = (code: string, message: string) => new AppError(401, code, message);

/**
 * The bearer token of a request: undefined without `Authorization: Bearer …` (another scheme, such as
 * the Basic credentials a browser sends to a site behind a password-protected proxy, is left to the
 * proxy: the request is then a session's or anonymous), else the token text, possibly malformed.
 */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || !/^Bearer(?: |$)/i.test(header)) return undefined;
  return header.slice('Bearer'.length).trim();
}

/**
 * The owner of a token, with their rights as they are now (role, organization, deactivation), and
 * the token. Refusals are 401s with distinct codes: invalid (unknown or malformed), expired, revoked,
 * and an owner who has been deactivated.
 */
export async function authenticateToken(deps: { db: Db; clock: Clock }, secret: string): Promise<{ user: SessionUser; token: RequestToken }> {
  const { db, clock } = deps;
  if (!TOKEN_SHAPE.test(secret)) throw tokenError('auth.token_invalid', 'This API token is not valid.');
  const [row] = await db
    .select({
      id: apiToken.id,
      scopes: apiToken.scopes,
      expiresAt: apiToken.expiresAt,
      revokedAt: apiToken.revokedAt,
      lastUsedAt: apiToken.lastUsedAt,
      ownerId: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      language: user.language,
      organizationId: user.organizationId,
      banned: user.banned,
    })
    .from(apiToken)
    .innerJoin(user, eq(user.id, apiToken.ownerId))
    .where(eq(apiToken.secretHash, hashTokenSecret(secret)));
  if (!row) throw tokenError('auth.token_invalid', 'This API token is not valid.');
  const now = clock.now();
  if (row.revokedAt) throw tokenError('auth.token_revoked', 'This API token has been revoked.');
  if (row.expiresAt && row.expiresAt <= now) throw tokenError('auth.token_expired', 'This API token has expired.');
  if (row.banned) throw tokenError('auth.token_owner_inactive', 'The account of this API token has been deactivated.');

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so that concurrent requests (and instances) write it once a minute at most.
    await db
      .update(apiToken)
      .set({ lastUsedAt: now })
      .where(and(eq(apiToken.id, row.id), or(isNull(apiToken.lastUsedAt), lte(apiToken.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  }
  return {
    user: {
      id: row.ownerId,
      name: row.name,
      email: row.email,
      role: roleSchema.parse(row.role),
      language: languageSchema.parse(row.language),
      organizationId: row.organizationId,
    },
    token: { id: row.id, ownerId: row.ownerId, scopes: row.scopes as ApiTokenScope[] },
  };
}

/**
 * The scope a route needs from a token: admin for the administration routes, requests:read to read
 * (GET, HEAD) and requests:write to change anything else.
 */
export function scopeNeeded(access: Access, method: string): ApiTokenScope {
  if (access === 'admin') return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'requests:read' : 'requests:write';
}

/**
 * The caller of a request that is not public: with `Authorization: Bearer`, the token's owner (a
 * cookie sent along is ignored: the token alone decides, so a request never mixes two identities);
 * otherwise the session's user. A route refusing tokens, and a token without the route's scope, are
 * 403s.
 */
export async function resolveCaller(
  deps: { db: Db; clock: Clock },
  request: FastifyRequest,
  resolveSession: (request: FastifyRequest) => Promise<SessionUser | null>,
): Promise<SessionUser | null> {
  const secret = bearerOf(request);
  if (secret === undefined) return resolveSession(request);
  const config = request.routeOptions.config;
  if (config?.apiTokens === false) {
    throw new AppError(403, 'auth.token_not_allowed', 'API tokens cannot be used here; sign in to the portal.');
  }
  const { user: owner, token } = await authenticateToken(deps, secret);
  request.apiToken = token;
  const needed = scopeNeeded(config?.access ?? 'user', request.method);
  if (!token.scopes.includes(needed)) {
    throw new AppError(403, 'auth.token_scope', `This API token lacks the ${needed} scope.`, 'scopes');
  }
  return owner;
}

/** better-auth's routes (sign-in, password, sessions) never take a token: a token cannot open a session or change a password. */
export function refuseTokensOnAuthRoutes(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/auth/') && bearerOf(request) !== undefined) {
      throw new AppError(403, 'auth.token_not_allowed', 'API tokens cannot be used here; sign in to the portal.');
    }
  });
}
