import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import { processPendingInbound } from './process-inbound.ts';

/**
 * Every minute: the e-mails stored but never finished (the process was killed while working on
 * one) are processed once their lease has run out — once each, whichever instance takes them.
 */
export const inboundSweepJob = defineJob({
  name: 'inbound.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 },
  schedule: { cron: '* * * * *' },
  handler: (_payload, ctx: AppContext) => processPendingInbound(ctx),
});

export const startInboundSweepWorker = (
  boss: PgBoss,
  ctx: AppContext,
  options: { schedule?: boolean; pollingIntervalSeconds?: number } = {},
): Promise<string> => workJob(boss, inboundSweepJob, ctx, options);
