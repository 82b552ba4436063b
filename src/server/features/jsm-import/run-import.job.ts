import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { defineJob, sendJob, workJob } from '../../jobs/define-job.ts';
import { runImport } from './run-import.ts';

type RunCtx = Pick<AppContext, 'db' | 'clock' | 'config' | 'boss'>;

/** A job's share of an import: then it saves, and the next job continues (other jobs get the worker between). */
const SHARE_MS = 5 * 60_000;

/**
 * Runs an import (issue 18) in shares of five minutes, each continuing from the cursor the last
 * one saved; a run claims its import (queued or running), so a job queued twice does the work once at a time. A worker that dies mid-share leaves
 * the import "running": pg-boss retries the job, which takes it over where it was saved.
 */
export const importRunJob = defineJob({
  name: 'jsm-import.run',
  payload: z.object({ importId: z.uuid() }),
  queue: { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
  handler: async ({ importId }, ctx: RunCtx) => {
    const outcome = await runImport({ db: ctx.db, clock: ctx.clock, config: ctx.config, budgetMs: SHARE_MS }, importId);
    if (outcome === 'more' && ctx.boss) await queueImportRun(ctx.boss, importId);
    return { outcome };
  },
});

export const queueImportRun = (boss: PgBoss, importId: string) => sendJob(boss, importRunJob, { importId });

export const startImportWorker = (boss: PgBoss, ctx: RunCtx, options: { pollingIntervalSeconds?: number } = {}) => workJob(boss, importRunJob, ctx, options);
