import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  acceptInvitationResultSchema,
  acceptInvitationSchema,
  createInvitationSchema,
  errorSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenParamsSchema,
  listQuerySchema,
  pageOf,
} from '#shared/api.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { requireUser } from '../../http/access.ts';
import { acceptInvitation } from './accept-invitation.ts';
import { inviteUser } from './invite-user.ts';
import { listInvitations } from './list-invitations.ts';
import { previewInvitation } from './preview-invitation.ts';

const tags = ['Invitations'];

export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/admin/invitations',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        operationId: 'createInvitation',
        tags,
        summary: 'Invite someone by e-mail, as a customer of an organization or as staff',
        body: createInvitationSchema,
        response: { 201: invitationSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => inviteUser(app.ctx, { inviter: requireUser(request), input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.get(
    '/admin/invitations',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listInvitations',
        tags,
        summary: 'List invitations, newest first',
        querystring: listQuerySchema,
        response: { 200: pageOf(invitationSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => listInvitations(app.ctx.db, request.query),
  );

  app.get(
    '/invitations/:token',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getInvitation',
        tags,
        summary: 'What an invitation link offers, before it is accepted',
        params: invitationTokenParamsSchema,
        response: { 200: invitationPreviewSchema, 400: errorSchema, 404: errorSchema, 410: errorSchema },
      },
    },
    async (request) => previewInvitation(app.ctx, request.params.token),
  );

  app.post(
    '/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'acceptInvitation',
        tags,
        summary: 'Accept an invitation: choose a name and a password, then log in',
        body: acceptInvitationSchema,
        response: { 200: acceptInvitationResultSchema, 400: errorSchema, 404: errorSchema, 410: errorSchema },
      },
    },
    async (request) => acceptInvitation(app.ctx, request.body),
  );
};
