import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Security headers (helmet) that a browser applies to documents only: the web app's scripts and style sheets go without them. */
export const DOCUMENT_ONLY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** The security headers of every answer: a strict Content-Security-Policy (no inline script), HSTS behind HTTPS. */
export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'baseUrl'>): Promise<void> {
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
}

/**
 * Cross-site request protection for cookie-authenticated changes outside better-auth (better-auth
 * checks the origin of its own routes against the same trusted origins). A request with
 * `Authorization: Bearer` is not checked: a browser cannot send that header cross-site without a CORS
 * preflight (which Guichet never grants), and such a request is authenticated by its token alone —
 * a cookie sent along is ignored (features/api-tokens/authenticate-token.ts).
 */
export function refuseCrossSiteChanges(app: FastifyInstance, config: Pick<Config, 'trustedOrigins'>): void {
  app.addHook('onRequest', async (request) => {
    if (!MUTATING.has(request.method) || !request.url.startsWith('/api/') || request.url.startsWith('/api/auth/')) return;
    if (/^Bearer /i.test(request.headers.authorization ?? '')) return;
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
}
