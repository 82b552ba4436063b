import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema } from '#shared/api.ts';
import {
  createSsoProviderSchema,
  ssoLookupQuerySchema,
  ssoLookupSchema,
  ssoProviderListSchema,
  ssoProviderParamsSchema,
  ssoProviderSchema,
  updateSsoProviderSchema,
} from '#shared/sso-api.ts';
import { z } from 'zod';
import { requireUser } from '../../http/access.ts';
import { createSsoProvider, deleteSsoProvider, updateSsoProvider } from './configure-sso-provider.ts';
import { enabledProviderForEmail, getSsoProvider, listSsoProviders } from './list-sso-providers.ts';

const tags = ['Single sign-on'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/**
 * Identity providers, configured by administrators only (better-auth's own /sso/register is not
 * exposed, and refuses anyway): Guichet's routes write the table the plugin reads.
 */
export const ssoRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  const baseUrl = ctx.config.baseUrl;

  app.get(
    '/sso/lookup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'lookUpSingleSignOn',
        summary: "Whether an address's domain signs in through its identity provider (the sign-in page then offers no password)",
        querystring: ssoLookupQuerySchema,
        response: { 200: ssoLookupSchema, 400: errorSchema },
      },
    },
    async (request) => ({ sso: (await enabledProviderForEmail(ctx.db, request.query.email)) !== null }),
  );

  app.get(
    '/admin/sso-providers',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'listSsoProviders',
        summary: 'Identity providers, by domain; optionally those of one organization',
        querystring: z.strictObject({ organizationId: z.uuid().optional() }),
        response: { 200: ssoProviderListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listSsoProviders(ctx.db, baseUrl, request.query) }),
  );

  app.get(
    '/admin/sso-providers/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'getSsoProvider',
        summary: 'One identity provider (its client secret only by its last characters)',
        params: ssoProviderParamsSchema,
        response: { 200: ssoProviderSchema, ...errors },
      },
    },
    async (request) => getSsoProvider(ctx.db, baseUrl, request.params.id),
  );

  app.post(
    '/admin/sso-providers',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'createSsoProvider',
        summary: "Configure an identity provider (OpenID Connect or SAML 2.0) for an organization's domain, or for the staff's",
        body: createSsoProviderSchema,
        response: { 201: ssoProviderSchema, ...errors, 409: errorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createSsoProvider(ctx, { actorId: requireUser(request).id, input: request.body })),
  );

  app.patch(
    '/admin/sso-providers/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'updateSsoProvider',
        summary: 'Change an identity provider, or turn it on or off; the client secret is kept unless a new one is given',
        params: ssoProviderParamsSchema,
        body: updateSsoProviderSchema,
        response: { 200: ssoProviderSchema, ...errors, 409: errorSchema },
      },
    },
    async (request) => updateSsoProvider(ctx, { actorId: requireUser(request).id, id: request.params.id, changes: request.body }),
  );

  app.delete(
    '/admin/sso-providers/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'deleteSsoProvider',
        summary: 'Remove an identity provider; its users keep their accounts',
        params: ssoProviderParamsSchema,
        response: { 204: z.null().describe('Removed'), ...errors },
      },
    },
    async (request, reply) => {
      await deleteSsoProvider(ctx, { actorId: requireUser(request).id, id: request.params.id });
      return reply.status(204).send(null);
    },
  );
};
