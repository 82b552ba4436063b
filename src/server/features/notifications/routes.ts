import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, pageOf } from '#shared/api.ts';
import {
  emailPreferencesSchema,
  markReadResultSchema,
  markReadSchema,
  notificationListQuerySchema,
  notificationSchema,
  unreadCountSchema,
  updateEmailPreferencesSchema,
} from '#shared/notifications-api.ts';
import { requireUser } from '../../http/access.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { getEmailPreferences, updateEmailPreferences } from './email-preferences.ts';
import { countUnread, listNotifications } from './list-notifications.ts';
import { markNotificationsRead } from './mark-read.ts';

const tags = ['Notifications'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

/**
 * Every route reads or changes the caller's own notifications and preferences only: the user id
 * comes from the session. Notifications about a request the caller may no longer read are not listed
 * nor counted.
 */
export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notifications',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'listNotifications',
        tags,
        summary:
          'My in-app notifications, newest first, titled in the language I read the app in (`language`, else my profile’s); those about a request I may no longer read are left out',
        querystring: notificationListQuerySchema,
        response: { 200: pageOf(notificationSchema), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return listNotifications(app.ctx.db, await loadViewer(app.ctx.db, user), request.query.language ?? user.language, request.query);
    },
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'countUnreadNotifications',
        tags,
        summary: 'How many of my notifications are unread (of those listed)',
        response: { 200: unreadCountSchema, ...errors },
      },
    },
    async (request) => ({ unread: await countUnread(app.ctx.db, await loadViewer(app.ctx.db, requireUser(request))) }),
  );

  app.post(
    '/notifications/read',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'markNotificationsRead',
        tags,
        summary: 'Marks my notifications read: the given ones, those about one request, or all',
        body: markReadSchema,
        response: { 200: markReadResultSchema, ...errors, 404: errorSchema },
      },
    },
    async (request) => ({
      marked: await markNotificationsRead(app.ctx, { userId: requireUser(request).id, ids: request.body.ids, ticketId: request.body.ticketId }),
    }),
  );

  app.get(
    '/me/email-preferences',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getEmailPreferences',
        tags,
        summary: 'Which non-essential e-mails I receive',
        response: { 200: emailPreferencesSchema, ...errors },
      },
    },
    async (request) => getEmailPreferences(app.ctx.db, requireUser(request).id),
  );

  app.patch(
    '/me/email-preferences',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'updateEmailPreferences',
        tags,
        summary: 'Turns categories of non-essential e-mail on or off (essential e-mails are always sent)',
        body: updateEmailPreferencesSchema,
        response: { 200: emailPreferencesSchema, ...errors },
      },
    },
    async (request) => updateEmailPreferences(app.ctx, { userId: requireUser(request).id, changes: request.body }),
  );
};
