import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema, pageOf, uuidParamsSchema } from '#shared/api.ts';
import { createProjectSchema, projectListQuerySchema, projectSchema, updateProjectSchema } from '#shared/catalog-api.ts';
import { projectDetailSchema } from '#shared/flex-api.ts';
import { requireUser } from '../../http/access.ts';
import { loadViewer } from '../../policies/tickets.ts';
import { answerCreation } from '../idempotency/idempotency.ts';
import { createProject } from './create-project.ts';
import { getProjectDetail } from './get-project.ts';
import { listProjects } from './list-projects.ts';
import { updateProject } from './update-project.ts';

const denied = { 401: errorSchema, 403: errorSchema };
const admin = { access: 'admin' } as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** Consulting projects: their administration, and the project page of the portal and the workspace. */
export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.ctx;

  /* ---- Projects ---- */
  const projects = ['Projects'];
  app.get(
    '/admin/projects',
    {
      config: admin,
      schema: {
        operationId: 'listProjects',
        tags: projects,
        summary: 'Projects of customer organizations, newest first; filter by organization and status',
        querystring: projectListQuerySchema,
        response: { 200: pageOf(projectSchema), 400: errorSchema, ...denied },
      },
    },
    async (request) => listProjects(ctx.db, request.query),
  );

  app.post(
    '/admin/projects',
    {
      config: { ...admin, idempotent: true },
      schema: {
        operationId: 'createProject',
        tags: projects,
        summary: 'Create an active project for an organization',
        body: createProjectSchema,
        response: { 201: projectSchema, 400: errorSchema, ...denied },
      },
    },
    async (request, reply) =>
      answerCreation(
        request,
        reply,
        (onCreated) => createProject(ctx, { actorId: requireUser(request).id, input: request.body, onCreated }),
        (created) => ({ status: 201, body: created }),
      ),
  );

  app.patch(
    '/admin/projects/:id',
    {
      config: admin,
      schema: {
        operationId: 'updateProject',
        tags: projects,
        summary: 'Rename a project, change its code, close or reopen it',
        params: uuidParamsSchema,
        body: updateProjectSchema,
        response: { 200: projectSchema, 400: errorSchema, ...denied, 404: errorSchema },
      },
    },
    async (request) => updateProject(ctx, { actorId: requireUser(request).id, projectId: request.params.id, changes: request.body }),
  );

  app.get(
    '/projects/:id',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getProject',
        tags: ['Projects'],
        summary: 'A consulting project: its requests the caller may see and the time logged on them',
        params: uuidParamsSchema,
        response: { 200: projectDetailSchema, ...errors },
      },
    },
    async (request) => getProjectDetail(ctx.db, await loadViewer(ctx.db, requireUser(request)), request.params.id),
  );
};
