import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { defineJob, noPayload, sendJob, workJob } from '../../jobs/define-job.ts';
import { backfillCountdowns } from './countdown.ts';

/** The one job id of the backfill: pg-boss refuses a second job with it, so it is queued once per database. */
export const COUNTDOWN_BACKFILL_JOB_ID = '5b0c1f3e-7a42-4d6b-9c1e-2f8a4e6d0b17';

type BackfillCtx = Pick<AppContext, 'db' | 'clock'>;

/**
 * A one-off data migration: the requests already waiting or resolved when automatic closure arrived
 * get their countdown (backfillCountdowns). Its completed job is kept (deleteAfterSeconds 0) as the
 * record that it ran; retried with backoff if it fails.
 */
export const countdownBackfillJob = defineJob({
  name: 'lifecycle.backfill',
  payload: noPayload,
  queue: { retryLimit: 10, retryDelay: 30, retryBackoff: true, deleteAfterSeconds: 0 },
  handler: async (_payload, ctx: BackfillCtx) => ({ backfilled: await backfillCountdowns(ctx.db, ctx.clock) }),
});

/** Queues the backfill unless it was queued before, by this start or an earlier one. Returns the job's id, or null when it was. */
export const queueCountdownBackfill = (boss: PgBoss): Promise<string | null> => sendJob(boss, countdownBackfillJob, {}, { id: COUNTDOWN_BACKFILL_JOB_ID });

export const startCountdownBackfillWorker = (boss: PgBoss, ctx: BackfillCtx, options: { pollingIntervalSeconds?: number } = {}): Promise<string> =>
  workJob(boss, countdownBackfillJob, ctx, options);
