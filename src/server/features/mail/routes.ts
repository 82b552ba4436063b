import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, outboxListQuerySchema, outboxMessageDetailSchema, outboxMessageSchema, pageOf, uuidParamsSchema } from '#shared/api.ts';
import { requireUser } from '../../http/access.ts';
import { getOutboxMessage, listOutbox } from './list-outbox.ts';
import { retryMail } from './retry-mail.ts';

const tags = ['Outbox'];

export const outboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin/outbox',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listOutboxMessages',
        tags,
        summary: 'Outgoing e-mail, newest first, with its plain-text part',
        querystring: outboxListQuerySchema,
        response: { 200: pageOf(outboxMessageSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listOutbox(app.ctx.db, request.query),
  );

  app.get(
    '/admin/outbox/:id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getOutboxMessage',
        tags,
        summary: 'One outgoing e-mail, with its HTML part',
        params: uuidParamsSchema,
        response: { 200: outboxMessageDetailSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => getOutboxMessage(app.ctx.db, request.params.id),
  );

  app.post(
    '/admin/outbox/:id/retry',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'retryOutboxMessage',
        tags,
        summary:
          'Sends a dead message (tries used up), or one held while no SMTP server was configured, with a full set of tries and the same Message-ID; audited',
        params: uuidParamsSchema,
        response: { 200: outboxMessageSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => retryMail(app.ctx, { actorId: requireUser(request).id, id: request.params.id }),
  );
};
