import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorSchema, pageOf, uuidParamsSchema } from '#shared/api.ts';
import {
  inboundListQuerySchema,
  inboundMessageDetailSchema,
  inboundMessageSchema,
  messageOriginalSchema,
  openFromTriageSchema,
  triageItemSchema,
  triageListQuerySchema,
} from '#shared/inbound-api.ts';
import { ticketKeySchema } from '#shared/tickets-api.ts';
import { requireUser } from '../../http/access.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { getInboundMessage, getInboundRaw, listInbound } from './list-inbound.ts';
import { getMessageOriginal } from './message-original.ts';
import { reprocessInbound } from './reprocess-inbound.ts';
import { dismissTriage, listTriage, openFromTriage } from './triage.ts';

const tags = ['Inbound e-mail'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const inboundRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  const viewerOf = (request: FastifyRequest) => loadViewer(ctx.db, requireUser(request));

  app.get(
    '/admin/inbound',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listInboundMessages',
        tags,
        summary: 'The inbound log: every e-mail received, newest first — what it became (the request), or why it was ignored, refused, held or failed',
        querystring: inboundListQuerySchema,
        response: { 200: pageOf(inboundMessageSchema), ...errors },
      },
    },
    async (request) => listInbound(ctx.db, request.query),
  );

  app.get(
    '/admin/inbound/:id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getInboundMessage',
        tags,
        summary: 'One received e-mail, with its whole text and the headers that decided matching and loop detection',
        params: uuidParamsSchema,
        response: { 200: inboundMessageDetailSchema, ...errors },
      },
    },
    async (request) => getInboundMessage(ctx.db, ctx.config.dataDir, request.params.id),
  );

  app.get(
    '/admin/inbound/:id/raw',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getInboundMessageRaw',
        tags,
        summary: 'The e-mail as received (message/rfc822, an .eml file)',
        params: uuidParamsSchema,
        produces: ['message/rfc822'],
        response: { 200: z.any().meta({ description: 'The MIME source' }), ...errors },
      },
    },
    async (request, reply) => {
      const raw = await getInboundRaw(ctx.db, ctx.config.dataDir, request.params.id);
      return reply
        .type('message/rfc822')
        .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
        .header('x-content-type-options', 'nosniff')
        .send(raw);
    },
  );

  app.post(
    '/admin/inbound/:id/reprocess',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'reprocessInboundMessage',
        tags,
        summary: 'Sends a failed, ignored, refused or dismissed e-mail through the pipeline again (the sender’s rate limit aside); audited',
        params: uuidParamsSchema,
        response: { 200: inboundMessageSchema, ...errors, 409: errorSchema },
      },
    },
    async (request) => reprocessInbound(ctx, { actorId: requireUser(request).id, id: request.params.id }),
  );

  app.get(
    '/inbound/triage',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'listTriageMessages',
        tags,
        summary:
          'E-mail to triage: mail held for an agent (an unknown sender at a desk’s address, or a request that could not be opened); agents see their desks’',
        querystring: triageListQuerySchema,
        response: { 200: pageOf(triageItemSchema), ...errors },
      },
    },
    async (request) => listTriage(ctx, await viewerOf(request), request.query),
  );

  app.post(
    '/inbound/triage/:id/open',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'openRequestFromTriage',
        tags,
        summary: 'Opens a request from a held e-mail, for the customer chosen (the usual rules of a request opened for a customer apply); audited',
        params: uuidParamsSchema,
        body: openFromTriageSchema,
        response: { 201: z.object({ key: z.string() }), ...errors, 409: errorSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await openFromTriage(ctx, await viewerOf(request), request.params.id, request.body)),
  );

  app.post(
    '/inbound/triage/:id/dismiss',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'dismissTriageMessage',
        tags,
        summary: 'Drops a held e-mail from the queue (kept in the inbound log as dismissed); audited',
        params: uuidParamsSchema,
        response: { 204: z.null(), ...errors, 409: errorSchema },
      },
    },
    async (request, reply) => {
      await dismissTriage(ctx, await viewerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/requests/:key/messages/:messageId/original',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getMessageOriginal',
        tags,
        summary: 'The e-mail a message came from, as written (quoted history and signature included); an internal note’s for Customer Services only',
        params: z.object({ key: ticketKeySchema, messageId: z.uuid() }),
        response: { 200: messageOriginalSchema, ...errors },
      },
    },
    async (request) => getMessageOriginal(ctx, await viewerOf(request), request.params.key, request.params.messageId),
  );
};
