import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntrySchema, auditListQuerySchema, errorSchema, pageOf } from '#shared/api.ts';
import { listAuditEntries } from './list-audit-entries.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin/audit',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listAuditEntries',
        tags: ['Audit log'],
        summary: 'The audit log of administrative changes, newest first, optionally for one target',
        querystring: auditListQuerySchema,
        response: { 200: pageOf(auditEntrySchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listAuditEntries(app.ctx.db, request.query),
  );
};
