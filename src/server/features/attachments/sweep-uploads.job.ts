import { opendir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { and, inArray, isNull, lt } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { attachment } from '../../db/schema.ts';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import { uploadPath } from './storage.ts';

/*
 * Uploads never attached to a request are deleted a day after they were sent, rows and files: the
 * room they took (in the organization's quota too) is free again. Every 15 minutes, in batches.
 *
 * Attaching and sweeping never meet half-way: the sweep takes the due rows with FOR UPDATE SKIP
 * LOCKED and removes their files while it holds them, then deletes them in the same transaction.
 * An upload being attached at that moment is locked by its attaching transaction, so the sweep
 * skips it (and once committed it is attached: no longer due); one the sweep holds makes the
 * attaching transaction wait, which then finds it gone and refuses it as unknown (400), before any
 * file is moved. A sweep that fails half-way leaves rows whose files are gone; the next one removes
 * them (removing an absent file is fine), so running it again finishes the work.
 *
 * Files without a row (a crash between writing an upload and recording it) are removed too once
 * they are as old.
 */

export const UPLOAD_KEEP_HOURS = 24;
export const UPLOAD_SWEEP_CRON = '*/15 * * * *';

type SweepCtx = Pick<AppContext, 'db' | 'clock' | 'config'>;
export type UploadSweepResult = { removed: number; strayFiles: number };

export async function sweepUploads(ctx: SweepCtx, options: { batchSize?: number; maxBatches?: number } = {}): Promise<UploadSweepResult> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 100;
  const cutoff = new Date(ctx.clock.now().getTime() - UPLOAD_KEEP_HOURS * 3600 * 1000);
  let removed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const taken = await ctx.db.transaction((tx) => sweepBatch(tx, ctx.config.dataDir, cutoff, batchSize));
    removed += taken;
    if (taken < batchSize) break;
  }
  const strayFiles = await removeStrayFiles(ctx, cutoff, batchSize);
  return { removed, strayFiles };
}

async function sweepBatch(tx: Tx, dataDir: string, cutoff: Date, batchSize: number): Promise<number> {
  // The predicate repeats the partial index's (attachment_pending_created_idx).
  const due = await tx
    .select({ id: attachment.id })
    .from(attachment)
    .where(and(isNull(attachment.ticketId), lt(attachment.createdAt, cutoff)))
    .orderBy(attachment.createdAt)
    .limit(batchSize)
    .for('update', { skipLocked: true });
  if (due.length === 0) return 0;
  const ids = due.map((row) => row.id);
  for (const id of ids) await rm(uploadPath(dataDir, id), { force: true });
  await tx.delete(attachment).where(and(inArray(attachment.id, ids), isNull(attachment.ticketId)));
  return ids.length;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files in uploads/ older than the cutoff that no row names: nothing can ever attach them. */
async function removeStrayFiles(ctx: SweepCtx, cutoff: Date, batchSize: number): Promise<number> {
  const dir = path.dirname(uploadPath(ctx.config.dataDir, 'x'));
  let entries: Awaited<ReturnType<typeof opendir>>;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  let old: string[] = [];
  const flush = async () => {
    if (old.length === 0) return;
    const known = new Set((await ctx.db.select({ id: attachment.id }).from(attachment).where(inArray(attachment.id, old))).map((r) => r.id));
    for (const id of old) {
      if (known.has(id)) continue;
      await rm(uploadPath(ctx.config.dataDir, id), { force: true });
      removed++;
    }
    old = [];
  };
  for await (const entry of entries) {
    if (!entry.isFile() || !UUID.test(entry.name)) continue;
    const info = await stat(path.join(dir, entry.name)).catch(() => null);
    if (!info || info.mtime >= cutoff) continue;
    old.push(entry.name);
    if (old.length >= batchSize) await flush();
  }
  await flush();
  return removed;
}

/** Every 15 minutes; a failed sweep is finished by the next one. */
export const uploadSweepJob = defineJob({
  name: 'attachments.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 600, deleteAfterSeconds: 3600 },
  schedule: { cron: UPLOAD_SWEEP_CRON },
  handler: (_payload, ctx: SweepCtx) => sweepUploads(ctx),
});

/** Works the sweep queue; with `schedule`, pg-boss also queues a sweep every 15 minutes (once across instances). */
export const startUploadSweepWorker = (boss: PgBoss, ctx: SweepCtx, options: { schedule?: boolean; pollingIntervalSeconds?: number } = {}): Promise<string> =>
  workJob(boss, uploadSweepJob, ctx, options);
