import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, pageOf, userParamsSchema } from '#shared/api.ts';
import {
  apiTokenListQuerySchema,
  apiTokenSchema,
  createApiTokenSchema,
  createdApiTokenSchema,
  createServiceUserSchema,
  serviceUserSchema,
} from '#shared/api-tokens-api.ts';
import { requireUser } from '../../http/access.ts';
import { createApiToken } from './create-api-token.ts';
import { createServiceUser } from './create-service-user.ts';
import { listApiTokens } from './list-api-tokens.ts';
import { listServiceUsers } from './list-service-users.ts';
import { revokeApiToken } from './revoke-api-token.ts';

const tags = ['API tokens'];
const tokenParamsSchema = z.object({ id: z.uuid() });
const myListQuerySchema = apiTokenListQuerySchema.omit({ ownerId: true, kind: true });
const SECRET_ONCE = 'The answer carries the token’s secret, shown this once: only its SHA-256 is kept. ';
const NO_TOKENS = 'Needs a signed-in session: an API token cannot manage tokens (403 `auth.token_not_allowed`).';

/**
 * API tokens: every user manages their own; administrators create service accounts and their
 * tokens, and see and revoke every token. No route here accepts a token (`apiTokens: false`).
 */
export const apiTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;

  app.get(
    '/me/api-tokens',
    {
      config: { access: 'user', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'listMyApiTokens',
        summary: 'List my API tokens, newest first',
        description: NO_TOKENS,
        querystring: myListQuerySchema,
        response: { 200: pageOf(apiTokenSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listApiTokens(db, clock.now(), { ...request.query, ownerId: requireUser(request).id }),
  );

  app.post(
    '/me/api-tokens',
    {
      config: { access: 'user', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'createMyApiToken',
        summary: 'Create a personal API token',
        description: `${SECRET_ONCE}The token acts with my rights as they are when it is used, never more; the admin scope is for administrators. ${NO_TOKENS}`,
        body: createApiTokenSchema,
        response: { 201: createdApiTokenSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      const created = await createApiToken(app.ctx, { actorId: me.id, ownerId: me.id, kind: 'personal', input: request.body });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/me/api-tokens/:id',
    {
      config: { access: 'user', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'revokeMyApiToken',
        summary: 'Revoke one of my API tokens',
        description: `Its next use is refused (401 \`auth.token_revoked\`); revoking twice changes nothing. ${NO_TOKENS}`,
        params: tokenParamsSchema,
        response: { 200: apiTokenSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const me = requireUser(request);
      return revokeApiToken(app.ctx, { actorId: me.id, tokenId: request.params.id, ownerId: me.id });
    },
  );

  app.get(
    '/admin/api-tokens',
    {
      config: { access: 'admin', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'listApiTokens',
        summary: 'List every API token, personal and service, newest first',
        description: NO_TOKENS,
        querystring: apiTokenListQuerySchema,
        response: { 200: pageOf(apiTokenSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listApiTokens(db, clock.now(), request.query),
  );

  app.delete(
    '/admin/api-tokens/:id',
    {
      config: { access: 'admin', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'revokeApiToken',
        summary: 'Revoke any API token',
        description: NO_TOKENS,
        params: tokenParamsSchema,
        response: { 200: apiTokenSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => revokeApiToken(app.ctx, { actorId: requireUser(request).id, tokenId: request.params.id }),
  );

  app.get(
    '/admin/service-users',
    {
      config: { access: 'admin', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'listServiceUsers',
        summary: 'List the service accounts (integrations acting through their tokens)',
        description: NO_TOKENS,
        response: { 200: z.object({ items: z.array(serviceUserSchema) }), 401: errorSchema, 403: errorSchema },
      },
    },
    async () => ({ items: await listServiceUsers(db, clock.now()) }),
  );

  app.post(
    '/admin/service-users',
    {
      config: { access: 'admin', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'createServiceUser',
        summary: 'Create a service account, agent or administrator',
        description: `A service account cannot sign in: it acts only through its API tokens, with its role’s rights. It is deactivated like any user (PATCH /admin/users/{id}). ${NO_TOKENS}`,
        body: createServiceUserSchema,
        response: { 201: serviceUserSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createServiceUser(app.ctx, { actorId: requireUser(request).id, input: request.body })),
  );

  app.post(
    '/admin/service-users/:id/api-tokens',
    {
      config: { access: 'admin', apiTokens: false },
      schema: {
        tags,
        // Signed-in sessions only: these operations refuse API tokens.
        operationId: 'createServiceApiToken',
        summary: 'Create an API token for a service account',
        description: `${SECRET_ONCE}The admin scope only for an administrator service account. ${NO_TOKENS}`,
        params: userParamsSchema,
        body: createApiTokenSchema,
        response: { 201: createdApiTokenSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(app.ctx, {
        actorId: requireUser(request).id,
        ownerId: request.params.id,
        kind: 'service',
        input: request.body,
      });
      return reply.status(201).send(created);
    },
  );
};
