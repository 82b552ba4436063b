import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyError } from 'fastify';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Database } from './db/client.ts';
import { AppError, databaseUnavailable } from './errors.ts';
import { isDatabaseUnavailable } from './db/pg-errors.ts';
import { validationErrorBody } from './validation.ts';
import { answerFrameworkError, MAX_PARAM_LENGTH, registerInputChecks } from './http/input-checks.ts';
import { ACCESS_LEVELS, authorize, type Access } from './http/access.ts';
import { resolveUser } from './features/accounts/resolve-user.ts';
import { createAuth } from './features/accounts/auth.ts';
import { authRoutes } from './features/accounts/auth-routes.ts';
import { meRoutes } from './features/accounts/me-routes.ts';
import { invitationRoutes } from './features/accounts/invitation-routes.ts';
import { organizationRoutes } from './features/organizations/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { catalogRoutes } from './features/catalog/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { outboxRoutes } from './features/mail/routes.ts';
import { notificationRoutes } from './features/notifications/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { ticketRoutes } from './features/tickets/routes.ts';
import { attachmentRoutes } from './features/attachments/routes.ts';
import { slaRoutes } from './features/sla/routes.ts';
import { escalationRoutes } from './features/escalation/routes.ts';
import { lifecycleRoutes } from './features/lifecycle/routes.ts';
import { surveyRoutes } from './features/survey/routes.ts';
import { flexRoutes } from './features/flex/routes.ts';
import { calendarRoutes } from './features/calendar/routes.ts';
import { projectRoutes } from './features/projects/routes.ts';
import { registerIdempotency } from './features/idempotency/idempotency.ts';
import type { AppContext } from './context.ts';
// The reactions of features to each other's changes, wired once for every command the app runs.
import './subscribers.ts';
import type { MailDeps } from './features/mail/enqueue-mail.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every /api route with its declared access, for the authorization test. */
    routeCatalog: { method: string; url: string; access: Access }[];
  }
}

const builtWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
/** The largest JSON body, in bytes (uploads have their own limit, ATTACHMENT_MAX_MB). */
const BODY_LIMIT = 1024 * 1024;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Security headers (helmet) that a browser applies to documents only. */
const DOCUMENT_ONLY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

