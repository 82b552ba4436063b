import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { webhookDocuments } from '../features/webhooks/webhook-documents.ts';

/** The OpenAPI 3.1 document (/api/openapi.json), built from the routes' zod schemas, and its reference page (/api/docs). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Guichet API',
        version: '0.1.0',
        description:
          'Customer-service portal. Authentication is a session cookie set by /api/auth/sign-in/email. ' +
          'Errors are `{ code, message, field, limit }` (`limit` for a value over or under a limit: too long, too large, too many…). ' +
          'Changes made with the cookie must carry an Origin header of the portal.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'guichet.session_token' } } },
      webhooks: webhookDocuments(),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: true },
    staticCSP: true,
    logLevel: 'warn',
  });
  // swagger-ui registers its own routes; everything under /api/docs is public documentation.
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
