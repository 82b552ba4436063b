import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookDeliveryStatus } from '#shared/webhooks-api.ts';
import type { AppContext } from '../../context.ts';
import { webhookAttempt, webhookDelivery } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { deliverWebhook, type WebhookDeliveryDeps } from './deliver-webhook.ts';
import { envelope } from './payloads.ts';
import { loadSubscription } from './subscriptions.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;
type Row = typeof webhookDelivery.$inferSelect;

const present = (r: Row): WebhookDelivery => ({
  id: r.id,
  subscriptionId: r.subscriptionId,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  ticketId: r.ticketId,
  createdAt: r.createdAt.toISOString(),
  nextAttemptAt: r.nextAttemptAt.toISOString(),
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  lastError: r.lastError,
  lastStatus: r.lastStatus,
});

/** A subscription's deliveries, newest first; the cursor is the last seq seen. */
export async function listDeliveries(
  ctx: Ctx,
  subscriptionId: string,
  query: { cursor?: string | undefined; limit: number; status?: WebhookDeliveryStatus | undefined },
): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
  await loadSubscription(ctx.db, subscriptionId);
  const after = query.cursor && /^\d+$/.test(query.cursor) ? Number(query.cursor) : null;
  const rows = await ctx.db
    .select()
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.subscriptionId, subscriptionId),
        query.status ? eq(webhookDelivery.status, query.status) : undefined,
        after !== null ? lt(webhookDelivery.seq, after) : undefined,
      ),
    )
    .orderBy(desc(webhookDelivery.seq))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items: items.map(present), nextCursor: rows.length > query.limit ? String(items.at(-1)!.seq) : null };
}

async function loadDelivery(ctx: Pick<Ctx, 'db'>, subscriptionId: string, id: string): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.id, id), eq(webhookDelivery.subscriptionId, subscriptionId)));
  if (!row) throw notFound('webhook_delivery');
  return row;
}

export async function getDelivery(ctx: Pick<Ctx, 'db'>, subscriptionId: string, id: string): Promise<WebhookDeliveryDetail> {
  const row = await loadDelivery(ctx, subscriptionId, id);
  const tries = await ctx.db.select().from(webhookAttempt).where(eq(webhookAttempt.deliveryId, id)).orderBy(asc(webhookAttempt.seq));
  return {
    ...present(row),
    payload: row.payload,
    tries: tries.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      requestBody: a.requestBody,
      responseStatus: a.responseStatus,
      responseBody: a.responseBody,
      durationMs: a.durationMs,
      error: a.error,
    })),
  };
}

/**
 * Sends a delivery again, with the same `webhook-id` (a receiver that got it already drops it): it is
 * pending again with a full set of tries, due now, and tried at once. Audited.
 */
export async function resendDelivery(ctx: Ctx, deps: WebhookDeliveryDeps, actorId: string, subscriptionId: string, id: string): Promise<WebhookDeliveryDetail> {
  await ctx.db.transaction(async (tx) => {
    const row = await loadDelivery({ db: tx as unknown as AppContext['db'] }, subscriptionId, id);
    const now = ctx.clock.now();
    await tx.update(webhookDelivery).set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedUntil: null }).where(eq(webhookDelivery.id, id));
    await recordAudit(tx, {
      at: now,
      actorId,
      action: 'webhook.delivery_resent',
      targetType: 'webhook',
      targetId: subscriptionId,
      details: { deliveryId: id, type: row.type, status: row.status, attempts: row.attempts },
    });
  });
  await deliverWebhook(deps, id);
  return getDelivery(ctx, subscriptionId, id);
}

/** A test event (`webhook.ping`), sent at once, once (a ping is not retried), even to a disabled subscription. */
export async function pingSubscription(ctx: Ctx, deps: WebhookDeliveryDeps, subscriptionId: string): Promise<WebhookDeliveryDetail> {
  const subscription = await loadSubscription(ctx.db, subscriptionId);
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.insert(webhookDelivery).values({
    id,
    subscriptionId,
    type: 'webhook.ping',
    payload: JSON.stringify(envelope('webhook.ping', now, { subscription: { id: subscription.id, description: subscription.description } })),
    ticketId: null,
    status: 'pending',
    nextAttemptAt: now,
    createdAt: now,
  });
  await deliverWebhook(deps, id);
  return getDelivery(ctx, subscriptionId, id);
}
