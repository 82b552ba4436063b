import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { user, webhookAttempt, webhookDelivery, webhookSubscription } from '../../db/schema.ts';
import { adminAccount } from '../../policies/accounts.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { enqueueMail, type MailDeps } from '../mail/enqueue-mail.ts';
import { activeUser } from '../users/user-rules.ts';
import { postWebhook, type PostResult } from './url-safety.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

export type WebhookDeliveryDeps = {
  db: Db;
  clock: Clock;
  mail: MailDeps;
  baseUrl: string;
  /** WEBHOOK_ALLOWED_HOSTS. */
  allowedHosts: readonly string[];
  /** Tries of one delivery before it is failed (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Failed tries in a row after which a subscription is disabled (WEBHOOK_DISABLE_AFTER_FAILURES). */
  disableAfterFailures: number;
  /** How long a receiver has to answer (10 s; shorter in tests). */
  timeoutMs?: number;
  /** The jitter's randomness, in [0, 1). */
  random?: () => number;
};

/**
 * Exponential backoff with jitter: 30 s after the first failure, three times longer each time, at
 * most 8 hours, each ±20 %: ten tries span about a day (30 s, 1.5 min, 4.5 min, 13.5 min, 40 min,
 * 2 h, 6 h, 8 h, 8 h).
 */
export function retryDelayMs(attempts: number, random: number): number {
  const base = Math.min(30_000 * 3 ** Math.max(0, attempts - 1), 8 * 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

export type WebhookOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/**
 * A delivery may go now when its subscription is enabled (a ping goes to a disabled one too) and no
 * earlier delivery about the same request to the same subscription is still pending (deliveries of
 * one request arrive in order; a failed one no longer holds the others).
 */
const mayGoNow = [
  sql`not exists (select 1 from webhook_delivery earlier where earlier.subscription_id = webhook_delivery.subscription_id
    and earlier.ticket_id = webhook_delivery.ticket_id and earlier.status = 'pending' and earlier.seq < webhook_delivery.seq)`,
  sql`exists (select 1 from webhook_subscription s where s.id = webhook_delivery.subscription_id and (s.enabled or webhook_delivery.type = 'webhook.ping'))`,
];

/** Claims a delivery: pending, due, held by no worker, and free to go (`mayGoNow`). */
async function claim(db: Db, id: string, now: Date, leaseMs: number) {
  const [row] = await db
    .update(webhookDelivery)
    .set({ claimedUntil: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(webhookDelivery.id, id),
        eq(webhookDelivery.status, 'pending'),
        lte(webhookDelivery.nextAttemptAt, now),
        or(isNull(webhookDelivery.claimedUntil), lte(webhookDelivery.claimedUntil, now)),
        ...mayGoNow,
      ),
    )
    .returning();
  return row;
}

/** The headers of Standard Webhooks, signed with the subscription's secret over `id.timestamp.body`. */
export function signedHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

/**
 * Sends one delivery, if it may go now (see `claim`), and records the try. A 2xx answer delivers
 * it; anything else (a 3xx too: redirects are not followed), a network error, a refused address or
 * the timeout is a failed try, retried later with backoff until its tries are used up. Each failed
 * try counts against the subscription: after `disableAfterFailures` in a row it is disabled and the
 * administrators are told by e-mail.
 */
export async function deliverWebhook(deps: WebhookDeliveryDeps, id: string): Promise<WebhookOutcome> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const delivery = await claim(deps.db, id, deps.clock.now(), timeoutMs * 3);
  if (!delivery) return 'skipped';
  const [subscription] = await deps.db.select().from(webhookSubscription).where(eq(webhookSubscription.id, delivery.subscriptionId));
  if (!subscription) return 'skipped';
  const at = deps.clock.now();
  let result: PostResult | null = null;
  let error: string | null = null;
  const started = performance.now();
  try {
    result = await postWebhook({
      url: subscription.url,
      body: delivery.payload,
      headers: signedHeaders(subscription.secret, delivery.id, at, delivery.payload),
      timeoutMs,
      allowedHosts: deps.allowedHosts,
    });
    if (result.status < 200 || result.status >= 300) {
      error = result.status >= 300 && result.status < 400 ? `redirect (${result.status}) not followed` : `answered ${result.status}`;
    }
  } catch (e) {
    error = String((e as Error).message || e).slice(0, 1000);
  }
  const durationMs = result?.durationMs ?? Math.round(performance.now() - started);
  const ping = delivery.type === 'webhook.ping';
  const attempts = delivery.attempts + 1;
  const outcome: WebhookOutcome = !error ? 'delivered' : ping || attempts >= deps.maxAttempts ? 'failed' : 'retry';
  let disabled = false;
  await deps.db.transaction(async (tx) => {
    await tx.insert(webhookAttempt).values({
      deliveryId: delivery.id,
      at,
      requestBody: delivery.payload,
      responseStatus: result?.status ?? null,
      responseBody: result?.body ?? null,
      durationMs,
      error,
    });
    const now = deps.clock.now();
    await tx
      .update(webhookDelivery)
      .set({
        attempts,
        claimedUntil: null,
        lastError: error,
        lastStatus: result?.status ?? null,
        ...(outcome === 'delivered' ? { status: 'delivered', deliveredAt: now } : {}),
        ...(outcome === 'failed' ? { status: 'failed' } : {}),
        ...(outcome === 'retry' ? { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, (deps.random ?? Math.random)())) } : {}),
      })
      .where(eq(webhookDelivery.id, delivery.id));
    if (ping) return;
    if (!error) {
      await tx.update(webhookSubscription).set({ consecutiveFailures: 0 }).where(eq(webhookSubscription.id, subscription.id));
      return;
    }
    const [counted] = await tx
      .update(webhookSubscription)
      .set({ consecutiveFailures: sql`${webhookSubscription.consecutiveFailures} + 1` })
      .where(eq(webhookSubscription.id, subscription.id))
      .returning({ failures: webhookSubscription.consecutiveFailures, enabled: webhookSubscription.enabled });
    if (counted?.enabled && counted.failures >= deps.disableAfterFailures) {
      await disableSubscription(tx, deps, { id: subscription.id, url: subscription.url, description: subscription.description, failures: counted.failures });
      disabled = true;
    }
  });
  // The next delivery about the same request was waiting for this one.
  if (!disabled && outcome !== 'retry' && delivery.ticketId) await deliverNextOf(deps, delivery.subscriptionId, delivery.ticketId);
  return outcome;
}

