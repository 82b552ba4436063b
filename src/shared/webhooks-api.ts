import { z } from 'zod';

const isoDate = z.iso.datetime({ offset: true });

/** The events an administrator may subscribe a URL to (issue 17). */
export const WEBHOOK_EVENTS = [
  'request.created',
  'request.updated',
  'request.status_changed',
  'message.created',
  'sla.warning',
  'sla.breached',
  'flex.balance_low',
  'survey.answered',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** What a delivery can carry: a subscribed event, or the test ping an administrator sends. */
export const WEBHOOK_DELIVERY_TYPES = [...WEBHOOK_EVENTS, 'webhook.ping'] as const;
export type WebhookDeliveryType = (typeof WEBHOOK_DELIVERY_TYPES)[number];

/** pending: to deliver (or retry); delivered; failed: its tries used up ("send again" makes it pending). */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookSubscriptionInputSchema = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(500).default(''),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  deskId: z.uuid().nullable().default(null),
  includeInternal: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type WebhookSubscriptionInput = z.input<typeof webhookSubscriptionInputSchema>;

export const webhookSubscriptionUpdateSchema = z.strictObject({
  url: z.string().trim().min(1).max(2000).optional(),
  description: z.string().trim().max(500).optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
  deskId: z.uuid().nullable().optional(),
  includeInternal: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type WebhookSubscriptionUpdate = z.infer<typeof webhookSubscriptionUpdateSchema>;

export const webhookSubscriptionSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    deskId: z.uuid().nullable(),
    includeInternal: z.boolean(),
    enabled: z.boolean(),
    /** Failed tries in a row; at WEBHOOK_DISABLE_AFTER_FAILURES the subscription is disabled. */
    consecutiveFailures: z.number().int(),
    /** Set when Guichet disabled it after repeated failures. */
    disabledAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'WebhookSubscription' });
export type WebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

/** One subscription with its signing secret (Standard Webhooks, `whsec_…`): for administrators only. */
export const webhookSubscriptionDetailSchema = webhookSubscriptionSchema.extend({ secret: z.string() }).meta({ id: 'WebhookSubscriptionDetail' });
export type WebhookSubscriptionDetail = z.infer<typeof webhookSubscriptionDetailSchema>;

export const webhookDeliverySchema = z
  .object({
    id: z.uuid().meta({ description: 'The `webhook-id` header: the same on every try and on "send again"' }),
    subscriptionId: z.uuid(),
    type: z.enum(WEBHOOK_DELIVERY_TYPES),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    ticketId: z.uuid().nullable(),
    createdAt: isoDate,
    nextAttemptAt: isoDate,
    deliveredAt: isoDate.nullable(),
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookAttemptSchema = z
  .object({
    id: z.uuid(),
    at: isoDate,
    requestBody: z.string(),
    responseStatus: z.number().int().nullable(),
    responseBody: z.string().nullable().meta({ description: 'The first 2 KB of the answer' }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliveryDetailSchema = webhookDeliverySchema
  .extend({ payload: z.string(), tries: z.array(webhookAttemptSchema) })
  .meta({ id: 'WebhookDeliveryDetail' });
export type WebhookDeliveryDetail = z.infer<typeof webhookDeliveryDetailSchema>;

export const webhookDeliveryParamsSchema = z.object({ id: z.uuid(), deliveryId: z.uuid() });
export const webhookDeliveryListQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});
