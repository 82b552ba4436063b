import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema } from '#shared/api.ts';
import {
  requestLifecycleSchema,
  surveyAnswerSchema,
  surveyByLinkSchema,
  surveyResultsQuerySchema,
  surveyResultsSchema,
  surveyTokenParamsSchema,
} from '#shared/lifecycle-api.ts';
import { ticketKeyParamsSchema } from '#shared/tickets-api.ts';
import { z } from 'zod';
import { requireUser } from '../../http/access.ts';
import { getLifecycle } from '../lifecycle/get-lifecycle.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { answerByLink, answerOnPage, surveyByLink } from './answer-survey.ts';
import { surveyResults, surveyResultsCsv } from './survey-results.ts';

const tags = ['Satisfaction survey'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The satisfaction survey of closed requests: by e-mail link, on the request page, and the results per desk and month. */
export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/survey/:token',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getSurvey',
        tags,
        summary: 'What a survey e-mail link opens (404 for a forged or expired link)',
        params: surveyTokenParamsSchema,
        response: { 200: surveyByLinkSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => surveyByLink(ctx, request.params.token),
  );

  app.post(
    '/survey/:token',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'answerSurvey',
        tags,
        summary: 'Answer a survey through its e-mail link: a rating from 1 to 5 and a comment, once',
        params: surveyTokenParamsSchema,
        body: surveyAnswerSchema,
        response: { 200: surveyByLinkSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      await answerByLink(ctx, request.params.token, request.body);
      return surveyByLink(ctx, request.params.token);
    },
  );

  app.post(
    '/requests/:key/survey',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'answerRequestSurvey',
        tags,
        summary: 'Answer the survey of a closed request on its page (its reporter only), once',
        params: ticketKeyParamsSchema,
        body: surveyAnswerSchema,
        response: { 200: requestLifecycleSchema, ...errors },
      },
    },
    async (request) => {
      const viewer = await loadViewer(ctx.db, requireUser(request));
      await answerOnPage(ctx, viewer, request.params.key, request.body);
      return getLifecycle(ctx.db, viewer, request.params.key);
    },
  );

  app.get(
    '/admin/survey/results',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getSurveyResults',
        tags,
        summary: 'Satisfaction per desk and month: answers, sum of ratings, count per rating',
        querystring: surveyResultsQuerySchema,
        response: { 200: surveyResultsSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => surveyResults(ctx.db, requireUser(request).language, request.query),
  );

  app.get(
    '/admin/survey/results.csv',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'getSurveyResultsCsv',
        tags,
        summary: 'The same results as CSV',
        querystring: surveyResultsQuerySchema,
        response: { 200: z.string(), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const csv = surveyResultsCsv(await surveyResults(ctx.db, requireUser(request).language, request.query));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="satisfaction-${request.query.from}-${request.query.to}.csv"`)
        .send(csv);
    },
  );
};
