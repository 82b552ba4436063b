import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, uuidParamsSchema } from '#shared/api.ts';
import { jsmImportCreateSchema, jsmImportMappingUpdateSchema, jsmImportSchema, jsmImportStartSchema } from '#shared/jsm-import-api.ts';
import { requireUser } from '../../http/access.ts';
import { createImport, getImport, listImports, pauseImport, resumeImport, startImport, updateMapping } from './jsm-imports.ts';

const tags = ['JSM import'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export const jsmImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/admin/jsm-imports',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'listJsmImports',
        summary: 'The imports from Jira Service Management, newest first (at most 50)',
        response: { 200: z.array(jsmImportSchema), ...errors },
      },
    },
    async () => listImports(ctx),
  );

  app.post(
    '/admin/jsm-imports',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'createJsmImport',
        summary: 'Connects to a JSM Cloud site and proposes a mapping of its service desks, request types, priorities, statuses and SLAs; audited',
        body: jsmImportCreateSchema,
        response: { 201: jsmImportSchema, 502: errorSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createImport(ctx, requireUser(request).id, request.body)),
  );

  app.get(
    '/admin/jsm-imports/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'getJsmImport',
        summary: 'One import: its mapping, progress and report',
        params: uuidParamsSchema,
        response: { 200: jsmImportSchema, ...errors },
      },
    },
    async (request) => getImport(ctx, request.params.id),
  );

  app.put(
    '/admin/jsm-imports/:id/mapping',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'updateJsmImportMapping',
        summary: 'Replaces the mapping of an import that is not running (the edited mapping file); lists what it leaves unmapped; audited',
        params: uuidParamsSchema,
        body: jsmImportMappingUpdateSchema,
        response: { 200: jsmImportSchema, ...errors },
      },
    },
    async (request) => updateMapping(ctx, requireUser(request).id, request.params.id, request.body.mapping),
  );

  app.post(
    '/admin/jsm-imports/:id/start',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'startJsmImport',
        summary: 'Starts the import from the beginning (again: updates and adds, never duplicates), or a dry run; refused while anything is unmapped; audited',
        params: uuidParamsSchema,
        body: jsmImportStartSchema,
        response: { 202: jsmImportSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await startImport(ctx, requireUser(request).id, request.params.id, request.body)),
  );

  app.post(
    '/admin/jsm-imports/:id/pause',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'pauseJsmImport',
        summary: 'Pauses a running import after the request in hand; audited',
        params: uuidParamsSchema,
        response: { 200: jsmImportSchema, ...errors },
      },
    },
    async (request) => pauseImport(ctx, requireUser(request).id, request.params.id),
  );

  app.post(
    '/admin/jsm-imports/:id/resume',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        operationId: 'resumeJsmImport',
        summary: 'Resumes a paused or failed import where it stopped; audited',
        params: uuidParamsSchema,
        response: { 202: jsmImportSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await resumeImport(ctx, requireUser(request).id, request.params.id)),
  );
};
