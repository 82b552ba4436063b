import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, pageOf, updateUserSchema, userListQuerySchema, userParamsSchema, userSummarySchema } from '#shared/api.ts';
import { requireUser } from '../../http/access.ts';
import { listUsers } from './list-users.ts';
import { updateUser } from './update-user.ts';

const tags = ['Users'];

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin/users',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'List users, newest first; q searches names and e-mail addresses',
        querystring: userListQuerySchema,
        response: { 200: pageOf(userSummarySchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listUsers(app.ctx.db, request.query),
  );

  app.patch(
    '/admin/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'updateUser',
        tags,
        summary: "Change a user's role or organization, deactivate or reactivate them",
        params: userParamsSchema,
        body: updateUserSchema,
        response: { 200: userSummarySchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => updateUser(app.ctx, { actorId: requireUser(request).id, userId: request.params.id, changes: request.body }),
  );
};
