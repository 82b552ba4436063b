import { eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { giveBackToWindow, takeFromEveryWindow, type RateWindow } from '../../db/rate-limit.ts';
import { rateLimit, verification } from '../../db/schema.ts';

/**
 * Wrong two-factor codes are limited so that guessing a 6-digit code cannot succeed: per account
 * (whichever IP the guesses come from, across sign-in challenges) 5 in 15 minutes and 20 a day —
 * at most 7,300 guesses a year against a million codes, of which 3 are valid at a time — and per
 * client IP (across accounts) 50 in 15 minutes. better-auth adds its own: 5 guesses per sign-in
 * challenge, then the password again. Right codes are never counted. Counters live in the rate_limit
 * table, shared by every instance.
 */
export const TWO_FACTOR_FAILURE_LIMITS: { account: RateWindow; accountDaily: RateWindow; ip: RateWindow } = {
  account: { windowSeconds: 15 * 60, max: 5 },
  accountDaily: { windowSeconds: 24 * 3600, max: 20 },
  ip: { windowSeconds: 15 * 60, max: 50 },
};

const keysOf = (userId: string | null, ip: string) => [
  ...(userId
    ? [
        { key: `two-factor-failures:account:${userId}`, limit: TWO_FACTOR_FAILURE_LIMITS.account },
        { key: `two-factor-failures:account-day:${userId}`, limit: TWO_FACTOR_FAILURE_LIMITS.accountDaily },
      ]
    : []),
  { key: `two-factor-failures:ip:${ip}`, limit: TWO_FACTOR_FAILURE_LIMITS.ip },
];

export type CodeAttempt =
  | {
      allowed: true;
      /** failed: stays counted; succeeded: the account's counters are forgiven, the IP's slot given back; other: every slot given back. */
      settle(outcome: 'failed' | 'succeeded' | 'other'): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

/** Takes a slot on every counter before the code is checked (parallel guesses cannot pass the limit), or refuses. */
export async function beginCodeAttempt(db: DbOrTx, clock: Clock, attempt: { userId: string | null; ip: string }): Promise<CodeAttempt> {
  const keys = keysOf(attempt.userId, attempt.ip);
  const slots = await takeFromEveryWindow(db, clock, keys);
  if (!slots.allowed) return slots;
  const { taken } = slots;
  return {
    allowed: true,
    settle: async (outcome) => {
      if (outcome === 'failed') return;
      const now = clock.now().getTime();
      const [accountKeys, ipKey] = [taken.slice(0, -1), taken.at(-1)!];
      if (outcome === 'succeeded' && accountKeys.length) {
        await db.update(rateLimit).set({ count: 0 }).where(inArray(rateLimit.key, accountKeys));
      } else {
        for (const k of accountKeys) await giveBackToWindow(db, k, now);
      }
      await giveBackToWindow(db, ipKey, now);
    },
  };
}

/**
 * The user a two-factor code is checked for during sign-in: better-auth's signed two_factor cookie
 * names a verification row whose value is the user's id. A forged or unknown cookie names nobody
 * (better-auth then refuses the code; the attempt still counts for the IP).
 */
export async function challengedUserId(db: DbOrTx, cookieHeader: string | undefined): Promise<string | null> {
  const match = /(?:^|;\s*)(?:__Secure-)?guichet\.two_factor=([^;]+)/.exec(cookieHeader ?? '');
  if (!match) return null;
  let signed: string;
  try {
    signed = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const identifier = signed.slice(0, signed.lastIndexOf('.'));
  if (!identifier.startsWith('2fa-')) return null;
  const [row] = await db.select({ userId: verification.value }).from(verification).where(eq(verification.identifier, identifier));
  return row?.userId ?? null;
}
