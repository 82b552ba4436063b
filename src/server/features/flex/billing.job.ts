import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { QUEUES } from '../../jobs/boss.ts';
import { todayInZurich } from '../catalog/flex-contract.ts';
import { previousMonth, runBilling } from './run-billing.ts';

/** The 1st of each month at 03:00, Zurich time: bill the month that ended (and anything logged late for earlier months). */
export const FLEX_BILLING_CRON = '0 3 1 * *';

type BillingCtx = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>;

/** The monthly run. Idempotent: a second run the same day finds nothing left to bill. */
export const runMonthlyBilling = (ctx: BillingCtx) => runBilling(ctx, { ...previousMonth(todayInZurich(ctx.clock)), trigger: 'schedule' });

export async function startFlexBillingWorker(boss: PgBoss, ctx: BillingCtx, options: { schedule?: boolean; pollingIntervalSeconds?: number } = {}): Promise<string> {
  if (options.schedule) await boss.schedule(QUEUES.flexBilling, FLEX_BILLING_CRON, null, { tz: 'Europe/Zurich' });
  return boss.work(QUEUES.flexBilling, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async () => runMonthlyBilling(ctx));
}
