import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { QUEUES } from '../../jobs/boss.ts';
import { businessTimeZone, businessToday } from '../calendar/business-day.ts';
import { previousMonth, runBilling } from './run-billing.ts';

/**
 * The 1st of each month at 03:00 in the business calendar's zone: bill the month that ended (and
 * anything logged late for earlier months).
 */
export const FLEX_BILLING_CRON = '0 3 1 * *';

type BillingCtx = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>;

/** The monthly run. Idempotent: a second run the same day finds nothing left to bill. */
export const runMonthlyBilling = async (ctx: BillingCtx) => runBilling(ctx, { ...previousMonth(await businessToday(ctx.db, ctx.clock)), trigger: 'schedule' });

/** (Re)writes the monthly schedule in a zone: at start, and when an administrator changes the calendar's zone. */
export async function scheduleFlexBilling(boss: PgBoss, timeZone: string): Promise<void> {
  await boss.schedule(QUEUES.flexBilling, FLEX_BILLING_CRON, null, { tz: timeZone });
}

export async function startFlexBillingWorker(boss: PgBoss, ctx: BillingCtx, options: { schedule?: boolean; pollingIntervalSeconds?: number } = {}): Promise<string> {
  if (options.schedule) await scheduleFlexBilling(boss, await businessTimeZone(ctx.db));
  return boss.work(QUEUES.flexBilling, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async () => runMonthlyBilling(ctx));
}