export type BuildAppOptions = {
  config: Config;
  database: Database;
  clock: Clock;
  /** When set, mail is delivered by this pg-boss instance's worker; otherwise it is held in the outbox. */
  boss?: PgBoss | null;
  logger?: boolean;
  /** Where the log lines and the held e-mails go (standard output by default; tests capture them). */
  output?: { write(text: string): unknown };
  /** The built web app to serve (default dist/web; tests serve a build of their own). */
  webRoot?: string;
};

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database, clock } = options;
  const output = options.output ?? process.stdout;
  const logging = options.logger !== false;
  const webRoot = options.webRoot ?? builtWebRoot;
  const app = Fastify({
    logger: logging ? { level: config.logLevel, ...(options.output ? { stream: options.output } : {}) } : false,
    // One debug line per request (below), not two info lines: at info the log is for what matters.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Deeply nested JSON, NUL and lone surrogates: refused for every route, before its schema (http/input-checks.ts).
  registerInputChecks(app);

  const boss = options.boss ?? null;
  const mail: MailDeps = {
    clock,
    log: app.log,
    delivery: boss && config.smtpUrl ? { boss } : null,
    baseUrl: config.baseUrl,
    replyTo: config.mailReplyTo,
    // Without SMTP, held e-mails are printed as they read (a newcomer clicks the verification link in the console).
    printHeld: logging && ['info', 'debug', 'trace'].includes(config.logLevel) ? (text) => void output.write(text) : null,
  };
  const auth = createAuth({ config, db: database.db, mail });
  app.decorate('ctx', { config, database, db: database.db, clock, auth, mail, boss });
  app.decorate('routeCatalog', []);
  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    // The API reference (swagger-ui's own routes) is public documentation.
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), access: 'public' };
    const access = route.config?.access;
    if (!access || !ACCESS_LEVELS.includes(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare who may call it (config.access).`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeCatalog.push({ method, url: route.url, access });
    }
  });

  // Idempotency-Key on the routes declaring config.idempotent (their documentation, claim and release).
  registerIdempotency(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.baseUrl.startsWith('https://') ? [] : null,
      },
    },
    hsts: config.baseUrl.startsWith('https://'),
  });

  // API answers over 1 KB are compressed on the fly (brotli at a quality cheap enough per request, or
  // gzip). The web app's files are not: the build wrote brotli and gzip copies of them, sent as they are
  // (preCompressed below), so only routes under /api reach this plugin.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) route.compress = false;
  });
  // Text and JSON; not application/octet-stream (which the plugin compresses by default): attachments
  // of unknown type are sent as they are.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: /^text\/(?!event-stream)|(?:\+|\/)(?:json|xml)(?:;|$)|javascript/,
    globalDecompression: false,
  });

  // Cross-site request protection for cookie-authenticated changes outside better-auth
  // (better-auth checks the origin of its own routes against the same trusted origins).
  app.addHook('onRequest', async (request) => {
    if (!MUTATING.has(request.method) || !request.url.startsWith('/api/') || request.url.startsWith('/api/auth/')) return;
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    if (origin !== undefined) {
      if (!config.trustedOrigins.includes(origin)) {
        throw new AppError(403, 'request.cross_site', 'Cross-site requests are not allowed.');
      }
      return;
    }
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      throw new AppError(403, 'request.cross_site', 'Cross-site requests are not allowed.');
    }
    if (request.headers.cookie) {
      throw new AppError(403, 'request.cross_site', 'Changes made with a session cookie must carry an Origin header.');
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access) return;
    if (access !== 'public') request.user = await resolveUser(auth, request);
    authorize(access, request.user);
  });

  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    // The database restarting or away: a 503 with Retry-After, never a 500.
    const error = isDatabaseUnavailable(thrown) ? (databaseUnavailable() as unknown as FastifyError) : thrown;
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(error.status).send({ code: error.code, message: error.message, field: error.field, limit: error.limit });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0]!;
      return reply.status(400).send(
        validationErrorBody({
          ...first.params,
          code: first.keyword,
          path: first.instancePath.split('/').filter(Boolean),
          message: first.message ?? 'invalid',
        }),
      );
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      return reply.status(500).send({ code: 'internal', message: 'Internal error.' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ code: 'internal', message: 'Internal error.' });
    }
    const code =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError
        ? 'request.malformed_json'
        : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'request.too_large'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'request.unsupported_media_type'
            : status === 429
              ? 'request.rate_limited'
              : 'request.invalid';
    if (code === 'request.too_large') {
      return reply
        .status(413)
        .send({ code, message: `The request is larger than ${BODY_LIMIT.toLocaleString('en')} bytes, the largest accepted.`, limit: BODY_LIMIT });
    }
    return reply.status(status).send({ code, message: error.message });
  });

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

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authRoutes);
      await api.register(meRoutes);
      await api.register(invitationRoutes);
      await api.register(organizationRoutes);
      await api.register(userRoutes);
      await api.register(catalogRoutes);
      await api.register(projectRoutes);
      await api.register(auditRoutes);
      await api.register(outboxRoutes);
      await api.register(notificationRoutes);
      await api.register(ticketRoutes);
      await api.register(attachmentRoutes);
      await api.register(calendarRoutes);
      await api.register(slaRoutes);
      await api.register(escalationRoutes);
      await api.register(lifecycleRoutes);
      await api.register(surveyRoutes);
      await api.register(flexRoutes);
    },
    { prefix: '/api' },
  );

  if (existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: 'index.html',
      // The build's .br and .gz copies (vite.config.ts), chosen by Accept-Encoding, with Vary: Accept-Encoding.
      preCompressed: true,
      // Built files carry a content hash in their name: cache them for good; the page itself never.
      setHeaders: (res, filePath) => {
        const built = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', built ? 'public, max-age=31536000, immutable' : 'no-cache');
        // A script or style sheet is never a document: the headers that only govern documents (the CSP
        // above all, ~300 bytes) are dropped from them, half a kilobyte less per file on a first load.
        // nosniff, the cross-origin resource policy and the referrer policy (a style sheet's own
        // requests follow it), which do apply to them, stay.
        if (built && /\.(js|css)$/.test(filePath.replace(/\.(br|gz)$/, ''))) {
          for (const header of DOCUMENT_ONLY_HEADERS) res.removeHeader(header);
        }
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Missing build files are 404s, not the app page: a stale tab then reloads instead of showing a blank screen.
    const isPage = request.method === 'GET' && !request.url.startsWith('/api') && !request.url.startsWith('/assets/');
    if (isPage && existsSync(path.join(webRoot, 'index.html'))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
    }
    if (isPage) {
      return reply.type('text/html').send('<!doctype html><p>The web app is not built. Run <code>npm run build</code> (npm start does it for you).</p>');
    }
    return reply.status(404).send({ code: 'route.not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });

  return app;
}
