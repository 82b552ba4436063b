import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema } from '#shared/api.ts';
import { securitySettingsSchema, updateSecuritySettingsSchema } from '#shared/two-factor-api.ts';
import { requireUser } from '../../http/access.ts';
import { getSecuritySettings, updateSecuritySettings } from './security-settings.ts';

const tags = ['Security'];

/** The installation's security settings (two-factor authentication required for staff). */
export const securityRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  app.get(
    '/admin/security-settings',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'getSecuritySettings',
        summary: 'The security settings: whether agents and administrators must use two-factor authentication',
        response: { 200: securitySettingsSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async () => getSecuritySettings(ctx.db),
  );

  app.patch(
    '/admin/security-settings',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'updateSecuritySettings',
        summary: 'Require two-factor authentication of agents and administrators, or not (audited)',
        description:
          'Staff who have not enrolled can then use only what enrollment needs until they do; every other call answers 403 auth.two_factor_required.',
        body: updateSecuritySettingsSchema,
        response: { 200: securitySettingsSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => updateSecuritySettings(ctx, { actorId: requireUser(request).id, changes: request.body }),
  );
};