async function deliverNextOf(deps: WebhookDeliveryDeps, subscriptionId: string, ticketId: string): Promise<void> {
  const [next] = await deps.db
    .select({ id: webhookDelivery.id })
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.subscriptionId, subscriptionId), eq(webhookDelivery.ticketId, ticketId), eq(webhookDelivery.status, 'pending')))
    .orderBy(asc(webhookDelivery.seq))
    .limit(1);
  if (next) await deliverWebhook(deps, next.id);
}

async function disableSubscription(
  tx: DbOrTx,
  deps: WebhookDeliveryDeps,
  s: { id: string; url: string; description: string; failures: number },
): Promise<void> {
  const now = deps.clock.now();
  await tx.update(webhookSubscription).set({ enabled: false, disabledAt: now, updatedAt: now }).where(eq(webhookSubscription.id, s.id));
  await recordAudit(tx, {
    at: now,
    actorId: null,
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: s.id,
    details: { url: s.url, failures: s.failures },
  });
  const admins = await tx.select({ id: user.id, email: user.email, language: user.language }).from(user).where(and(adminAccount(), activeUser()));
  for (const admin of admins) {
    await enqueueMail(tx, deps.mail, {
      to: admin.email,
      language: admin.language,
      template: 'webhook-disabled',
      userId: admin.id,
      params: { endpoint: s.url, description: s.description, failures: s.failures, url: `${deps.baseUrl}/admin/webhooks/${s.id}` },
    });
  }
}

/** Delivers the due deliveries nobody holds, oldest first (so one request's stay in order); returns how many were delivered. */
export async function deliverDueWebhooks(deps: WebhookDeliveryDeps, options: { limit?: number } = {}): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db
    .select({ id: webhookDelivery.id })
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.status, 'pending'),
        lte(webhookDelivery.nextAttemptAt, now),
        or(isNull(webhookDelivery.claimedUntil), lte(webhookDelivery.claimedUntil, now)),
        // Only those that may go: a long queue held behind a disabled or failing receiver never starves the others.
        ...mayGoNow,
      ),
    )
    .orderBy(asc(webhookDelivery.seq))
    .limit(options.limit ?? 50);
  let delivered = 0;
  for (const { id } of due) if ((await deliverWebhook(deps, id)) === 'delivered') delivered++;
  return delivered;
}
