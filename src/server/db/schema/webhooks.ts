/**
 * Webhooks (issue 17): the subscriptions administrators make, the outbox of deliveries written in the
 * transaction of the change, and the log of each try.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_DELIVERY_TYPES, type WebhookEvent } from '#shared/webhooks-api.ts';
import { desk } from './catalog.ts';
import { createdAt, oneOf, ts } from './columns.ts';

export const webhookSubscription = pgTable('webhook_subscription', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  events: jsonb('events').$type<WebhookEvent[]>().notNull(),
  /** Only the requests of this desk (null: every desk). Events about no request (flex.balance_low) reach only subscriptions without a desk. */
  deskId: uuid('desk_id').references(() => desk.id, { onDelete: 'cascade' }),
  /** message.created carries internal notes too. */
  includeInternal: boolean('include_internal').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  /** Standard Webhooks signing secret, `whsec_` and base64. */
  secret: text('secret').notNull(),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** Set when disabled automatically after repeated failures (cleared when enabled again). */
  disabledAt: ts('disabled_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const webhookDelivery = pgTable(
  'webhook_delivery',
  {
    /** The `webhook-id`: the same on every try, so a receiver can drop duplicates. */
    id: uuid('id').primaryKey().defaultRandom(),
    /** Order of writing: deliveries about one request reach one subscription in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscription.id, { onDelete: 'cascade' }),
    type: text('type', { enum: WEBHOOK_DELIVERY_TYPES }).notNull(),
    /** The JSON body sent, as written in the transaction of the change. */
    payload: text('payload').notNull(),
    /** The request it is about (the ordering key), or null. */
    ticketId: uuid('ticket_id'),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    /** A worker sending it holds it until then (a crashed worker's lease runs out). */
    claimedUntil: ts('claimed_until'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
  },
  (t) => [
    index('webhook_delivery_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_delivery_subscription_idx').on(t.subscriptionId, t.seq.desc()),
    index('webhook_delivery_order_idx').on(t.subscriptionId, t.ticketId, t.seq).where(sql`status = 'pending'`),
    oneOf('webhook_delivery_status_check', t.status, WEBHOOK_DELIVERY_STATUSES),
    oneOf('webhook_delivery_type_check', t.type, WEBHOOK_DELIVERY_TYPES),
  ],
);

export const webhookAttempt = pgTable(
  'webhook_attempt',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Order of the tries (two may share an instant). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDelivery.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    requestBody: text('request_body').notNull(),
    responseStatus: integer('response_status'),
    /** Truncated (2 KB). */
    responseBody: text('response_body'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('webhook_attempt_delivery_idx').on(t.deliveryId, t.seq)],
);
