import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { deskIdParamsSchema, escalationMatrixInputSchema, escalationMatrixSchema } from '#shared/sla-api.ts';
import { requireUser } from '../../http/access.ts';
import { getMatrices, getMatrix, setMatrix } from './escalation-matrix.ts';

const tags = ['Escalation matrix'];
const denied = { 401: errorSchema, 403: errorSchema };

/** The escalation matrix per desk: administered here, public on the portal, and used by the SLA escalations. */
export const escalationRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/escalation',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listEscalationMatrices',
        tags,
        summary: 'The escalation matrix of every active desk (the portal’s public page)',
        response: { 200: z.object({ items: z.array(escalationMatrixSchema) }) },
      },
    },
    async () => ({ items: await getMatrices(ctx.db) }),
  );

  app.get(
    '/admin/escalation/:deskId',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getEscalationMatrix',
        tags,
        summary: 'A desk’s escalation matrix',
        params: deskIdParamsSchema,
        response: { 200: escalationMatrixSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => getMatrix(ctx.db, request.params.deskId),
  );

  app.put(
    '/admin/escalation/:deskId',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'replaceEscalationMatrix',
        tags,
        summary: 'Replace a desk’s escalation matrix: levels 1–3, each with when to call and its contacts',
        params: deskIdParamsSchema,
        body: escalationMatrixInputSchema,
        response: { 200: escalationMatrixSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => setMatrix(ctx, { actorId: requireUser(request).id, deskId: request.params.deskId, input: request.body }),
  );
};
