import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { closureDayParamsSchema } from '#shared/sla-api.ts';
import { requireUser } from '../../http/access.ts';
import { calendarFor, loadCalendarConfig } from './calendar-store.ts';
import { calendarConfigSchema } from './calendar-config.ts';
import { addClosureDay, removeClosureDay, updateCalendar } from './update-calendar.ts';

const tags = ['SLA'];
const admin = { access: 'admin' } as const;
const denied = { 401: errorSchema, 403: errorSchema };

/** The business calendar (hours, holidays, closure days, time zone), for administrators (DESIGN.md §2). */
export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/admin/sla/calendar',
    {
      config: admin,
      schema: {
        operationId: 'getBusinessCalendar',
        tags,
        summary: 'The business calendar: time zone, weekly hours, public holidays, eve closing, closure days',
        response: { 200: calendarConfigSchema, ...denied },
      },
    },
    async () => loadCalendarConfig(ctx.db),
  );

  app.put(
    '/admin/sla/calendar',
    {
      config: admin,
      schema: {
        operationId: 'replaceBusinessCalendar',
        tags,
        summary: 'Replace the business calendar (refused whole, naming the field, when any part is invalid); running clocks follow it',
        body: calendarConfigSchema,
        response: { 200: calendarConfigSchema, 400: errorSchema, ...denied },
      },
    },
    async (request) => updateCalendar(ctx, requireUser(request).id, request.body),
  );

  app.post(
    '/admin/sla/closure-days/:day',
    {
      config: admin,
      schema: {
        operationId: 'addClosureDay',
        tags,
        summary: 'Close the whole day (YYYY-MM-DD); the deadlines of running clocks are re-computed',
        params: closureDayParamsSchema,
        response: { 200: calendarConfigSchema, 400: errorSchema, ...denied },
      },
    },
    async (request) => addClosureDay(ctx, requireUser(request).id, request.params.day),
  );

  app.delete(
    '/admin/sla/closure-days/:day',
    {
      config: admin,
      schema: {
        operationId: 'removeClosureDay',
        tags,
        summary: 'Open a closure day again; the deadlines of running clocks are re-computed',
        params: closureDayParamsSchema,
        response: { 200: calendarConfigSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => removeClosureDay(ctx, requireUser(request).id, request.params.day),
  );

  app.get(
    '/admin/sla/holidays/:year',
    {
      config: admin,
      schema: {
        operationId: 'listHolidays',
        tags,
        summary: 'The days the calendar closes in a year: public holidays (with the eve closing before each) and closure days',
        params: z.object({ year: z.coerce.number().int().min(1900).max(9999) }),
        response: {
          200: z.object({ publicHolidays: z.array(z.object({ date: z.string(), name: z.string() })), closureDays: z.array(z.string()) }),
          400: errorSchema,
          ...denied,
        },
      },
    },
    async (request) => {
      const config = await loadCalendarConfig(ctx.db);
      const year = String(request.params.year);
      return { publicHolidays: calendarFor(config).publicHolidays(request.params.year), closureDays: config.closureDays.filter((d) => d.startsWith(year)) };
    },
  );
};
