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
import { createFlexWindowSchema, flexContractSchema, flexWindowParamsSchema, organizationSettingsSchema } from '#shared/catalog-api.ts';
import { contractSettingsSchema, orgParamsSchema, updateContractSettingsSchema } from '#shared/flex-api.ts';
import { businessToday } from '../calendar/business-day.ts';
import { addFlexWindow } from './add-flex-window.ts';
import { getContractSettings, updateContractSettings } from './contract-settings.ts';
import { getFlexContract } from './flex-contract.ts';
import { removeFlexWindow } from './remove-flex-window.ts';
import { updateOrganizationSettings } from './update-organization-settings.ts';

const tags = ['Organizations'];
const denied = { 401: errorSchema, 403: errorSchema };
const admin = { access: 'admin' } as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** Organizations, their settings and their contracts (the Flex contract's windows, the low-balance and maintenance settings). */
export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  app.get(
    '/admin/organizations',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listOrganizations',
        tags,
        summary: 'List organizations, newest first, with the storage their uploads take and their quota; q searches names and domains',
        querystring: organizationListQuerySchema,
        response: { 200: pageOf(organizationSchema), 400: errorSchema, ...denied },
      },
    },
    async (request) => listOrganizations(ctx.db, request.query, ctx.config),
  );

  app.get(
    '/admin/organizations/:id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getOrganization',
        tags,
        summary: 'One organization with its domains, the storage its uploads take and its quota',
        params: uuidParamsSchema,
        response: { 200: organizationSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => getOrganization(ctx.db, request.params.id, ctx.config),
  );

  app.post(
    '/admin/organizations',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        operationId: 'createOrganization',
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
        (onCreated) => createOrganization(ctx, { actorId: requireUser(request).id, input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.patch(
    '/admin/organizations/:id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'updateOrganization',
        tags,
        summary: 'Rename an organization, replace its set of domains, or set its storage quota (MiB; null: ORG_STORAGE_QUOTA_MB)',
        params: uuidParamsSchema,
        body: updateOrganizationSchema,
        response: { 200: organizationSchema, 400: errorSchema, ...denied, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => updateOrganization(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, changes: request.body }),
  );

  app.get(
    '/organizations',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'searchOrganizations',
        tags,
        summary: 'Organizations by name (agents choosing a customer); at most `limit`, alphabetical',
        querystring: z.strictObject({ q: z.string().trim().max(200).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: { 200: z.object({ items: z.array(organizationRefSchema) }), 400: errorSchema, ...denied },
      },
    },
    async (request) => ({ items: await findOrganizations(ctx.db, request.query) }),
  );

  /* ---- Contracts and settings: the Flex contract's validity windows ---- */
  const flex = ['Flex contract'];
  app.get(
    '/admin/organizations/:id/flex-contract',
    {
      config: admin,
      schema: {
        operationId: 'getFlexContract',
        tags: flex,
        summary: "An organization's Flex contract: its validity windows, and whether it is active today (in the business calendar's zone)",
        params: uuidParamsSchema,
        response: { 200: flexContractSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => getFlexContract(ctx.db, request.params.id, await businessToday(ctx.db, ctx.clock)),
  );

  app.post(
    '/admin/organizations/:id/flex-contract/windows',
    {
      config: { ...admin, idempotent: true },
      schema: {
        operationId: 'addFlexContractWindow',
        tags: flex,
        summary: 'Add a validity window (both days included) to the Flex contract; windows may not overlap',
        params: uuidParamsSchema,
        body: createFlexWindowSchema,
        response: { 201: flexContractSchema, 400: errorSchema, ...denied, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => addFlexWindow(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, input: request.body, onCreated }),
        (contract) => ({ status: 201, body: contract }),
      ),
  );

  app.delete(
    '/admin/organizations/:id/flex-contract/windows/:windowId',
    {
      config: admin,
      schema: {
        operationId: 'removeFlexContractWindow',
        tags: flex,
        summary: 'Remove a validity window from the Flex contract',
        params: flexWindowParamsSchema,
        response: { 200: flexContractSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => removeFlexWindow(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, windowId: request.params.windowId }),
  );

  app.patch(
    '/admin/organizations/:id/settings',
    {
      config: admin,
      schema: {
        operationId: 'updateOrganizationSettings',
        tags: ['Organizations'],
        summary:
          'Change the settings of an organization: ownRequestsOnly limits members to the requests they reported or take part in; twoFactorRequired makes them use two-factor authentication',
        params: uuidParamsSchema,
        body: organizationSettingsSchema,
        response: { 200: organizationSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => updateOrganizationSettings(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, settings: request.body }),
  );

  /* ---- Contract settings: low balance, zero-balance policy, maintenance ---- */
  app.get(
    '/admin/organizations/:id/contract',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getOrganizationContract',
        tags: ['Flex'],
        summary: 'The organization’s low-balance threshold, zero-balance policy and maintenance contract',
        params: orgParamsSchema,
        response: { 200: contractSettingsSchema, ...errors },
      },
    },
    async (request) => getContractSettings(ctx.db, request.params.id, await businessToday(ctx.db, ctx.clock)),
  );

  app.patch(
    '/admin/organizations/:id/contract',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'updateOrganizationContract',
        tags: ['Flex'],
        summary:
          'Change the low-balance threshold (minutes), the zero-balance policy (refuse or warn), the maintenance contract and whether Support requires it',
        params: orgParamsSchema,
        body: updateContractSettingsSchema,
        response: { 200: contractSettingsSchema, ...errors },
      },
    },
    async (request) => updateContractSettings(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, changes: request.body }),
  );
};
