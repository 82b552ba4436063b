import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, pageOf, uuidParamsSchema } from '#shared/api.ts';
import {
  addParticipantSchema,
  createMessageSchema,
  createSavedViewSchema,
  createTicketSchema,
  createdTicketSchema,
  memberSchema,
  membersQuerySchema,
  moveTicketSchema,
  movedAwaySchema,
  participantParamsSchema,
  qualifySchema,
  queueCountsQuerySchema,
  queueCountsSchema,
  savedViewSchema,
  ticketDetailSchema,
  ticketKeyParamsSchema,
  ticketListQuerySchema,
  ticketSummarySchema,
  transitionSchema,
  updateTicketSchema,
} from '#shared/tickets-api.ts';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { requireUser } from '../../http/access.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { addMessage } from './add-message.ts';
import { changeStatus } from './change-status.ts';
import { createTicket } from './create-ticket.ts';
import { getTicketSla } from '../sla/ticket-sla.ts';
import { getTicket } from './get-ticket.ts';
import { listTickets } from './list-tickets.ts';
import { addParticipant, listMembers, removeParticipant } from './participants.ts';
import { loadTicketFor, loadViewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { countQueues } from './queues.ts';
import { createSavedView, deleteSavedView, listSavedViews } from './saved-views.ts';
import { bulkUpdateResultSchema, bulkUpdateSchema } from '#shared/tickets-bulk-api.ts';
import { bulkUpdate } from './bulk-update.ts';
import { moveTicket, qualifyTicket, updateTicket } from './update-ticket.ts';
import { listStaffDesks } from '../catalog/list-staff-desks.ts';

const tags = ['Requests'];
/** Where a created request lives (the Location of its creation's answer). */
export const ticketLocation = (key: string) => `/api/requests/${encodeURIComponent(key)}`;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;
  const viewerOf = (request: FastifyRequest) => loadViewer(ctx.db, requireUser(request));
  /** Every change answers with the request as the caller now sees it (read in the change's transaction when given). */
  const detail = async (request: FastifyRequest, key: string, db: DbOrTx = ctx.db) => {
    const viewer = await loadViewer(db, requireUser(request));
    const access = await loadTicketFor(db, viewer, key);
    const ticket = await getTicket(db, viewer, access);
    return { ...ticket, sla: await getTicketSla(db, access.id, ctx.clock.now(), { staff: can(viewer, 'readInternal') }) };
  };

  app.get(
    '/requests',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'listRequests',
        tags,
        summary:
          'Requests the caller may see: mine (reported or taking part; for agents: assigned to me), my organization’s (customers), my desks’ (agents); ' +
          'staff filter by queue (SLA at risk and breached included), desk, request type, criticality, status, organization, assignee, created and updated ranges; sorted by last change, creation, criticality or next SLA deadline; ' +
          'staff rows carry both SLA clocks; ' +
          'full-text search with q (customers: what they may read), with highlighted snippets',
        querystring: ticketListQuerySchema,
        response: { 200: pageOf(ticketSummarySchema), ...errors },
      },
    },
    async (request) => listTickets(ctx.db, await viewerOf(request), request.query, ctx.clock.now()),
  );

  app.get(
    '/queues',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'countQueues',
        tags,
        summary: 'The workspace queues with their counts, over the caller’s desks (administrators: every desk) or one desk',
        querystring: queueCountsQuerySchema,
        response: { 200: queueCountsSchema, ...errors },
      },
    },
    async (request) => countQueues(ctx.db, await viewerOf(request), { deskId: request.query.deskId, now: ctx.clock.now() }),
  );

  app.get(
    '/views',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'listSavedViews',
        tags,
        summary: 'The caller’s saved views',
        response: { 200: z.object({ items: z.array(savedViewSchema) }), ...errors },
      },
    },
    async (request) => listSavedViews(ctx.db, requireUser(request).id),
  );

  app.post(
    '/views',
    {
      config: { access: 'staff', idempotent: true },
      schema: {
        operationId: 'createSavedView',
        tags,
        summary: 'Save a named view: the query string of the list’s filters',
        body: createSavedViewSchema,
        response: { 201: savedViewSchema, ...errors },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => createSavedView(ctx.db, requireUser(request).id, request.body, ctx.clock.now(), { onCreated }),
        (view) => ({ status: 201, body: view }),
      ),
  );

  app.delete(
    '/views/:id',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'deleteSavedView',
        tags,
        summary: 'Delete one of the caller’s saved views; answers with the views left',
        params: uuidParamsSchema,
        response: { 200: z.object({ items: z.array(savedViewSchema) }), ...errors },
      },
    },
    async (request) => {
      const userId = requireUser(request).id;
      await deleteSavedView(ctx.db, userId, request.params.id);
      return listSavedViews(ctx.db, userId);
    },
  );

  app.post(
    '/requests',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        operationId: 'createRequest',
        tags,
        summary: 'Open a request (agents: on a customer’s behalf, with reporterId)',
        description: 'Answers with the new request’s id and key, and its address in the Location header.',
        body: createTicketSchema,
        response: { 201: createdTicketSchema, ...errors },
      },
    },
    async (request, reply) => {
      const viewer = await viewerOf(request);
      return answerCreation(
        request,
        reply,
        (onCreated) => createTicket(ctx, viewer, request.body, { onCreated }),
        (created) => ({ status: 201, headers: { location: ticketLocation(created.key) }, body: created }),
      );
    },
  );

  app.post(
    '/requests/bulk',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'bulkUpdateRequests',
        tags,
        summary:
          'Assign, or change the status of, up to 100 requests: each as if changed one at a time (same rules and permissions), in its own transaction; answers each request’s result (ok, or the error code)',
        body: bulkUpdateSchema,
        response: { 200: bulkUpdateResultSchema, ...errors },
      },
    },
    async (request) => bulkUpdate(ctx, await viewerOf(request), request.body),
  );

  app.get(
    '/requests/:key',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getRequest',
        tags,
        summary: 'A request with its conversation, attachments, history and what the caller may do',
        params: ticketKeyParamsSchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => detail(request, request.params.key),
  );

  app.post(
    '/requests/:key/messages',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        operationId: 'createMessage',
        tags,
        summary: 'Reply publicly, or add an internal note (agents)',
        params: ticketKeyParamsSchema,
        body: createMessageSchema,
        response: { 201: ticketDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const viewer = await viewerOf(request);
      return answerCreation(
        request,
        reply,
        (onCreated) => addMessage(ctx, viewer, request.params.key, request.body, { onCreated }),
        async (_created, db) => ({ status: 201, body: await detail(request, request.params.key, db) }),
      );
    },
  );

  app.post(
    '/requests/:key/transitions',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'transitionRequest',
        tags,
        summary: 'Change the status (agents as DESIGN.md §2 allows; customers: cancel while open or qualified, confirm a resolution)',
        params: ticketKeyParamsSchema,
        body: transitionSchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => {
      await changeStatus(ctx, await viewerOf(request), request.params.key, request.body);
      return detail(request, request.params.key);
    },
  );

  app.post(
    '/requests/:key/qualify',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'qualifyRequest',
        tags,
        summary: 'Qualify: confirm the type, optionally change the criticality (lowering needs a reason, told to the customer)',
        params: ticketKeyParamsSchema,
        body: qualifySchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => {
      await qualifyTicket(ctx, await viewerOf(request), request.params.key, request.body);
      return detail(request, request.params.key);
    },
  );

  app.patch(
    '/requests/:key',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'updateRequest',
        tags,
        summary: 'Change criticality (with reason when lowered), assignee or request type',
        params: ticketKeyParamsSchema,
        body: updateTicketSchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => {
      await updateTicket(ctx, await viewerOf(request), request.params.key, request.body);
      return detail(request, request.params.key);
    },
  );

  app.post(
    '/requests/:key/move',
    {
      config: { access: 'staff' },
      schema: {
        operationId: 'moveRequest',
        tags,
        summary: 'Move the request to another desk; it keeps its key. Answers the request, or `visible: false` when it left the caller’s desks',
        params: ticketKeyParamsSchema,
        body: moveTicketSchema,
        response: { 200: z.union([ticketDetailSchema, movedAwaySchema]), ...errors },
      },
    },
    async (request) => {
      const viewer = await viewerOf(request);
      await moveTicket(ctx, viewer, request.params.key, request.body);
      try {
        return await getTicket(ctx.db, viewer, await loadTicketFor(ctx.db, viewer, request.params.key));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'ticket.not_found') throw error;
        const [target] = await listStaffDesks(ctx.db, viewer).then((r) => r.desks.filter((d) => d.id === request.body.deskId));
        return { key: request.params.key, visible: false as const, desk: { id: request.body.deskId, name: target?.name ?? '' } };
      }
    },
  );

  app.post(
    '/requests/:key/participants',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'addParticipant',
        tags,
        summary: 'Add a colleague of the same organization as participant',
        params: ticketKeyParamsSchema,
        body: addParticipantSchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => {
      await addParticipant(ctx, await viewerOf(request), request.params.key, request.body.userId);
      return detail(request, request.params.key);
    },
  );

  app.delete(
    '/requests/:key/participants/:userId',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'removeParticipant',
        tags,
        summary: 'Remove a participant (agents, the reporter, or the participant themself)',
        params: participantParamsSchema,
        response: { 200: ticketDetailSchema, ...errors },
      },
    },
    async (request) => {
      await removeParticipant(ctx, await viewerOf(request), request.params.key, request.params.userId);
      return detail(request, request.params.key);
    },
  );

  app.get(
    '/organization-members',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'listOrganizationMembers',
        tags,
        summary: 'Customers of an organization, to choose participants (customers: their own organization) or a reporter (agents: organizationId)',
        querystring: membersQuerySchema,
        response: { 200: z.object({ items: z.array(memberSchema) }), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const anyOrganization = can(user, 'readAllOrganizations');
      const organizationId = anyOrganization ? request.query.organizationId : user.organizationId;
      if (!organizationId) {
        throw anyOrganization
          ? new AppError(400, 'validation.invalid', 'organizationId: required', 'organizationId')
          : new AppError(403, 'organization.required', 'An administrator must attach your account to your organization first.');
      }
      return { items: await listMembers(ctx.db, organizationId) };
    },
  );
};
