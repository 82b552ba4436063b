import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { z } from 'zod';
import { CRITICALITIES, STATUSES } from '#shared/tickets.ts';
import { MESSAGE_VISIBILITIES } from '#shared/tickets-api.ts';
import { WEBHOOK_DELIVERY_TYPES, type WebhookDeliveryType } from '#shared/webhooks-api.ts';

/*
 * The payloads Guichet sends, version 1, as zod schemas: the OpenAPI document's `webhooks` section is
 * generated from them, and the tests check every payload sent against them, so the documentation
 * cannot drift from what receivers get.
 */

/** The `webhooks` of an OpenAPI 3.1 document, as @fastify/swagger types them. */
type Webhooks = NonNullable<Extract<NonNullable<FastifyDynamicSwaggerOptions['openapi']>, { webhooks?: unknown }>['webhooks']>;

const isoDate = z.iso.datetime({ offset: true });

const requestRef = z
  .object({
    id: z.uuid(),
    key: z.string().meta({ example: 'SUP-42' }),
    summary: z.string(),
    status: z.enum(STATUSES).meta({ description: 'The status after the change' }),
    criticality: z.enum(CRITICALITIES),
    url: z.url().meta({ description: 'The request in the portal' }),
    desk: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    organization: z.object({ id: z.uuid(), name: z.string() }),
  })
  .meta({ description: 'The request, as it reads right after the change' });

const data: Record<WebhookDeliveryType, { summary: string; schema: z.ZodType }> = {
  'request.created': {
    summary: 'A request was opened (in the portal, the workspace or by e-mail)',
    schema: z.object({
      request: requestRef,
      channel: z.enum(['portal', 'email']),
      followUpOf: z.string().nullable().meta({ description: 'The closed request it follows up' }),
    }),
  },
  'request.updated': {
    summary: 'A request’s criticality or request type changed',
    schema: z.object({
      request: requestRef,
      changes: z.object({
        criticality: z.object({ from: z.enum(CRITICALITIES), to: z.enum(CRITICALITIES), reason: z.string().nullable() }).optional(),
        requestType: z.object({ to: z.uuid() }).optional(),
      }),
    }),
  },
  'request.status_changed': {
    summary: 'A request’s status changed',
    schema: z.object({ request: requestRef, from: z.enum(STATUSES), to: z.enum(STATUSES) }),
  },
  'message.created': {
    summary: 'A reply was posted on a request (internal notes only to subscriptions that include them)',
    schema: z.object({
      request: requestRef,
      message: z.object({
        id: z.uuid(),
        visibility: z.enum(MESSAGE_VISIBILITIES),
        author: z.object({ name: z.string(), staff: z.boolean() }),
        body: z.string().meta({ description: 'Markdown' }),
      }),
    }),
  },
  'sla.warning': {
    summary: 'An SLA clock of a request reached 75 % of its target',
    schema: z.object({ request: requestRef, clock: z.enum(['engagement', 'resolution']), targetMinutes: z.number().int(), deadline: isoDate.nullable() }),
  },
  'sla.breached': {
    summary: 'An SLA clock of a request passed its target',
    schema: z.object({ request: requestRef, clock: z.enum(['engagement', 'resolution']), targetMinutes: z.number().int(), deadline: isoDate.nullable() }),
  },
  'flex.balance_low': {
    summary: 'An organization’s Flex balance fell under its threshold (sent once per fall; only to subscriptions without a desk filter)',
    schema: z.object({ organization: z.object({ id: z.uuid(), name: z.string() }), balanceMinutes: z.number().int(), thresholdMinutes: z.number().int() }),
  },
  'survey.answered': {
    summary: 'The reporter answered the satisfaction survey of a closed request',
    schema: z.object({ request: requestRef, survey: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().nullable() }) }),
  },
  'webhook.ping': {
    summary: 'A test event an administrator sent',
    schema: z.object({ subscription: z.object({ id: z.uuid(), description: z.string() }) }),
  },
};

/** The whole body of a delivery of this type. */
export const payloadSchema = (type: WebhookDeliveryType) =>
  z.object({
    type: z.literal(type),
    version: z.literal(1),
    timestamp: isoDate.meta({ description: 'When the event happened' }),
    data: data[type].schema,
  });

const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' as const },
  example,
});
const operationIdOf = (type: string) => `webhook${type.replace(/(^|[._])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`;

/** The OpenAPI 3.1 `webhooks` section: one POST per event type Guichet sends. */
export function webhookDocuments(): Webhooks {
  // The JSON Schemas zod writes are valid OpenAPI 3.1 schemas; the types of openapi-types cannot say so.
  return Object.fromEntries(
    WEBHOOK_DELIVERY_TYPES.map((type) => {
      const { $schema: _drop, ...schema } = z.toJSONSchema(payloadSchema(type), { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
      return [
        type,
        {
          post: {
            operationId: operationIdOf(type),
            summary: data[type].summary,
            description:
              'A JSON POST signed per the Standard Webhooks specification with the subscription’s secret (`whsec_…`): verify `webhook-signature` over `webhook-id.webhook-timestamp.body`. ' +
              'Retried with exponential backoff and jitter for about a day until a 2xx answer; the same `webhook-id` on every try (drop duplicates). ' +
              'Deliveries about one request arrive in order. Redirects are not followed; a receiver has 10 seconds to answer.',
            tags: ['Webhooks'],
            security: [],
            parameters: [
              header('webhook-id', 'The delivery’s id: the same on every try', '5f0c2a4e-8a0b-4d8e-9d55-0f7c7a1e2b3c'),
              header('webhook-timestamp', 'Unix seconds of this try', '1767225600'),
              header('webhook-signature', 'Space-separated `v1,<base64 HMAC-SHA256>` signatures', 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='),
            ],
            requestBody: { required: true, content: { 'application/json': { schema } } },
            responses: {
              '200': { description: 'Any 2xx answer acknowledges the delivery' },
              '400': { description: 'Any other answer (or none within 10 s) is a failed try, retried later' },
            },
          },
        },
      ];
    }),
  ) as Webhooks;
}
