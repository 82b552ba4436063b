import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import { deliverDueWebhooks, deliverWebhook, type WebhookDeliveryDeps } from './deliver-webhook.ts';

/** The delivery settings of a running server, from its configuration. */
export const webhookDeliveryDeps = (ctx: Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>): WebhookDeliveryDeps => ({
  db: ctx.db,
  clock: ctx.clock,
  mail: ctx.mail,
  baseUrl: ctx.config.baseUrl,
  allowedHosts: ctx.config.webhookAllowedHosts,
  maxAttempts: ctx.config.webhookMaxAttempts,
  disableAfterFailures: ctx.config.webhookDisableAfterFailures,
});

/**
 * Delivers one delivery soon after the commit that wrote it (queued in that transaction). The row is
 * the record of its state and the one retry path: pg-boss never retries the job; the sweep below
 * takes up retries whose backoff has passed and those of a crashed worker.
 */
export const webhookDeliveryJob = defineJob({
  name: 'webhook.deliver',
  payload: z.object({ deliveryId: z.uuid() }),
  queue: { retryLimit: 0, retryDelay: 0, retryBackoff: false, deleteAfterSeconds: 3600 },
  handler: ({ deliveryId }, deps: WebhookDeliveryDeps) => deliverWebhook(deps, deliveryId),
});

export const WEBHOOK_SWEEP_CRON = '* * * * *';

/** Every minute: the deliveries due again. */
export const webhookSweepJob = defineJob({
  name: 'webhook.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 900, deleteAfterSeconds: 3600 },
  schedule: { cron: WEBHOOK_SWEEP_CRON },
  handler: async (_payload, deps: WebhookDeliveryDeps) => {
    let delivered = 0;
    for (let batch = 0; batch < 20; batch++) {
      const n = await deliverDueWebhooks(deps);
      delivered += n;
      if (n < 50) break;
    }
    return { delivered };
  },
});

export async function startWebhookWorkers(boss: PgBoss, ctx: Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>, options: { schedule?: boolean } = {}) {
  const deps = webhookDeliveryDeps(ctx);
  await workJob(boss, webhookDeliveryJob, deps, { jobsPerFetch: 5 });
  await workJob(boss, webhookSweepJob, deps, options);
}
