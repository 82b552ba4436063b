import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Database } from './db/client.ts';
import { answerFrameworkError, MAX_PARAM_LENGTH, registerInputChecks } from './http/input-checks.ts';
import { authorizeRequests, requireDeclaredAccess, type Access } from './http/access.ts';
import { answerError, BODY_LIMIT } from './http/error-handler.ts';
import { registerOpenApi } from './http/openapi.ts';
import { refuseCrossSiteChanges, registerSecurityHeaders } from './http/security.ts';
import { serveWebApp } from './http/web-app.ts';
import { FEATURE_ROUTES } from './routes.ts';
import { resolveUser } from './features/accounts/resolve-user.ts';
import { refuseTokensOnAuthRoutes, resolveCaller } from './features/api-tokens/authenticate-token.ts';
import { limitTokenRequests } from './features/api-tokens/rate-limit-tokens.ts';
import { createAuth } from './features/accounts/auth.ts';
import { mustEnrollTwoFactor } from './features/two-factor/two-factor-policy.ts';
import { registerIdempotency } from './features/idempotency/idempotency.ts';
import type { AppContext } from './context.ts';
// The reactions of features to each other's changes, wired once for every command the app runs.
import './subscribers.ts';
import type { MailDeps } from './features/mail/enqueue-mail.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every /api route with its declared access, for the authorization test. */
    routeCatalog: { method: string; url: string; access: Access; apiTokens: boolean }[];
  }
}

const builtWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

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
    replySecret: config.authSecret,
    // Without SMTP, held e-mails are printed as they read (a newcomer clicks the verification link in the console).
    printHeld: logging && ['info', 'debug', 'trace'].includes(config.logLevel) ? (text) => void output.write(text) : null,
  };
  const auth = createAuth({ config, db: database.db, mail });
  app.decorate('ctx', { config, database, db: database.db, clock, auth, mail, boss });
  app.decorate('routeCatalog', []);
  app.decorateRequest('user', null);
  app.decorateRequest('apiToken', null);

  requireDeclaredAccess(app);

  // Idempotency-Key on the routes declaring config.idempotent (their documentation, claim and release).
  registerIdempotency(app);

  await registerSecurityHeaders(app, config);

  // API answers over 1 KB are compressed on the fly (brotli at a quality cheap enough per request, or
  // gzip). The web app's files are not: the build wrote brotli and gzip copies of them, sent as they are
  // (preCompressed, http/web-app.ts), so only routes under /api reach this plugin.
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

  refuseCrossSiteChanges(app, config);
  refuseTokensOnAuthRoutes(app);

  // Every route's declared access, checked before its handler (http/access.ts): the caller is the
  // owner of an API token (Authorization: Bearer, with its scopes) or the session's user, who may first
  // have to enroll in two-factor authentication. The obligation is the session's: a token (a service
  // account's above all, which has no sign-in to enroll with) was created by a signed-in owner.
  authorizeRequests(
    app,
    (request) => resolveCaller({ db: database.db, clock }, request, (r) => resolveUser(auth, r)),
    (user, request) => (request.apiToken ? Promise.resolve(false) : mustEnrollTwoFactor(database.db, user)),
  );
  // Per API token, after the caller is known; session traffic is not limited here.
  await limitTokenRequests(app, { db: database.db, clock, perMinute: config.apiTokenRateLimit });

  app.setErrorHandler(answerError);

  await registerOpenApi(app);

  await app.register(
    async (api) => {
      for (const routes of FEATURE_ROUTES) await api.register(routes);
    },
    { prefix: '/api' },
  );

  await serveWebApp(app, webRoot);
  return app;
}
