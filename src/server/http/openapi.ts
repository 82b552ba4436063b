import type { FastifyInstance } from 'fastify';
import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { webhookDocuments } from '../features/webhooks/webhook-documents.ts';

/** What every route that is not public accepts: the session cookie or an API token. */
export const AUTHENTICATED_SECURITY: Record<string, string[]>[] = [{ session: [] }, { bearerAuth: [] }];

/** What routes refusing API tokens accept: the session cookie only. */
export const SESSION_SECURITY: Record<string, string[]>[] = [{ session: [] }];

/**
 * The zod schemas turned into JSON schemas, and each operation's `security` from its route's declared
 * access (http/access.ts): none for public routes, the session cookie or a bearer token for the others.
 */
const transform: SwaggerTransform = (input) => {
  const result = jsonSchemaTransform(input);
  const config = input.route.config;
  const access = config?.access;
  // Routes that refuse API tokens (config.apiTokens false: managing tokens) take the session cookie only.
  const security = !access || access === 'public' ? [] : config?.apiTokens === false ? SESSION_SECURITY : AUTHENTICATED_SECURITY;
  return { ...result, schema: { ...result.schema, security } };
};

/** The OpenAPI 3.1 document (/api/openapi.json), built from the routes' zod schemas, and its reference page (/api/docs). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Guichet API',
        version: '0.1.0',
        description:
          'Customer-service portal. Authentication is either the session cookie set by /api/auth/sign-in/email, ' +
          'or a personal or service API token sent as `Authorization: Bearer gch_...` (a token acts with its owner’s rights, never more). ' +
          'Errors are `{ code, message, field, limit }` (`limit` for a value over or under a limit: too long, too large, too many…). ' +
          'Changes made with the cookie must carry an Origin header of the portal; requests with a bearer token need none.',
      },
      servers: [{ url: app.ctx.config.baseUrl.replace(/\/+$/, ''), description: 'This Guichet' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'guichet.session_token', description: 'The session cookie set by /api/auth/sign-in/email.' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal or service API token: `Authorization: Bearer gch_...`.' },
        },
      },
      security: AUTHENTICATED_SECURITY,
      webhooks: webhookDocuments(),
    },
    transform,
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
