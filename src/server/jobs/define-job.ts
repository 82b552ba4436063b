import type { PgBoss, Queue } from 'pg-boss';
import { z } from 'zod';

/**
 * A background job as Documenso writes one: its queue's name, the zod schema of its payload, its
 * handler and, for a sweep, its schedule, in one file beside the feature's code. The registry
 * (jobs/registry.ts) lists every definition; pg-boss's queues are created from it.
 */
export type JobDefinition<Payload extends z.ZodType = z.ZodType, Ctx = never> = {
  name: string;
  payload: Payload;
  /** The queue's options: retries, expiry, retention. */
  queue: Omit<Queue, 'name'>;
  /**
   * A cron (in `tz`, UTC by default; a function reads a zone from the database when the worker
   * starts): pg-boss queues the job at these times, once across instances.
   */
  schedule?: { cron: string; tz?: string | ((ctx: Ctx) => Promise<string>) };
  handler: (payload: z.infer<Payload>, ctx: Ctx) => Promise<unknown>;
};

/** The payload of a job that needs none (a scheduled sweep): pg-boss sends null, a test `{}`. */
export const noPayload = z.object({}).nullish();

export const defineJob = <Payload extends z.ZodType, Ctx>(definition: JobDefinition<Payload, Ctx>) => definition;

/** An invalid payload fails its job with the fields at fault: it is never handled half-read. */
export class InvalidJobPayloadError extends Error {
  constructor(job: string, error: z.ZodError) {
    super(`job ${job}: invalid payload: ${z.prettifyError(error)}`);
  }
}

export function parsePayload<Payload extends z.ZodType>(job: Pick<JobDefinition<Payload, never>, 'name' | 'payload'>, data: unknown): z.infer<Payload> {
  const parsed = job.payload.safeParse(data);
  if (!parsed.success) throw new InvalidJobPayloadError(job.name, parsed.error);
  return parsed.data;
}

/**
 * Works a job's queue with its handler, each payload validated first; with `schedule`, also keeps
 * the job's schedule (idempotent: a restart or a second instance keeps one).
 */
export async function workJob<Payload extends z.ZodType, Ctx>(
  boss: PgBoss,
  job: JobDefinition<Payload, Ctx>,
  ctx: Ctx,
  options: { schedule?: boolean; pollingIntervalSeconds?: number; jobsPerFetch?: number } = {},
): Promise<string> {
  if (options.schedule && job.schedule) {
    const tz = typeof job.schedule.tz === 'function' ? await job.schedule.tz(ctx) : job.schedule.tz;
    await boss.schedule(job.name, job.schedule.cron, null, tz ? { tz } : {});
  }
  return boss.work(
    job.name,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, ...(options.jobsPerFetch ? { batchSize: options.jobsPerFetch } : {}) },
    async (jobs) => {
      const outputs: unknown[] = [];
      for (const one of jobs) outputs.push(await job.handler(parsePayload(job, one.data), ctx));
      // pg-boss records what the handler returns as the job's output (a sweep's counts).
      return jobs.length === 1 ? outputs[0] : outputs;
    },
  );
}

/** Queues a job with a payload checked against its schema, optionally in the caller's transaction (`db`). */
export async function sendJob<Payload extends z.ZodType>(
  boss: PgBoss,
  job: Pick<JobDefinition<Payload, never>, 'name' | 'payload'>,
  payload: z.input<Payload>,
  options: Parameters<PgBoss['send']>[2] = {},
): Promise<string | null> {
  return boss.send(job.name, parsePayload(job, payload) as object, options ?? {});
}

/**
 * Moves a scheduled job to another time zone (the business calendar's changed): pg-boss keeps one
 * schedule per job, replaced here. A job this database does not schedule (a test, a process
 * without workers) stays unscheduled.
 */
export async function rescheduleJob(boss: PgBoss, job: Pick<JobDefinition, 'name' | 'schedule'>, tz: string): Promise<boolean> {
  if (!job.schedule) return false;
  const existing = await boss.getSchedules(job.name);
  if (existing.length === 0) return false;
  await boss.schedule(job.name, job.schedule.cron, null, { tz });
  return true;
}
