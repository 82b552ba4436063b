import type { PgBoss } from 'pg-boss';
import type { AppContext } from './context.ts';
// The sweeps change requests (the automatic closure): their reactions are wired here too.
import './subscribers.ts';
import { startUploadSweepWorker } from './features/attachments/sweep-uploads.job.ts';
import { startFlexBillingWorker } from './features/flex/billing.job.ts';
import { startIdempotencySweepWorker } from './features/idempotency/sweep.job.ts';
import { startCountdownBackfillWorker } from './features/lifecycle/backfill-countdowns.job.ts';
import { startImapReader, type ImapReader, type ImapReaderLog } from './features/inbound/imap-reader.ts';
import { receiveMail } from './features/inbound/receive-mail.ts';
import { startInboundSweepWorker } from './features/inbound/sweep.job.ts';
import { startImportWorker } from './features/jsm-import/run-import.job.ts';
import { startLifecycleWorker } from './features/lifecycle/sweep.job.ts';
import { createTransport } from './features/mail/deliver-mail.ts';
import { startMailWorker } from './features/mail/deliver-mail.job.ts';
import { startSlaWorker } from './features/sla/sweep.job.ts';
import { startWebhookWorkers } from './features/webhooks/deliver-webhook.job.ts';

/**
 * The background work of a server process, on pg-boss, from the job definitions (jobs/registry.ts):
 * mail delivery (with SMTP configured), and the scheduled jobs — the SLA sweep and the automatic-closure sweep every minute, the sweep of
 * uploads never attached every 15 minutes, the sweep of idempotency keys older than 24 hours
 * hourly, Flex billing on the 1st of the month at 03:00 in the business calendar's zone. pg-boss runs each schedule
 * once across instances. And the one-off data migrations queued at start (the countdown backfill).
 * With IMAP_URL, the reader of that mailbox: the one piece that is not a pg-boss job, stopped by the
 * handle this returns.
 */
export async function startWorkers(
  boss: PgBoss,
  ctx: AppContext,
  options: { onMailError?: (error: unknown) => void; imapLog?: ImapReaderLog } = {},
): Promise<{ imapReader: ImapReader | null; stop(): Promise<void> }> {
  const { config } = ctx;
  if (config.smtpUrl) {
    await startMailWorker(
      boss,
      {
        db: ctx.db,
        clock: ctx.clock,
        transport: createTransport(config.smtpUrl, { timeoutSeconds: config.mailSendTimeoutSeconds }),
        mailFrom: config.mailFrom,
        baseUrl: config.baseUrl,
        maxAttempts: config.mailMaxAttempts,
        sendTimeoutSeconds: config.mailSendTimeoutSeconds,
      },
      options.onMailError ? { onError: options.onMailError } : {},
    );
  }
  await startSlaWorker(boss, ctx, { schedule: true });
  await startFlexBillingWorker(boss, ctx, { schedule: true });
  await startLifecycleWorker(boss, ctx, { schedule: true });
  await startUploadSweepWorker(boss, ctx, { schedule: true });
  await startIdempotencySweepWorker(boss, ctx, { schedule: true });
  await startCountdownBackfillWorker(boss, ctx);
  await startInboundSweepWorker(boss, ctx, { schedule: true });
  await startWebhookWorkers(boss, ctx, { schedule: true });
  await startImportWorker(boss, ctx);
  const imapReader = config.imapUrl
    ? await startImapReader({
        url: config.imapUrl,
        pollSeconds: config.imapPollSeconds,
        processedFolder: config.imapProcessedFolder,
        failedFolder: config.imapFailedFolder,
        deliver: (raw) => receiveMail(ctx, raw, { source: 'imap' }),
        log: options.imapLog ?? ctx.mail.log,
      })
    : null;
  return {
    imapReader,
    stop: async () => {
      await imapReader?.stop();
    },
  };
}
