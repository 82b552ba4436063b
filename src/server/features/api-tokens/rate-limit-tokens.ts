import type { FastifyInstance } from 'fastify';
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { secondsUntilWindowEnds, takeFromWindow } from '../../db/rate-limit.ts';
import { rateLimit as rateLimitTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

/** The window of the per-token limit: API_TOKEN_RATE_LIMIT requests a minute. */
export const TOKEN_RATE_WINDOW_SECONDS = 60;

export const tokenRateKey = (tokenId: string) => `api-token:${tokenId}`;

/**
 * @fastify/rate-limit's store over the shared rate_limit table (db/rate-limit.ts), so that the limit
 * holds across instances, timed by the app's clock. A request over the limit does not count.
 */
function sharedStore(db: Db, clock: Clock, windowSeconds: number) {
  const store: FastifyRateLimitStore = {
    incr(key, callback, _timeWindow, max) {
      const now = clock.now().getTime();
      const limit = { windowSeconds, max };
      (async () => {
        if (!(await takeFromWindow(db, key, limit, now))) {
          return { current: max + 1, ttl: (await secondsUntilWindowEnds(db, key, now)) * 1000 };
        }
        const [row] = await db
          .select({ count: rateLimitTable.count, windowEnd: rateLimitTable.lastRequest })
          .from(rateLimitTable)
          .where(eq(rateLimitTable.key, key));
        return { current: row?.count ?? 1, ttl: Math.max(0, (row?.windowEnd ?? now) - now) };
      })().then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    },
    child: () => store,
  };
  return store;
}

/**
 * Requests made with an API token are limited per token (`perMinute`); those of sessions are not
 * (their own limits stand: log-in, uploads). Over the limit: 429 `auth.token_rate_limited` with
 * Retry-After. Registered before the routes, it runs after the caller is known (authorizeRequests).
 */
export async function limitTokenRequests(app: FastifyInstance, deps: { db: Db; clock: Clock; perMinute: number }): Promise<void> {
  const store = sharedStore(deps.db, deps.clock, TOKEN_RATE_WINDOW_SECONDS);
  await app.register(rateLimit, {
    global: true,
    max: deps.perMinute,
    timeWindow: TOKEN_RATE_WINDOW_SECONDS * 1000,
    // The plugin builds its store with `new`; a constructor returning an object yields that object.
    store: class {
      constructor() {
        // biome-ignore lint/correctness/noConstructorReturn: the plugin wants a constructor; this one hands over the shared store.
        return store;
      }
    } as unknown as FastifyRateLimitStoreCtor,
    allowList: (request) => request.apiToken === null,
    // Called before allowList: session requests get a key that is never used.
    keyGenerator: (request) => (request.apiToken ? tokenRateKey(request.apiToken.id) : 'session'),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'auth.token_rate_limited', `Too many requests with this API token; try again in ${context.after}.`, undefined, context.max, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
