import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { rateLimit } from '../../db/schema.ts';

/**
 * Failed log-ins are limited, successful ones are not: the colleagues behind one office NAT all
 * log in at nine. Two counters, in the rate_limit table so that every instance shares them:
 * - per account (the e-mail address, whichever IP the attempts come from): a password guessed from
 *   many addresses; once reached, even the right password waits for the window to pass;
 * - per client IP (across accounts): one client trying many accounts.
 * Each window starts at its first failure and lasts windowSeconds.
 */
export const SIGN_IN_FAILURE_LIMITS = {
  account: { windowSeconds: 15 * 60, max: 5 },
  ip: { windowSeconds: 15 * 60, max: 50 },
} as const;

type Limit = { windowSeconds: number; max: number };
const accountKey = (email: string) => `sign-in-failures:account:${email.toLowerCase()}`;
const ipKey = (ip: string) => `sign-in-failures:ip:${ip}`;

export type SignInAttempt =
  | {
      allowed: true;
      /**
       * After the attempt: a failure (wrong address or password) stays counted; a success gives the
       * IP's slot back and forgives the account's failures; anything else (an unverified address, a
       * deactivated account, an error) gives both slots back.
       */
      settle(outcome: 'failed' | 'succeeded' | 'other'): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Takes a slot on both counters before the password is checked, so that attempts made in parallel
 * cannot get past the limit; refuses the attempt when either counter is full. The row keeps the end
 * of its window in `last_request` (milliseconds): better-auth's own pruning of the table (rows whose
 * last_request is older than its longest window) then removes a row only after its window is over.
 */
export async function beginSignInAttempt(db: DbOrTx, clock: Clock, attempt: { email: string; ip: string }): Promise<SignInAttempt> {
  const keys = [
    { key: accountKey(attempt.email), limit: SIGN_IN_FAILURE_LIMITS.account },
    { key: ipKey(attempt.ip), limit: SIGN_IN_FAILURE_LIMITS.ip },
  ];
  const taken: string[] = [];
  for (const { key, limit } of keys) {
    const now = clock.now().getTime();
    if (await takeSlot(db, key, limit, now)) {
      taken.push(key);
      continue;
    }
    for (const k of taken) await giveSlotBack(db, k, now);
    const [row] = await db.select({ windowEnd: rateLimit.lastRequest }).from(rateLimit).where(eq(rateLimit.key, key));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((row?.windowEnd ?? now) - now) / 1000)) };
  }
  return {
    allowed: true,
    settle: async (outcome) => {
      if (outcome === 'failed') return;
      const now = clock.now().getTime();
      if (outcome === 'succeeded') {
        // The owner proved they know the password: their account's failures are forgiven; the IP's are not.
        await db.update(rateLimit).set({ count: 0 }).where(eq(rateLimit.key, accountKey(attempt.email)));
      } else {
        await giveSlotBack(db, accountKey(attempt.email), now);
      }
      await giveSlotBack(db, ipKey(attempt.ip), now);
    },
  };
}

/** One statement, atomic under concurrency: a new window, or one more in a window not yet full. */
async function takeSlot(db: DbOrTx, key: string, limit: Limit, now: number): Promise<boolean> {
  const windowEnd = now + limit.windowSeconds * 1000;
  const expired = sql`${rateLimit.lastRequest} <= ${now}`;
  const rows = await db
    .insert(rateLimit)
    .values({ id: randomUUID(), key, count: 1, lastRequest: windowEnd })
    .onConflictDoUpdate({
      target: rateLimit.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimit.count} + 1 end`,
        lastRequest: sql`case when ${expired} then ${windowEnd} else ${rateLimit.lastRequest} end`,
      },
      setWhere: sql`${expired} or ${rateLimit.count} < ${limit.max}`,
    })
    .returning({ count: rateLimit.count });
  return rows.length === 1;
}

async function giveSlotBack(db: DbOrTx, key: string, now: number): Promise<void> {
  await db
    .update(rateLimit)
    .set({ count: sql`greatest(${rateLimit.count} - 1, 0)` })
    .where(and(eq(rateLimit.key, key), gt(rateLimit.lastRequest, now)));
}
