import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createOrganizationSchema,
  errorSchema,
  organizationListQuerySchema,
  organizationSchema,
  pageOf,
  updateOrganizationSchema,
  uuidParamsSchema,
} from '#shared/api.ts';
import { requireUser } from '../../http/access.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { createOrganization } from './create-organization.ts';
import { findOrganizations, getOrganization, listOrganizations } from './list-organizations.ts';
import { z } from 'zod';
import { organizationRefSchema } from '#shared/api.ts';
import { updateOrganization } from './update-organization.ts';

const tags = ['Organizations'];
const denied = { 401: errorSchema, 403: errorSchema };

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin/organizations',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'List organizations, newest first, with the storage their uploads take and their quota; q searches names and domains',
        querystring: organizationListQuerySchema,
        response: { 200: pageOf(organizationSchema), 400: errorSchema, ...denied },
      },
    },
    async (request) => listOrganizations(app.ctx.db, request.query, app.ctx.config),
  );

  app.get(
    '/admin/organizations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'One organization with its domains, the storage its uploads take and its quota',
        params: uuidParamsSchema,
        response: { 200: organizationSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => getOrganization(app.ctx.db, request.params.id, app.ctx.config),
  );

  app.post(
    '/admin/organizations',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Create an organization with its e-mail domains',
        body: createOrganizationSchema,
        response: { 201: organizationSchema, 400: errorSchema, ...denied, 409: errorSchema },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => createOrganization(app.ctx, { actorId: requireUser(request).id, input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.patch(
    '/admin/organizations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Rename an organization, replace its set of domains, or set its storage quota (MiB; null: ORG_STORAGE_QUOTA_MB)',
        params: uuidParamsSchema,
        body: updateOrganizationSchema,
        response: { 200: organizationSchema, 400: errorSchema, ...denied, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => updateOrganization(app.ctx, { actorId: requireUser(request).id, organizationId: request.params.id, changes: request.body }),
  );

  app.get(
    '/organizations',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Organizations by name (agents choosing a customer); at most `limit`, alphabetical',
        querystring: z.strictObject({ q: z.string().trim().max(200).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: { 200: z.object({ items: z.array(organizationRefSchema) }), 400: errorSchema, ...denied },
      },
    },
    async (request) => ({ items: await findOrganizations(app.ctx.db, request.query) }),
  );
};
