import { eq } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { giveBackToWindow, takeFromEveryWindow, type RateWindow } from '../../db/rate-limit.ts';
import { rateLimit } from '../../db/schema.ts';

/**
 * Failed log-ins are limited, successful ones are not: the colleagues behind one office NAT all
 * log in at nine. Two counters, in the rate_limit table so that every instance shares them:
 * - per account (the e-mail address, whichever IP the attempts come from): a password guessed from
 *   many addresses; once reached, even the right password waits for the window to pass;
 * - per client IP (across accounts): one client trying many accounts.
 * Each window starts at its first failure and lasts windowSeconds.
 */
export const SIGN_IN_FAILURE_LIMITS: { account: RateWindow; ip: RateWindow } = {
  account: { windowSeconds: 15 * 60, max: 5 },
  ip: { windowSeconds: 15 * 60, max: 50 },
};

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
 * cannot get past the limit; refuses the attempt when either counter is full (windows as in db/rate-limit.ts).
 */
export async function beginSignInAttempt(db: DbOrTx, clock: Clock, attempt: { email: string; ip: string }): Promise<SignInAttempt> {
  const keys = [
    { key: accountKey(attempt.email), limit: SIGN_IN_FAILURE_LIMITS.account },
    { key: ipKey(attempt.ip), limit: SIGN_IN_FAILURE_LIMITS.ip },
  ];
  const slots = await takeFromEveryWindow(db, clock, keys);
  if (!slots.allowed) return slots;
  return {
    allowed: true,
    settle: async (outcome) => {
      if (outcome === 'failed') return;
      const now = clock.now().getTime();
      if (outcome === 'succeeded') {
        // The owner proved they know the password: their account's failures are forgiven; the IP's are not.
        await db
          .update(rateLimit)
          .set({ count: 0 })
          .where(eq(rateLimit.key, accountKey(attempt.email)));
      } else {
        await giveBackToWindow(db, accountKey(attempt.email), now);
      }
      await giveBackToWindow(db, ipKey(attempt.ip), now);
    },
  };
}
