import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, meSchema, updateProfileSchema } from '#shared/api.ts';
import { requireUser } from '../../http/access.ts';
import { getMe, updateProfile } from './update-profile.ts';

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me',
    {
      config: { access: 'user', twoFactorEnrollment: true },
      schema: {
        operationId: 'getMe',
        tags: ['Accounts'],
        summary: 'The logged-in user, their role, language, organization and the time zone times are shown in',
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    async (request) => getMe(app.ctx.db, requireUser(request).id),
  );

  app.patch(
    '/me',
    {
      config: { access: 'user', twoFactorEnrollment: true },
      schema: {
        operationId: 'updateMe',
        tags: ['Accounts'],
        summary: 'Change my name, language or time zone (null: the business calendar’s)',
        body: updateProfileSchema,
        response: { 200: meSchema, 400: errorSchema, 401: errorSchema },
      },
    },
    async (request) => updateProfile(app.ctx.db, requireUser(request).id, request.body, app.ctx.clock),
  );
};
