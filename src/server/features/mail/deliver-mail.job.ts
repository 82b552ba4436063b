import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { defineJob, workJob } from '../../jobs/define-job.ts';
import { deliverDueMail, deliverMail, type DeliveryDeps } from './deliver-mail.ts';

/**
 * Delivers one outbox message: queued in the transaction that wrote the row, for prompt delivery.
 * The outbox row is the record of a message's state and the one retry path: a failed send is
 * counted, spaced and sent to the dead letter by deliverMail, and retried by the sweep below. pg-boss
 * never retries a delivery job (a handler that threw — the database away — leaves the row pending,
 * and the sweep takes it up).
 */
export const mailDeliveryJob = defineJob({
  name: 'mail.deliver',
  payload: z.object({ outboxId: z.uuid() }),
  queue: { retryLimit: 0, retryDelay: 0, retryBackoff: false },
  handler: ({ outboxId }, deps: DeliveryDeps) => deliverMail(deps, outboxId),
});

/**
 * Works the delivery queue and sweeps the outbox every polling interval for the messages due again
 * (retries whose backoff has passed, and those a crashed worker held). The sweep stops with pg-boss.
 */
export async function startMailWorker(
  boss: PgBoss,
  deps: DeliveryDeps,
  options: { pollingIntervalSeconds?: number; onError?: (error: unknown) => void } = {},
): Promise<string> {
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const workerId = await workJob(boss, mailDeliveryJob, deps, { pollingIntervalSeconds, jobsPerFetch: 5 });

  let running = false;
  let stopped = false;
  const sweep = async () => {
    if (running || stopped) return;
    running = true;
    try {
      // A full batch means more may be due: keep going until the backlog is drained.
      while (!stopped && (await deliverDueMail(deps)) >= 20);
    } catch (error) {
      if (!stopped) options.onError?.(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), pollingIntervalSeconds * 1000);
  timer.unref();
  boss.once('stopped', () => {
    stopped = true;
    clearInterval(timer);
  });
  void sweep();
  return workerId;
}
