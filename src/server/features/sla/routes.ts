import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { slaPolicyParamsSchema, slaPolicySchema, slaPreviewRequestSchema, slaPreviewSchema, updateSlaPolicySchema } from '#shared/sla-api.ts';
import { slaReportQuerySchema, slaReportSchema } from '#shared/sla-report-api.ts';
import { CRITICALITY_LABELS } from '#shared/tickets.ts';
import { requireUser } from '../../http/access.ts';
import { getSlaReport, slaReportCsv } from './sla-report.ts';
import { previewDeadlines } from './preview-deadlines.ts';
import { listPolicies, updatePolicy } from './update-policy.ts';

const tags = ['SLA'];
const admin = { access: 'admin' } as const;
const denied = { 401: errorSchema, 403: errorSchema };

/** The business calendar, the SLA policies and the deadline preview, for administrators (DESIGN.md §2). */
export const slaRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/admin/sla/policies',
    {
      config: admin,
      schema: {
        operationId: 'listSlaPolicies',
        tags,
        summary: 'Targets per request type and criticality (business minutes), with earlier versions',
        response: { 200: z.array(slaPolicySchema), ...denied },
      },
    },
    async (request) => listPolicies(ctx.db, requireUser(request).language),
  );

  app.put(
    '/admin/sla/policies/:requestTypeId',
    {
      config: admin,
      schema: {
        operationId: 'setSlaPolicy',
        tags,
        summary: 'New targets for a request type: a new policy version for requests created from now on',
        params: slaPolicyParamsSchema,
        body: updateSlaPolicySchema,
        response: { 200: slaPolicySchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return updatePolicy(ctx, { actorId: user.id, language: user.language, requestTypeId: request.params.requestTypeId, targets: request.body.targets });
    },
  );

  app.get(
    '/admin/sla/report',
    {
      config: admin,
      schema: {
        operationId: 'getSlaReport',
        tags,
        summary: 'Met and breached clocks per month (calendar time zone), desk and criticality, with the average business time to engagement and resolution',
        querystring: slaReportQuerySchema,
        response: { 200: slaReportSchema, 400: errorSchema, ...denied },
      },
    },
    async (request) => getSlaReport(ctx, request.query, requireUser(request).language),
  );

  app.get(
    '/admin/sla/report.csv',
    {
      config: admin,
      schema: {
        operationId: 'getSlaReportCsv',
        tags,
        summary: 'The SLA report as a CSV file for Excel (UTF-8 with BOM, header row in the administrator’s language)',
        querystring: slaReportQuerySchema,
        response: { 200: z.any().describe('text/csv'), 400: errorSchema, ...denied },
      },
    },
    async (request, reply) => {
      const { language } = requireUser(request);
      const report = await getSlaReport(ctx, request.query, language);
      const csv = slaReportCsv(report, language, (c) => CRITICALITY_LABELS[c][language]);
      const name = `sla-report-${report.from}-${report.to}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(csv, 'utf8'));
    },
  );

  app.post(
    '/admin/sla/preview',
    {
      config: admin,
      schema: {
        operationId: 'previewSlaDeadlines',
        tags,
        summary: 'The engagement and resolution deadlines the current policy and calendar give a request created at `start`',
        body: slaPreviewRequestSchema,
        response: { 200: slaPreviewSchema, 400: errorSchema, ...denied },
      },
    },
    async (request) => previewDeadlines(ctx.db, request.body),
  );
};
