import { randomUUID } from 'node:crypto';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { WebhookEvent } from '#shared/webhooks-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { webhookDelivery, webhookSubscription } from '../../db/schema.ts';
import type {
  EventContext,
  FlexBalanceLow,
  MessageAdded,
  RequestCreated,
  RequestCriticalityChanged,
  RequestStatusChanged,
  RequestTypeChanged,
  SlaThresholdReached,
  SurveyAnswered,
} from '../../events/catalog.ts';
import type { CreationReaction } from '../../events/publish.ts';
import { sendJob } from '../../jobs/define-job.ts';
import { webhookDeliveryJob } from './deliver-webhook.job.ts';
import { envelope, newRequestRef, organizationRef, requestRef, type RequestRef } from './payloads.ts';

/*
 * The webhooks' outbox: in the transaction of the change, one `webhook_delivery` row per enabled
 * subscription to the event (and its desk), with the payload as it reads at that moment. Delivery
 * happens after commit (deliver-webhook.ts): a change rolled back sends nothing, and a committed
 * one is delivered even if the process stops right after.
 */

type Outgoing = {
  type: WebhookEvent;
  at: Date;
  data: Record<string, unknown>;
  ticketId: string | null;
  /** null: an event about no request (only subscriptions without a desk filter get it). */
  deskId: string | null;
  /** An internal note: only subscriptions marked includeInternal get it. */
  internal?: boolean;
};

async function subscriptionsFor(db: DbOrTx, out: Outgoing) {
  const rows = await db
    .select({ id: webhookSubscription.id })
    .from(webhookSubscription)
    .where(
      and(
        eq(webhookSubscription.enabled, true),
        sql`${webhookSubscription.events} @> ${JSON.stringify([out.type])}::jsonb`,
        out.deskId ? or(isNull(webhookSubscription.deskId), eq(webhookSubscription.deskId, out.deskId)) : isNull(webhookSubscription.deskId),
        out.internal ? eq(webhookSubscription.includeInternal, true) : undefined,
      ),
    );
  return rows.map((r) => r.id);
}

function rowsFor(subscriptionIds: string[], out: Outgoing) {
  const payload = JSON.stringify(envelope(out.type, out.at, out.data));
  return subscriptionIds.map((subscriptionId) => ({
    id: randomUUID(),
    subscriptionId,
    type: out.type,
    payload,
    ticketId: out.ticketId,
    status: 'pending' as const,
    nextAttemptAt: out.at,
    createdAt: out.at,
  }));
}

/** Queues the prompt delivery of a row in the caller's transaction (the sweep delivers it otherwise). */
export async function queueWebhookDelivery(tx: DbOrTx, boss: PgBoss, deliveryId: string): Promise<void> {
  await sendJob(boss, webhookDeliveryJob, { deliveryId }, { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) });
}

async function enqueue(tx: DbOrTx, ctx: EventContext, out: Outgoing): Promise<void> {
  const ids = await subscriptionsFor(tx, out);
  if (!ids.length) return;
  const rows = rowsFor(ids, out);
  await tx.insert(webhookDelivery).values(rows);
  if (ctx.boss) for (const row of rows) await queueWebhookDelivery(tx, ctx.boss, row.id);
}

async function aboutRequest(tx: DbOrTx, ctx: EventContext, type: WebhookEvent, ticketId: string, at: Date, extra: Record<string, unknown>, internal = false) {
  const request = await requestRef(tx, ctx.config.baseUrl, ticketId);
  if (!request) return;
  await enqueue(tx, ctx, { type, at, ticketId, deskId: request.desk.id, internal, data: { request, ...extra } });
}

/** request.created: the rows join the creation's statement (see `prepareCreation`). */
export async function prepareCreatedWebhooks(db: DbOrTx, ctx: EventContext, e: RequestCreated): Promise<CreationReaction> {
  const probe = await db
    .select({ id: webhookSubscription.id })
    .from(webhookSubscription)
    .where(and(eq(webhookSubscription.enabled, true), sql`${webhookSubscription.events} @> '["request.created"]'::jsonb`))
    .limit(1);
  if (!probe.length) return { writes: [] };
  const request: RequestRef = await newRequestRef(db, ctx.config.baseUrl, e);
  const out: Outgoing = {
    type: 'request.created',
    at: e.at,
    ticketId: e.ticketId,
    deskId: request.desk.id,
    data: { request, channel: e.channel, followUpOf: e.followUpOfKey },
  };
  const rows = rowsFor(await subscriptionsFor(db, out), out);
  if (!rows.length) return { writes: [] };
  const boss = ctx.boss;
  return {
    writes: [db.insert(webhookDelivery).values(rows)],
    ...(boss
      ? {
          needsTransaction: true,
          afterWrites: async (tx: DbOrTx) => {
            for (const row of rows) await queueWebhookDelivery(tx, boss, row.id);
          },
        }
      : {}),
  };
}

export const onStatusChanged = (tx: DbOrTx, ctx: EventContext, e: RequestStatusChanged) =>
  aboutRequest(tx, ctx, 'request.status_changed', e.ticketId, ctx.clock.now(), { from: e.from, to: e.to });

export const onCriticalityChanged = (tx: DbOrTx, ctx: EventContext, e: RequestCriticalityChanged) =>
  aboutRequest(tx, ctx, 'request.updated', e.ticketId, ctx.clock.now(), { changes: { criticality: { from: e.from, to: e.to, reason: e.reason } } });

export const onRequestTypeChanged = (tx: DbOrTx, ctx: EventContext, e: RequestTypeChanged) =>
  aboutRequest(tx, ctx, 'request.updated', e.ticketId, ctx.clock.now(), { changes: { requestType: { to: e.toRequestTypeId } } });

export const onMessageAdded = (tx: DbOrTx, ctx: EventContext, e: MessageAdded) =>
  aboutRequest(
    tx,
    ctx,
    'message.created',
    e.ticketId,
    ctx.clock.now(),
    { message: { id: e.messageId, visibility: e.visibility, author: { name: e.author.name, staff: e.author.staff }, body: e.body } },
    e.visibility !== 'public',
  );

export async function onSlaThreshold(tx: DbOrTx, ctx: EventContext, e: SlaThresholdReached): Promise<void> {
  // Twice the target (level 3) is an escalation inside Customer Services, not a new fact for a receiver: the breach was sent.
  if (e.threshold === 'level3') return;
  await aboutRequest(tx, ctx, e.threshold === 'warning' ? 'sla.warning' : 'sla.breached', e.ticketId, e.at, {
    clock: e.clock,
    targetMinutes: e.targetMinutes,
    deadline: e.deadline?.toISOString() ?? null,
  });
}

export async function onFlexBalanceLow(tx: DbOrTx, ctx: EventContext, e: FlexBalanceLow): Promise<void> {
  await enqueue(tx, ctx, {
    type: 'flex.balance_low',
    at: e.at,
    ticketId: null,
    deskId: null,
    data: { organization: await organizationRef(tx, e.organizationId), balanceMinutes: e.balanceMinutes, thresholdMinutes: e.thresholdMinutes },
  });
}

export const onSurveyAnswered = (tx: DbOrTx, ctx: EventContext, e: SurveyAnswered) =>
  aboutRequest(tx, ctx, 'survey.answered', e.ticketId, e.at, { survey: { rating: e.rating, comment: e.comment } });
