import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, uuidParamsSchema } from '#shared/api.ts';
import {
  createDeskSchema,
  createRequestTypeSchema,
  deskSchema,
  portalCatalogQuerySchema,
  portalCatalogSchema,
  requestTypeListQuerySchema,
  requestTypeSchema,
  setDeskMembersSchema,
  updateDeskSchema,
  updateRequestTypeSchema,
} from '#shared/catalog-api.ts';
import { requireUser } from '../../http/access.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { createDesk } from './create-desk.ts';
import { createRequestType } from './create-request-type.ts';
import { getPortalCatalog } from './get-portal-catalog.ts';
import { listStaffDesks } from './list-staff-desks.ts';
import { staffDesksSchema } from '#shared/catalog-api.ts';
import { listDesks } from './list-desks.ts';
import { listRequestTypes } from './list-request-types.ts';
import { setDeskMembers } from './set-desk-members.ts';
import { updateDesk } from './update-desk.ts';
import { updateRequestType } from './update-request-type.ts';

const denied = { 401: errorSchema, 403: errorSchema };
const admin = { access: 'admin' } as const;

/** Desks, request types, projects, Flex contracts and the organization settings they depend on; and the portal's view of them. */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  /* ---- Desks ---- */
  const desks = ['Desks'];
  app.get(
    '/admin/desks',
    {
      config: admin,
      schema: {
        operationId: 'listDesks',
        tags: desks,
        summary: 'Every desk, active or not, in portal order, with its members',
        response: { 200: z.array(deskSchema), ...denied },
      },
    },
    async () => listDesks(ctx.db),
  );

  app.post(
    '/admin/desks',
    {
      config: { ...admin, idempotent: true },
      schema: {
        operationId: 'createDesk',
        tags: desks,
        summary: 'Create a desk; its key prefix (SUP → SUP-1) is fixed for good',
        body: createDeskSchema,
        response: { 201: deskSchema, 400: errorSchema, ...denied, 409: errorSchema },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => createDesk(ctx, { actorId: requireUser(request).id, input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.patch(
    '/admin/desks/:id',
    {
      config: admin,
      schema: {
        operationId: 'updateDesk',
        tags: desks,
        summary: 'Rename, describe, reorder, (de)activate a desk or change its slug; the key prefix cannot change',
        params: uuidParamsSchema,
        body: updateDeskSchema,
        response: { 200: deskSchema, 400: errorSchema, ...denied, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => updateDesk(ctx, { actorId: requireUser(request).id, deskId: request.params.id, changes: request.body }),
  );

  app.put(
    '/admin/desks/:id/members',
    {
      config: admin,
      schema: {
        operationId: 'replaceDeskMembers',
        tags: desks,
        summary: 'Replace the agents of a desk (active agents and administrators only)',
        params: uuidParamsSchema,
        body: setDeskMembersSchema,
        response: { 200: deskSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => setDeskMembers(ctx, { actorId: requireUser(request).id, deskId: request.params.id, userIds: request.body.userIds }),
  );

  /* ---- Request types ---- */
  const types = ['Request types'];
  app.get(
    '/admin/request-types',
    {
      config: admin,
      schema: {
        operationId: 'listRequestTypes',
        tags: types,
        summary: 'Request types, active or not, desk by desk in portal order; deskId keeps one desk',
        querystring: requestTypeListQuerySchema,
        response: { 200: z.array(requestTypeSchema), 400: errorSchema, ...denied },
      },
    },
    async (request) => listRequestTypes(ctx.db, request.query),
  );

  app.post(
    '/admin/request-types',
    {
      config: { ...admin, idempotent: true },
      schema: {
        operationId: 'createRequestType',
        tags: types,
        summary: 'Create a request type on a desk; its slug is unique within the desk',
        body: createRequestTypeSchema,
        response: { 201: requestTypeSchema, 400: errorSchema, ...denied, 409: errorSchema },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => createRequestType(ctx, { actorId: requireUser(request).id, input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.patch(
    '/admin/request-types/:id',
    {
      config: admin,
      schema: {
        operationId: 'updateRequestType',
        tags: types,
        summary: 'Change a request type: texts, SLA, what it requires, order, (de)activation',
        params: uuidParamsSchema,
        body: updateRequestTypeSchema,
        response: { 200: requestTypeSchema, 400: errorSchema, ...denied, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => updateRequestType(ctx, { actorId: requireUser(request).id, requestTypeId: request.params.id, changes: request.body }),
  );

  /* ---- Portal ---- */
  app.get(
    '/catalog',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getCatalog',
        tags: ['Catalogue'],
        summary:
          "The desks, request types and projects open to an organization today, in the caller's language. " +
          'Customers get their own organization; agents and administrators must name one.',
        querystring: portalCatalogQuerySchema,
        response: { 200: portalCatalogSchema, 400: errorSchema, ...denied },
      },
    },
    async (request) => getPortalCatalog(ctx, { viewer: requireUser(request), organizationId: request.query.organizationId }),
  );

  app.get(
    '/desks',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'listActiveDesks',
        tags: ['Catalogue'],
        summary: 'Active desks with their request types and agents, for the agent workspace',
        response: { 200: staffDesksSchema, ...denied },
      },
    },
    async (request) => listStaffDesks(ctx.db, requireUser(request)),
  );
};
