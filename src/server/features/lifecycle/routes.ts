import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { deskLifecycleRulesSchema, deskParamsSchema, lifecycleRulesInputSchema, openFollowUpSchema, requestLifecycleSchema } from '#shared/lifecycle-api.ts';
import { createdTicketSchema, ticketKeyParamsSchema } from '#shared/tickets-api.ts';
import { requireUser } from '../../http/access.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { ticketLocation } from '../tickets/routes.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { getLifecycle } from './get-lifecycle.ts';
import { openFollowUp } from './open-follow-up.ts';
import { listRules } from './rules.ts';
import { updateRules } from './update-rules.ts';

const tags = ['Automatic closure'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** Closure rules per desk (administrators), the countdown shown on a request, and follow-up requests (DESIGN.md §2). */
export const lifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/admin/lifecycle/rules',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listLifecycleRules',
        tags,
        summary: 'Reminder, automatic resolution and closure delays of every desk (defaults where not set)',
        response: { 200: z.array(deskLifecycleRulesSchema), 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listRules(ctx.db, requireUser(request).language),
  );

  app.put(
    '/admin/lifecycle/rules/:deskId',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'setLifecycleRules',
        tags,
        summary:
          'Set the delays of a desk: reminders and automatic resolution in business days of waiting, closure in calendar days after resolution; running countdowns follow',
        params: deskParamsSchema,
        body: lifecycleRulesInputSchema,
        response: { 200: deskLifecycleRulesSchema, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return updateRules(ctx, { id: user.id, language: user.language }, request.params.deskId, request.body);
    },
  );

  app.get(
    '/requests/:key/lifecycle',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getRequestLifecycle',
        tags,
        summary: 'The next automatic step of a request and when it happens, its closure, follow-up link and satisfaction survey',
        params: ticketKeyParamsSchema,
        response: { 200: requestLifecycleSchema, ...errors },
      },
    },
    async (request) => getLifecycle(ctx.db, await loadViewer(ctx.db, requireUser(request)), request.params.key),
  );

  app.post(
    '/requests/:key/follow-up',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        operationId: 'createFollowUpRequest',
        tags,
        summary: 'Open a follow-up request of a closed request: same type and project, linked to it',
        params: ticketKeyParamsSchema,
        body: openFollowUpSchema,
        response: { 201: createdTicketSchema, ...errors },
      },
    },
    async (request, reply) => {
      const viewer = await loadViewer(ctx.db, requireUser(request));
      return answerCreation(
        request,
        reply,
        (onCreated) => openFollowUp(ctx, viewer, request.params.key, request.body, { onCreated }),
        (created) => ({ status: 201, headers: { location: ticketLocation(created.key) }, body: created }),
      );
    },
  );
};
