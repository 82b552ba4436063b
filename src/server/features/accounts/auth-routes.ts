import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  changePasswordSchema,
  requestPasswordResetSchema,
  resetPasswordSchema,
  sendVerificationEmailSchema,
  signInSchema,
  signUpSchema,
} from '#shared/api.ts';
import { user } from '../../db/schema.ts';
import { CLIENT_IP_HEADER } from './auth.ts';
import { beginSignInAttempt, type SignInAttempt } from './sign-in-limits.ts';
import { validationErrorBody } from '../../validation.ts';

/** The better-auth endpoints Guichet uses; the others (its admin API among them) are not exposed. */
const EXPOSED: Record<string, { method: 'GET' | 'POST'; body?: z.ZodType }> = {
  '/sign-up/email': { method: 'POST', body: signUpSchema },
  '/sign-in/email': { method: 'POST', body: signInSchema },
  '/sign-out': { method: 'POST' },
  '/get-session': { method: 'GET' },
  '/verify-email': { method: 'GET' },
  '/send-verification-email': { method: 'POST', body: sendVerificationEmailSchema },
  '/request-password-reset': { method: 'POST', body: requestPasswordResetSchema },
  '/reset-password': { method: 'POST', body: resetPasswordSchema },
  '/change-password': { method: 'POST', body: changePasswordSchema },
  '/list-sessions': { method: 'GET' },
  '/revoke-other-sessions': { method: 'POST' },
};
const RESET_CALLBACK = /^\/reset-password\/[^/]+$/;

/**
 * better-auth's error codes that the exposed endpoints answer with, passed on as `auth.<code>`
 * (lower case), each translated by the web app. Its UNAUTHORIZED is Guichet's auth.unauthenticated;
 * any other code becomes auth.failed, with better-auth's message.
 */
export const AUTH_ERROR_CODES = [
  'INVALID_EMAIL_OR_PASSWORD',
  'EMAIL_NOT_VERIFIED',
  'BANNED_USER',
  'INVALID_PASSWORD',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'PASSWORD_TOO_SHORT',
  'PASSWORD_TOO_LONG',
  'INVALID_EMAIL',
  'EMAIL_ALREADY_VERIFIED',
  'SESSION_EXPIRED',
  'SESSION_NOT_FRESH',
  'INVALID_ORIGIN',
  'MISSING_OR_NULL_ORIGIN',
  'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED',
  'INVALID_CALLBACK_URL',
  'INVALID_REDIRECT_URL',
] as const;
const authCode = (betterAuthCode: string | undefined) =>
  betterAuthCode === 'UNAUTHORIZED'
    ? 'auth.unauthenticated'
    : (AUTH_ERROR_CODES as readonly string[]).includes(betterAuthCode ?? '')
      ? `auth.${betterAuthCode!.toLowerCase()}`
      : 'auth.failed';

/** better-auth's error codes, and the field each one is about. */
const FIELD_OF_CODE: Record<string, string> = {
  PASSWORD_TOO_SHORT: 'password',
  PASSWORD_TOO_LONG: 'password',
  INVALID_PASSWORD: 'currentPassword',
  INVALID_EMAIL: 'email',
  INVALID_TOKEN: 'token',
  TOKEN_EXPIRED: 'token',
};

const fail = (reply: FastifyReply, status: number, code: string, message: string, field?: string) =>
  reply.status(status).send({ code, message, field });

/** One answer for every rate limit (better-auth's and the failed log-ins'), with the standard Retry-After. */
const rateLimited = (reply: FastifyReply, retryAfterSeconds: number) => {
  reply.header('retry-after', String(retryAfterSeconds));
  return fail(reply, 429, 'auth.rate_limited', 'Too many attempts. Please wait and try again later.');
};

/**
 * better-auth's handler behind Fastify: the body is checked first with Guichet's strict schemas,
 * the client IP Fastify trusts is handed over for rate limiting, and errors take Guichet's shape.
 */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const { auth, db, config, clock } = app.ctx;

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, config.baseUrl);
    const endpoint = url.pathname.slice('/api/auth'.length);
    const spec = EXPOSED[endpoint] ?? (RESET_CALLBACK.test(endpoint) ? { method: 'GET' as const } : undefined);
    if (!spec || spec.method !== request.method) return fail(reply, 404, 'route.not_found', `No route ${request.method} ${url.pathname}.`);

    if (spec.body) {
      const parsed = spec.body.safeParse(request.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return reply.status(400).send(validationErrorBody({ ...issue, keys: issue.code === 'unrecognized_keys' ? issue.keys : undefined }));
      }
      request.body = parsed.data;
    }

    // Verification links are single-use: once the address is verified the link opens nothing.
    if (endpoint === '/verify-email') {
      const email = emailInToken(url.searchParams.get('token'));
      if (email) {
        const [found] = await db.select({ verified: user.emailVerified }).from(user).where(eq(user.email, email));
        if (found?.verified) return reply.redirect(`/verify-email/done?error=LINK_USED`);
      }
    }

    // Failed log-ins are limited per account and per IP (successful ones are not); the other endpoints by better-auth, per IP.
    let attempt: SignInAttempt | null = null;
    if (endpoint === '/sign-in/email') {
      attempt = await beginSignInAttempt(db, clock, { email: (request.body as { email: string }).email, ip: request.ip });
      if (!attempt.allowed) return rateLimited(reply, attempt.retryAfterSeconds);
    }

    const headers = fromNodeHeaders(request.headers);
    headers.delete(CLIENT_IP_HEADER);
    headers.set(CLIENT_IP_HEADER, request.ip);
    headers.delete('content-length');
    const hasBody = request.method === 'POST';
    if (hasBody) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await auth.handler(
        new Request(url, { method: request.method, headers, body: hasBody ? JSON.stringify(request.body ?? {}) : undefined }),
      );
    } catch (error) {
      if (attempt?.allowed) await attempt.settle('other');
      throw error;
    }
    if (attempt?.allowed) await attempt.settle(response.status === 401 ? 'failed' : response.ok ? 'succeeded' : 'other');

    reply.status(response.status);
    for (const [name, value] of response.headers) {
      if (name === 'set-cookie' || name === 'content-length') continue;
      reply.header(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length) reply.header('set-cookie', cookies);
    const text = await response.text();
    if (response.status >= 400) {
      let body: { code?: string; message?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      if (response.status === 429) return rateLimited(reply, Number(response.headers.get('x-retry-after')) || 60);
      return fail(reply, response.status, authCode(body.code), body.message ?? response.statusText, body.code ? FIELD_OF_CODE[body.code] : undefined);
    }
    // The same answer whether or not the address already has an account, so sign-up reveals nothing.
    if (endpoint === '/sign-up/email') return reply.type('application/json').send({ status: 'verification_sent' });
    return reply.send(text === '' ? undefined : text);
  };

  app.route({
    method: ['GET', 'POST'],
    url: '/auth/*',
    config: { access: 'public' },
    schema: { hide: true },
    handler,
  });
};

function emailInToken(token: string | null): string | null {
  if (!token) return null;
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof parsed.email === 'string' ? parsed.email.toLowerCase() : null;
  } catch {
    return null;
  }
}
