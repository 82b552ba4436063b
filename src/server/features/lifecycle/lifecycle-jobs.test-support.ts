import type { PgBoss } from 'pg-boss';
import { QUEUES } from '../../jobs/boss.ts';
import type { LifecycleSweepResult } from './sweep.job.ts';

/**
 * Queues one automatic-closure sweep and waits until a worker (any instance's) has done it. The
 * wait is for the worker to pick the job up; the rules themselves only see the injected clock.
 */
export async function lifecycleSweepThroughBoss(boss: PgBoss): Promise<LifecycleSweepResult> {
  const id = await boss.send(QUEUES.lifecycleSweep, {});
  if (!id) throw new Error('the sweep was not queued');
  for (let i = 0; i < 400; i++) {
    const [job] = await boss.findJobs<object>(QUEUES.lifecycleSweep, { id });
    if (job?.state === 'completed') return job.output as LifecycleSweepResult;
    if (job?.state === 'failed') throw new Error(`the sweep failed: ${JSON.stringify(job.output)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no worker did the sweep within 20 s');
}

export const none = { reminder_1: 0, reminder_2: 0, resolve: 0, close: 0 };
