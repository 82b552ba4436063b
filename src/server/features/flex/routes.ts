import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorSchema, uuidParamsSchema } from '#shared/api.ts';
import {
  billingRunInputSchema,
  billingRunSchema,
  createPurchaseSchema,
  createTimeEntrySchema,
  exportQuerySchema,
  flexSummarySchema,
  ledgerEntrySchema,
  orgParamsSchema,
  periodQuerySchema,
  purchaseSchema,
  reverseTimeEntrySchema,
  statementSchema,
  timeEntriesSchema,
  timeEntrySchema,
  updateTimeEntrySchema,
} from '#shared/flex-api.ts';
import { ticketKeyParamsSchema } from '#shared/tickets-api.ts';
import { desc } from 'drizzle-orm';
import { billingRun } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import { requireUser } from '../../http/access.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { businessToday } from '../calendar/business-day.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { addPurchase } from './add-purchase.ts';
import { flexSummary } from './balance.ts';
import { listBalances } from './list-balances.ts';
import { assertMayReadFlex } from './policy.ts';
import { reverseTimeEntry } from './reverse-time-entry.ts';
import { presentRun, runBilling } from './run-billing.ts';
import { getStatement, invoicingCsv, listPurchases, statementCsv } from './statement.ts';
import { correctTimeEntry, deleteTimeEntry, listTimeEntries, logTime } from './time-entries.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const csv = { 200: z.string().describe('CSV (UTF-8, comma-separated, quoted)'), 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

function checkPeriod(from: string | undefined, to: string | undefined) {
  if (from && to && to < from) throw badRequest('billing.period_inverted', 'The period cannot end before it starts.', 'to');
}

