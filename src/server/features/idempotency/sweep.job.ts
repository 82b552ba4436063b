import { inArray, lte, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import { idempotencyKey } from '../../db/schema.ts';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import { KEY_LIFETIME_MS } from './idempotency.ts';

/** Every hour, at minute 17 (away from the other sweeps' round minutes). */
export const IDEMPOTENCY_SWEEP_CRON = '17 * * * *';

type SweepCtx = Pick<AppContext, 'db' | 'clock'>;

/**
 * Deletes the idempotency keys older than 24 hours, in batches through the created_at index.
 * Claims already ignore them (an expired key is a new key): this only keeps the table small.
 * Idempotent: a second run finds nothing left to delete. Returns how many keys went.
 */
export async function sweepIdempotencyKeys(ctx: SweepCtx, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 100;
  const cutoff = new Date(ctx.clock.now().getTime() - KEY_LIFETIME_MS);
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = ctx.db
      .select({ userId: idempotencyKey.userId, key: idempotencyKey.key })
      .from(idempotencyKey)
      .where(lte(idempotencyKey.createdAt, cutoff))
      .limit(batchSize);
    const gone = await ctx.db
      .delete(idempotencyKey)
      .where(inArray(sql`(${idempotencyKey.userId}, ${idempotencyKey.key})`, due))
      .returning({ key: idempotencyKey.key });
    deleted += gone.length;
    if (gone.length < batchSize) break;
  }
  return deleted;
}

export const idempotencySweepJob = defineJob({
  name: 'idempotency.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 },
  schedule: { cron: IDEMPOTENCY_SWEEP_CRON },
  handler: (_payload, ctx: SweepCtx) => sweepIdempotencyKeys(ctx),
});

export const startIdempotencySweepWorker = (
  boss: PgBoss,
  ctx: SweepCtx,
  options: { schedule?: boolean; pollingIntervalSeconds?: number } = {},
): Promise<string> => workJob(boss, idempotencySweepJob, ctx, options);
