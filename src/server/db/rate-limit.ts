import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { DbOrTx } from './client.ts';
import { rateLimit } from './schema.ts';

/**
 * Fixed-window counters in the rate_limit table (better-auth's own), so that every instance shares
 * them. A window starts with its first use and lasts windowSeconds; it holds at most `max` (attempts,
 * or bytes when the amounts are sizes). The row keeps the end of its window in `last_request`
 * (milliseconds): better-auth's own pruning of the table (rows whose last_request is older than its
 * longest window) then removes a row only after its window is over.
 */
export type RateWindow = { windowSeconds: number; max: number };

/**
 * Takes `amount` from the window of `key`, in one statement (atomic under concurrency): a new window,
 * or more in a window with room for it. False when the window has no room; an amount larger than the
 * whole window never fits.
 */
export async function takeFromWindow(db: DbOrTx, key: string, limit: RateWindow, now: number, amount = 1): Promise<boolean> {
  if (amount > limit.max) return false;
  const windowEnd = now + limit.windowSeconds * 1000;
  const expired = sql`${rateLimit.lastRequest} <= ${now}`;
  const rows = await db
    .insert(rateLimit)
    .values({ id: randomUUID(), key, count: amount, lastRequest: windowEnd })
    .onConflictDoUpdate({
      target: rateLimit.key,
      set: {
        count: sql`case when ${expired} then ${amount} else ${rateLimit.count} + ${amount} end`,
        lastRequest: sql`case when ${expired} then ${windowEnd} else ${rateLimit.lastRequest} end`,
      },
      setWhere: sql`${expired} or ${rateLimit.count} + ${amount} <= ${limit.max}`,
    })
    .returning({ count: rateLimit.count });
  return rows.length === 1;
}

/** Gives `amount` back to a window still running (an attempt that turned out not to count). */
export async function giveBackToWindow(db: DbOrTx, key: string, now: number, amount = 1): Promise<void> {
  await db
    .update(rateLimit)
    .set({ count: sql`greatest(${rateLimit.count} - ${amount}, 0)` })
    .where(and(eq(rateLimit.key, key), gt(rateLimit.lastRequest, now)));
}

/** Whole seconds until the window of `key` ends (at least 1), for a Retry-After header. */
export async function secondsUntilWindowEnds(db: DbOrTx, key: string, now: number): Promise<number> {
  const [row] = await db.select({ windowEnd: rateLimit.lastRequest }).from(rateLimit).where(eq(rateLimit.key, key));
  return Math.max(1, Math.ceil(((row?.windowEnd ?? now) - now) / 1000));
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Takes `amount` from the window of `key` at the clock's time, or says how long to wait. */
export async function consumeRate(db: DbOrTx, clock: Clock, key: string, limit: RateWindow, amount = 1): Promise<RateDecision> {
  const now = clock.now().getTime();
  if (await takeFromWindow(db, key, limit, now, amount)) return { allowed: true };
  // An amount that can never fit waits for nothing: the whole window says how long.
  const retryAfterSeconds = amount > limit.max ? limit.windowSeconds : await secondsUntilWindowEnds(db, key, now);
  return { allowed: false, retryAfterSeconds };
}

/**
 * Takes one slot in each of these windows, all or none: when one is full, the slots already taken are
 * given back and the answer says how long that window lasts. For attempts counted before they are
 * checked (a log-in, a two-factor code), so that attempts made in parallel cannot pass the limit.
 */
export async function takeFromEveryWindow(
  db: DbOrTx,
  clock: Clock,
  windows: { key: string; limit: RateWindow }[],
): Promise<{ allowed: true; taken: string[] } | { allowed: false; retryAfterSeconds: number }> {
  const taken: string[] = [];
  for (const { key, limit } of windows) {
    const now = clock.now().getTime();
    if (await takeFromWindow(db, key, limit, now)) {
      taken.push(key);
      continue;
    }
    for (const k of taken) await giveBackToWindow(db, k, now);
    return { allowed: false, retryAfterSeconds: await secondsUntilWindowEnds(db, key, now) };
  }
  return { allowed: true, taken };
}