/** Flex balances, statements, contracts, purchases, time logging and billing runs (DESIGN.md §2 "Flex"); consulting project pages. */
export const flexRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  const viewerOf = (request: FastifyRequest) => loadViewer(ctx.db, requireUser(request));
  const today = () => businessToday(ctx.db, ctx.clock);
  const tags = ['Flex'];

  /* ---- Balance and statement: the organization's customers, and staff ---- */
  app.get(
    '/flex/organizations/:id',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getFlexBalance',
        tags,
        summary: 'An organization’s Flex balance (billed), the logged-but-unbilled time beside it, and its threshold',
        params: orgParamsSchema,
        response: { 200: flexSummarySchema, ...errors },
      },
    },
    async (request) => {
      assertMayReadFlex(requireUser(request), request.params.id);
      return flexSummary(ctx.db, request.params.id, await today());
    },
  );

  app.get(
    '/flex/organizations/:id/statement',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getFlexStatement',
        tags,
        summary: 'The statement of a period: purchases, ledger entries (charges and reversals per request), consumption per month and per request',
        params: orgParamsSchema,
        querystring: periodQuerySchema,
        response: { 200: statementSchema, ...errors },
      },
    },
    async (request) => {
      assertMayReadFlex(requireUser(request), request.params.id);
      checkPeriod(request.query.from, request.query.to);
      return getStatement(ctx.db, await viewerOf(request), request.params.id, request.query, await today());
    },
  );

  app.get(
    '/flex/organizations/:id/statement.csv',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getFlexStatementCsv',
        tags,
        summary: 'The statement as CSV, with the balance after each line',
        params: orgParamsSchema,
        querystring: periodQuerySchema,
        response: csv,
      },
    },
    async (request, reply) => {
      assertMayReadFlex(requireUser(request), request.params.id);
      checkPeriod(request.query.from, request.query.to);
      const body = await statementCsv(ctx.db, await viewerOf(request), request.params.id, request.query, await today());
      const name = `flex-statement-${request.query.from ?? 'start'}-${request.query.to ?? (await today())}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);
    },
  );

  app.get(
    '/flex/organizations/:id/purchases',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'listFlexPurchases',
        tags,
        summary: 'Hours bought by the organization, newest first',
        params: orgParamsSchema,
        response: { 200: z.array(purchaseSchema), ...errors },
      },
    },
    async (request) => {
      assertMayReadFlex(requireUser(request), request.params.id);
      return listPurchases(ctx.db, request.params.id);
    },
  );

  /* ---- Staff: every organization, invoicing export ---- */
  app.get(
    '/staff/flex/balances',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'listFlexBalances',
        tags,
        summary: 'Every organization with a Flex contract, purchases or contract settings, with its balance',
        response: { 200: z.array(flexSummarySchema), ...errors },
      },
    },
    async () => listBalances(ctx.db, await today()),
  );

  app.get(
    '/staff/flex/export.csv',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'exportFlexTimeEntriesCsv',
        tags,
        summary: 'For invoicing: every billed or reversed time entry posted in the period, for one organization or all, as CSV',
        querystring: exportQuerySchema,
        response: csv,
      },
    },
    async (request, reply) => {
      checkPeriod(request.query.from, request.query.to);
      const body = await invoicingCsv(ctx.db, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="flex-invoicing-${request.query.from}-${request.query.to}.csv"`)
        .send(body);
    },
  );

  /* ---- Time logging ---- */
  const timeTags = ['Time logging'];
  app.get(
    '/requests/:key/time-entries',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'listTimeEntries',
        tags: timeTags,
        summary: 'The time logged on a request the caller may see',
        params: ticketKeyParamsSchema,
        response: { 200: timeEntriesSchema, ...errors },
      },
    },
    async (request) => listTimeEntries(ctx.db, await viewerOf(request), request.params.key),
  );

  app.post(
    '/requests/:key/time-entries',
    {
      config: { access: 'staff', idempotent: true },
      schema: {
        operationId: 'createTimeEntry',
        tags: timeTags,
        summary: 'Log time on a request: whole minutes, the day (not in the future), a description, billable or not',
        params: ticketKeyParamsSchema,
        body: createTimeEntrySchema,
        response: { 201: timeEntrySchema, ...errors },
      },
    },
    async (request, reply) => {
      const viewer = await viewerOf(request);
      return answerCreation(
        request,
        reply,
        (onCreated) => logTime(ctx, viewer, request.params.key, request.body, { onCreated }),
        (entry) => ({ status: 201, body: entry }),
      );
    },
  );

  app.patch(
    '/time-entries/:id',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'updateTimeEntry',
        tags: timeTags,
        summary: 'Correct one’s own time entry while it is not billed',
        params: uuidParamsSchema,
        body: updateTimeEntrySchema,
        response: { 200: timeEntrySchema, ...errors },
      },
    },
    async (request) => correctTimeEntry(ctx, await viewerOf(request), request.params.id, request.body),
  );

  app.delete(
    '/time-entries/:id',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'deleteTimeEntry',
        tags: timeTags,
        summary: 'Delete one’s own time entry while it is not billed',
        params: uuidParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteTimeEntry(ctx, await viewerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  /* ---- Administration: contract, purchases, billing, reversals ---- */
  app.post(
    '/admin/organizations/:id/flex-purchases',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        operationId: 'createFlexPurchase',
        tags,
        summary: 'Record hours bought (whole hours, at least one); they add to the balance and never expire',
        params: orgParamsSchema,
        body: createPurchaseSchema,
        response: { 201: purchaseSchema, ...errors },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => addPurchase(ctx, { actorId: requireUser(request).id, organizationId: request.params.id, input: request.body, onCreated }),
        (purchase) => ({ status: 201, body: purchase }),
      ),
  );

  app.post(
    '/admin/flex/billing-runs',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        operationId: 'createBillingRun',
        tags,
        summary:
          'Bill now: every billable, unbilled time entry on Solva Flex requests logged up to the end of the period (ended, not inverted), for one organization or all',
        body: billingRunInputSchema,
        response: { 201: billingRunSchema, ...errors },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => runBilling(ctx, { ...request.body, trigger: 'admin', actorId: requireUser(request).id, onCreated }),
        (run) => ({ status: 201, body: run }),
      ),
  );

  app.get(
    '/admin/flex/billing-runs',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listBillingRuns',
        tags,
        summary: 'The last 50 billing runs, newest first',
        response: { 200: z.array(billingRunSchema), ...errors },
      },
    },
    async () => (await ctx.db.select().from(billingRun).orderBy(desc(billingRun.ranAt), desc(billingRun.id)).limit(50)).map(presentRun),
  );

  app.post(
    '/admin/time-entries/:id/reversal',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'reverseTimeEntry',
        tags: timeTags,
        summary:
          'Reverse a billed time entry: its minutes go back to the balance through a reversing ledger entry; `reason` stays with Customer Services, the optional `customerNote` is what the customer reads',
        params: uuidParamsSchema,
        body: reverseTimeEntrySchema,
        response: { 201: ledgerEntrySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await reverseTimeEntry(ctx, {
          actorId: requireUser(request).id,
          timeEntryId: request.params.id,
          reason: request.body.reason,
          customerNote: request.body.customerNote,
        }),
      ),
  );
};
