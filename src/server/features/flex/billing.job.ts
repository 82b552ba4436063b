import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
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

/** A failed run is retried: it is idempotent (only unbilled time is billed). */
export const flexBillingJob = defineJob({
  name: 'flex.billing',
  payload: noPayload,
  queue: { retryLimit: 3, retryDelay: 60, expireInSeconds: 900 },
  schedule: { cron: FLEX_BILLING_CRON, tz: (ctx: BillingCtx) => businessTimeZone(ctx.db) },
  handler: (_payload, ctx: BillingCtx) => runMonthlyBilling(ctx),
});

export const startFlexBillingWorker = (boss: PgBoss, ctx: BillingCtx, options: { schedule?: boolean; pollingIntervalSeconds?: number } = {}): Promise<string> =>
  workJob(boss, flexBillingJob, ctx, options);
