import { uploadSweepJob } from '../features/attachments/sweep-uploads.job.ts';
import { flexBillingJob } from '../features/flex/billing.job.ts';
import { idempotencySweepJob } from '../features/idempotency/sweep.job.ts';
import { countdownBackfillJob } from '../features/lifecycle/backfill-countdowns.job.ts';
import { inboundSweepJob } from '../features/inbound/sweep.job.ts';
import { importRunJob } from '../features/jsm-import/run-import.job.ts';
import { lifecycleSweepJob } from '../features/lifecycle/sweep.job.ts';
import { mailDeliveryJob } from '../features/mail/deliver-mail.job.ts';
import { slaSweepJob } from '../features/sla/sweep.job.ts';
import { webhookDeliveryJob, webhookSweepJob } from '../features/webhooks/deliver-webhook.job.ts';

/** Every background job of Guichet: pg-boss's queues are created from these definitions. */
export const JOBS = [
  mailDeliveryJob,
  slaSweepJob,
  flexBillingJob,
  lifecycleSweepJob,
  uploadSweepJob,
  idempotencySweepJob,
  countdownBackfillJob,
  inboundSweepJob,
  webhookDeliveryJob,
  webhookSweepJob,
  importRunJob,
] as const;

/** The queues' names, for tests and tools that queue a job by hand. */
export const QUEUES = {
  mailDeliver: mailDeliveryJob.name,
  slaSweep: slaSweepJob.name,
  flexBilling: flexBillingJob.name,
  lifecycleSweep: lifecycleSweepJob.name,
  uploadSweep: uploadSweepJob.name,
  idempotencySweep: idempotencySweepJob.name,
  countdownBackfill: countdownBackfillJob.name,
  inboundSweep: inboundSweepJob.name,
  webhookDeliver: webhookDeliveryJob.name,
  webhookSweep: webhookSweepJob.name,
  jsmImportRun: importRunJob.name,
} as const;
