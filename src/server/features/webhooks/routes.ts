import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, pageOf, uuidParamsSchema } from '#shared/api.ts';
import {
  webhookDeliveryDetailSchema,
  webhookDeliveryListQuerySchema,
  webhookDeliveryParamsSchema,
  webhookDeliverySchema,
  webhookSubscriptionDetailSchema,
  webhookSubscriptionInputSchema,
  webhookSubscriptionSchema,
  webhookSubscriptionUpdateSchema,
} from '#shared/webhooks-api.ts';
import { requireUser } from '../../http/access.ts';
import { webhookDeliveryDeps } from './deliver-webhook.job.ts';
import { getDelivery, listDeliveries, pingSubscription, resendDelivery } from './deliveries.ts';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, rotateSecret, updateSubscription } from './subscriptions.ts';

const tags = ['Webhooks'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  const deps = () => webhookDeliveryDeps(ctx);

  app.get(
    '/admin/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'listWebhooks',
        summary: 'The webhook subscriptions, newest first',
        response: { 200: z.array(webhookSubscriptionSchema), ...errors },
      },
    },
    async () => listSubscriptions(ctx),
  );

  app.post(
    '/admin/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Subscribes a URL to events; answers with its signing secret (Standard Webhooks `whsec_…`); audited',
        body: webhookSubscriptionInputSchema,
        response: { 201: webhookSubscriptionDetailSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createSubscription(ctx, requireUser(request).id, request.body)),
  );

  app.get(
    '/admin/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'getWebhook',
        summary: 'One webhook subscription, with its signing secret',
        params: uuidParamsSchema,
        response: { 200: webhookSubscriptionDetailSchema, ...errors },
      },
    },
    async (request) => getSubscription(ctx, request.params.id),
  );

  app.patch(
    '/admin/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'updateWebhook',
        summary: 'Changes a webhook subscription (enabling it again resets its failure count); audited',
        params: uuidParamsSchema,
        body: webhookSubscriptionUpdateSchema,
        response: { 200: webhookSubscriptionDetailSchema, ...errors },
      },
    },
    async (request) => updateSubscription(ctx, requireUser(request).id, request.params.id, request.body),
  );

  app.delete(
    '/admin/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'deleteWebhook',
        summary: 'Deletes a webhook subscription and its delivery log; audited',
        params: uuidParamsSchema,
        response: { 204: z.null().meta({ description: 'Deleted' }), ...errors },
      },
    },
    async (request, reply) => {
      await deleteSubscription(ctx, requireUser(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/admin/webhooks/:id/rotate-secret',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: 'Replaces the signing secret of a webhook subscription (the old one stops at once); audited',
        params: uuidParamsSchema,
        response: { 200: webhookSubscriptionDetailSchema, ...errors },
      },
    },
    async (request) => rotateSecret(ctx, requireUser(request).id, request.params.id),
  );

  app.post(
    '/admin/webhooks/:id/ping',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'pingWebhook',
        summary: 'Sends a test event (`webhook.ping`) now, once, and answers with the try',
        params: uuidParamsSchema,
        response: { 200: webhookDeliveryDetailSchema, ...errors },
      },
    },
    async (request) => pingSubscription(ctx, deps(), request.params.id),
  );

  app.get(
    '/admin/webhooks/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: 'The delivery log of a webhook subscription, newest first',
        params: uuidParamsSchema,
        querystring: webhookDeliveryListQuerySchema,
        response: { 200: pageOf(webhookDeliverySchema), ...errors },
      },
    },
    async (request) => listDeliveries(ctx, request.params.id, request.query),
  );

  app.get(
    '/admin/webhooks/:id/deliveries/:deliveryId',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'getWebhookDelivery',
        summary: 'One delivery with its payload and every try (request body, response status, response truncated to 2 KB, duration, error)',
        params: webhookDeliveryParamsSchema,
        response: { 200: webhookDeliveryDetailSchema, ...errors },
      },
    },
    async (request) => getDelivery(ctx, request.params.id, request.params.deliveryId),
  );

  app.post(
    '/admin/webhooks/:id/deliveries/:deliveryId/resend',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'resendWebhookDelivery',
        summary: 'Sends a delivery again now, with the same webhook-id and a full set of tries; audited',
        params: webhookDeliveryParamsSchema,
        response: { 200: webhookDeliveryDetailSchema, ...errors },
      },
    },
    async (request) => resendDelivery(ctx, deps(), requireUser(request).id, request.params.id, request.params.deliveryId),
  );
};
