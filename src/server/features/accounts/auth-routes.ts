import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import { z } from 'zod';
import {
  authStatusSchema,
  changePasswordResultSchema,
  changePasswordSchema,
  errorSchema,
  requestPasswordResetSchema,
  resetPasswordLinkParamsSchema,
  resetPasswordLinkQuerySchema,
  resetPasswordSchema,
  sendVerificationEmailSchema,
  signInResultSchema,
  twoFactorChallengeSchema,
  twoFactorSignInResultSchema,
  signInSchema,
  signOutResultSchema,
  signUpResultSchema,
  signUpSchema,
  verifyEmailQuerySchema,
} from '#shared/api.ts';
import { ssoSignInResultSchema, ssoSignInSchema } from '#shared/sso-api.ts';
import { pingDatabase } from '../../db/client.ts';
import { consumeRate, type RateWindow } from '../../db/rate-limit.ts';
import { databaseUnavailable } from '../../errors.ts';
import type { Access } from '../../http/access.ts';
import { CLIENT_IP_HEADER } from './auth.ts';
import { canVerifyWithLink } from './check-verification-link.ts';
import { beginSignInAttempt, type SignInAttempt } from './sign-in-limits.ts';
import {
  backupCodesResultSchema,
  disableTwoFactorSchema,
  enableTwoFactorResultSchema,
  enableTwoFactorSchema,
  generateBackupCodesSchema,
  verifyBackupCodeSchema,
  verifyTotpSchema,
} from '#shared/two-factor-api.ts';
import { afterTwoFactorCall, beforeTwoFactorCall, TWO_FACTOR_ENDPOINTS, type TwoFactorCall } from './two-factor-bridge.ts';
import { enabledProviderForEmail } from '../sso/list-sso-providers.ts';
import { AppError } from '../../errors.ts';

/** The web app's page that says how a verification link went (VERIFY_CALLBACK in src/web/features/auth/auth-api.ts). */
const VERIFY_EMAIL_PAGE = '/verify-email/done';

/** An endpoint of better-auth that Guichet passes on, documented by the schemas Guichet checks and answers with. */
type AuthRoute = {
  method: 'GET' | 'POST';
  /** Under /api/auth, in Fastify's notation. */
  url: string;
  access: Access;
  /** Unique in the OpenAPI document, camelCase: generated clients name their methods so. */
  operationId: string;
  /** Usable by a user who must enroll in two-factor authentication and has not yet (http/access.ts). */
  twoFactorEnrollment?: boolean;
  summary: string;
  description?: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  response: Record<number, z.ZodType>;
};

const redirect = (to: string) => z.any().describe(`Redirects (Location) to ${to}`);
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, errorSchema]));
/** Where a verification link that cannot verify anything leads: the same place whatever the reason. */
export const INVALID_VERIFICATION_LINK = `${VERIFY_EMAIL_PAGE}?error=LINK_INVALID`;

/**
 * The better-auth endpoints Guichet uses, and the only ones it exposes and documents; any other path
 * under /api/auth (better-auth's admin API, session listing…) is a 404.
 */
export const EXPOSED: AuthRoute[] = [
  {
    method: 'POST',
    url: '/sign-up/email',
    operationId: 'signUpWithEmail',
    access: 'public',
    summary: 'Sign up with e-mail and password; a verification link is mailed',
    description: 'The same answer whether or not the address already has an account.',
    body: signUpSchema,
    response: { 200: signUpResultSchema, ...problems(400, 403, 429) },
  },
  {
    method: 'POST',
    url: '/sign-in/email',
    operationId: 'signInWithEmail',
    access: 'public',
    summary: 'Log in: sets the session cookie',
    description:
      'Failed log-ins are limited per account and per client IP (429 with Retry-After); successful ones are not. ' +
      'For an account with two-factor authentication, on a device it does not trust, the answer is `twoFactorRedirect: true` and no session yet: ' +
      'a code must then be sent to /api/auth/two-factor/verify-totp or /api/auth/two-factor/verify-backup-code within 10 minutes. ' +
      'An address whose domain has an enabled identity provider is refused (403 `auth.sso_required`): it signs in through /sign-in/sso.',
    body: signInSchema,
    response: { 200: z.union([signInResultSchema, twoFactorChallengeSchema]), ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/sign-out',
    operationId: 'signOut',
    access: 'public',
    summary: 'Log out: ends the session and clears its cookie',
    body: z.strictObject({}).optional(),
    response: { 200: signOutResultSchema, ...problems(400, 403) },
  },
  {
    method: 'GET',
    url: '/verify-email',
    operationId: 'verifyEmail',
    access: 'public',
    summary: 'Open an e-mail verification link',
    description:
      `A link that verifies its address leads to \`callbackURL\`; any other — expired, already used, forged, for an unknown address — to ${INVALID_VERIFICATION_LINK}, ` +
      'so that nothing tells them apart. Limited per client IP (429 with Retry-After).',
    querystring: verifyEmailQuerySchema,
    response: { 200: authStatusSchema, 302: redirect(`callbackURL, or ${INVALID_VERIFICATION_LINK}`), ...problems(400, 403, 429) },
  },
  {
    method: 'POST',
    url: '/send-verification-email',
    operationId: 'sendVerificationEmail',
    access: 'public',
    summary: 'Mail a new verification link to an address waiting for confirmation',
    description: 'The same answer whether or not the address has an account waiting.',
    body: sendVerificationEmailSchema,
    response: { 200: authStatusSchema, ...problems(400, 403, 429) },
  },
  {
    method: 'POST',
    url: '/request-password-reset',
    operationId: 'requestPasswordReset',
    access: 'public',
    summary: 'Mail a password-reset link',
    description: 'The same answer whether or not the address has an account.',
    body: requestPasswordResetSchema,
    response: { 200: authStatusSchema, ...problems(400, 403, 429) },
  },
  {
    method: 'GET',
    url: '/reset-password/:token',
    operationId: 'openPasswordResetLink',
    access: 'public',
    summary: 'Open a password-reset link',
    description: 'Leads to `callbackURL` with the token, or with `error=INVALID_TOKEN` when the link is unknown or expired.',
    params: resetPasswordLinkParamsSchema,
    querystring: resetPasswordLinkQuerySchema,
    response: { 302: redirect('callbackURL'), ...problems(400, 403, 429) },
  },
  {
    method: 'POST',
    url: '/reset-password',
    operationId: 'resetPassword',
    access: 'public',
    summary: 'Choose a new password with the token of a reset link; ends every session',
    body: resetPasswordSchema,
    response: { 200: authStatusSchema, ...problems(400, 403, 429) },
  },
  {
    method: 'POST',
    url: '/change-password',
    operationId: 'changePassword',
    access: 'user',
    summary: 'Change my password (the current one is asked)',
    body: changePasswordSchema,
    response: { 200: changePasswordResultSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/two-factor/enable',
    access: 'user',
    twoFactorEnrollment: true,
    operationId: 'enableTwoFactor',
    summary: 'Start enrolling in two-factor authentication (the password is asked): a TOTP key and backup codes',
    description:
      'Answers the otpauth:// URI to show as a QR code (its `secret` is the key to type in by hand) and ten single-use backup codes, shown this once. ' +
      'Two-factor authentication is on once a first code from the app is checked at /api/auth/two-factor/verify-totp. Audited then.',
    body: enableTwoFactorSchema,
    response: { 200: enableTwoFactorResultSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/two-factor/verify-totp',
    access: 'public',
    operationId: 'verifyTwoFactorCode',
    summary: 'Check a code from the authenticator app: completes a log-in, or confirms enrollment',
    description:
      'During a log-in (the two_factor cookie of /api/auth/sign-in/email) it sets the session cookie; `trustDevice` then spares this device the code for 30 days. ' +
      'With a session, it confirms the enrollment started by /api/auth/two-factor/enable. ' +
      'Wrong codes are limited per account (5 in 15 minutes, 20 a day), per client IP (50 in 15 minutes) and per log-in (5, then the password again): 429 with Retry-After.',
    body: verifyTotpSchema,
    response: { 200: twoFactorSignInResultSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/two-factor/verify-backup-code',
    access: 'public',
    operationId: 'verifyTwoFactorBackupCode',
    summary: 'Complete a log-in with a backup code instead of a code from the app (each code works once)',
    description: 'Limited as /api/auth/two-factor/verify-totp (the same counters). Audited.',
    body: verifyBackupCodeSchema,
    response: { 200: twoFactorSignInResultSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/two-factor/generate-backup-codes',
    access: 'user',
    operationId: 'regenerateTwoFactorBackupCodes',
    summary: 'Replace my backup codes with ten new ones (the password is asked); the old ones stop working',
    body: generateBackupCodesSchema,
    response: { 200: backupCodesResultSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/two-factor/disable',
    access: 'user',
    operationId: 'disableTwoFactor',
    summary: 'Turn two-factor authentication off (the password is asked)',
    description: 'Refused (403 auth.two_factor_enforced) when an administrator requires it of this account. Audited.',
    body: disableTwoFactorSchema,
    response: { 200: authStatusSchema, ...problems(400, 401, 403, 429) },
  },
  {
    method: 'POST',
    url: '/sign-in/sso',
    operationId: 'signInWithSso',
    access: 'public',
    summary: "Log in through the identity provider of the address's domain: answers the provider's URL to go to",
    description: 'A 404 (`sso.no_provider`) when the domain has no enabled identity provider: the password is asked instead.',
    body: ssoSignInSchema,
    response: { 200: ssoSignInResultSchema, ...problems(400, 403, 404, 429) },
  },
  {
    method: 'GET',
    url: '/sso/callback/:providerId',
    operationId: 'finishOidcSignIn',
    access: 'public',
    summary: 'Where an OpenID Connect provider sends the user back: sets the session cookie and leads to the callback URL',
    description: 'A refused sign-in leads to the error callback URL with `error=<code>`.',
    params: z.object({ providerId: z.string().max(100) }),
    querystring: z.object({
      code: z.string().max(4000).optional(),
      state: z.string().max(4000).optional(),
      iss: z.string().max(2000).optional(),
      error: z.string().max(200).optional(),
      error_description: z.string().max(2000).optional(),
    }),
    response: { 302: redirect('callbackURL or errorCallbackURL'), ...problems(400, 403, 404) },
  },
  {
    method: 'GET',
    url: '/sso/saml2/sp/metadata',
    operationId: 'getSamlServiceProviderMetadata',
    access: 'public',
    summary: "Guichet's SAML service-provider metadata for one identity provider (XML), for its administrators to import",
    querystring: z.strictObject({ providerId: z.string().min(1).max(100) }),
    response: { 200: z.any().describe('application/xml'), ...problems(400, 404) },
  },
  {
    method: 'POST',
    url: '/sso/saml2/sp/acs/:providerId',
    operationId: 'consumeSamlAssertion',
    access: 'public',
    summary: 'SAML assertion consumer service: a signed response from the identity provider (HTTP-POST binding) sets the session cookie',
    description: 'Unsigned, expired, replayed or wrongly addressed assertions lead to the error URL with `error=<code>`.',
    params: z.object({ providerId: z.string().max(100) }),
    body: z.object({ SAMLResponse: z.string().max(2_000_000), RelayState: z.string().max(4000).optional() }),
    response: { 302: redirect('the RelayState callback URL, or the error URL'), ...problems(400, 403, 404) },
  },
];

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
  'INVALID_CODE',
  'INVALID_BACKUP_CODE',
  'TOTP_ALREADY_ENABLED',
  'TOTP_NOT_ENABLED',
  'TWO_FACTOR_NOT_ENABLED',
  'BACKUP_CODES_NOT_ENABLED',
  'INVALID_TWO_FACTOR_COOKIE',
  'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE',
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
  INVALID_CODE: 'code',
  INVALID_BACKUP_CODE: 'code',
};
/** The field of a code on the two-factor endpoints, whose password field is `password`. */
const fieldOf = (endpoint: string, code: string | undefined) =>
  code === undefined ? undefined : endpoint.startsWith('/two-factor/') && code === 'INVALID_PASSWORD' ? 'password' : FIELD_OF_CODE[code];

const fail = (reply: FastifyReply, status: number, code: string, message: string, field?: string) => reply.status(status).send({ code, message, field });

/** One answer for every rate limit (better-auth's and the failed log-ins'), with the standard Retry-After. */
const rateLimited = (reply: FastifyReply, retryAfterSeconds: number) => {
  reply.header('retry-after', String(retryAfterSeconds));
  return fail(reply, 429, 'auth.rate_limited', 'Too many attempts. Please wait and try again later.');
};

/** Opening verification links is limited per client IP, whatever the answer. */
export const VERIFY_EMAIL_LIMIT: RateWindow = { windowSeconds: 10 * 60, max: 30 };

/** better-auth's JSON answer, or undefined when it has none. */
const jsonOf = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * better-auth's handler behind Fastify, one route per exposed endpoint: the body and query are
 * checked first with Guichet's strict schemas, the client IP Fastify trusts is handed over for rate
 * limiting, errors take Guichet's shape, and answers keep only the fields their schema lists.
 */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const { auth, db, config, clock } = app.ctx;
  // The SAML assertion consumer service receives the identity provider's HTML form (these routes only).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 3_000_000 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, config.baseUrl);
    const endpoint = url.pathname.slice('/api/auth'.length);

    // Verification links: limited per IP, and one answer for every link that cannot verify (see canVerifyWithLink).
    if (endpoint === '/verify-email') {
      const limited = await consumeRate(db, clock, `verify-email:ip:${request.ip}`, VERIFY_EMAIL_LIMIT);
      if (!limited.allowed) return rateLimited(reply, limited.retryAfterSeconds);
      const { token } = request.query as z.infer<typeof verifyEmailQuerySchema>;
      if (!(await canVerifyWithLink(db, config.authSecret, token))) return reply.redirect(INVALID_VERIFICATION_LINK, 302);
    }

    // Failed log-ins are limited per account and per IP (successful ones are not); the other endpoints by better-auth, per IP.
    // A domain with an identity provider signs in through it only: the company's offboarding there is final here.
    if (endpoint === '/sign-in/email' || endpoint === '/sign-up/email') {
      if (await enabledProviderForEmail(db, (request.body as { email: string }).email)) {
        throw new AppError(403, 'auth.sso_required', 'This address signs in through its company account.', 'email');
      }
    }

    let forwarded = request.body;
    // Only an enabled provider of the address's domain is used: a turned-off provider cannot be reached by its id.
    if (endpoint === '/sign-in/sso') {
      const { email, ...rest } = request.body as { email: string; callbackURL: string; errorCallbackURL?: string };
      const provider = await enabledProviderForEmail(db, email);
      if (!provider) throw new AppError(404, 'sso.no_provider', 'This address signs in with its password.', 'email');
      forwarded = { ...rest, providerId: provider.providerId, loginHint: email };
    }

    let attempt: SignInAttempt | null = null;
    if (endpoint === '/sign-in/email') {
      attempt = await beginSignInAttempt(db, clock, { email: (request.body as { email: string }).email, ip: request.ip });
      if (!attempt.allowed) return rateLimited(reply, attempt.retryAfterSeconds);
    }

    // Two-factor codes: wrong ones limited per account and per IP; enrollment and its end audited (two-factor-bridge.ts).
    let twoFactorCall: TwoFactorCall | null = null;
    if (TWO_FACTOR_ENDPOINTS.has(endpoint)) {
      const begun = await beforeTwoFactorCall(app.ctx, request, endpoint);
      if (!begun.allowed) return rateLimited(reply, begun.retryAfterSeconds);
      twoFactorCall = begun.call;
    }

    const headers = fromNodeHeaders(request.headers);
    headers.delete(CLIENT_IP_HEADER);
    headers.set(CLIENT_IP_HEADER, request.ip);
    headers.delete('content-length');
    const hasBody = request.method === 'POST';
    if (hasBody) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await auth.handler(new Request(url, { method: request.method, headers, body: hasBody ? JSON.stringify(forwarded ?? {}) : undefined }));
    } catch (error) {
      if (attempt?.allowed) await attempt.settle('other');
      await twoFactorCall?.settle('other');
      throw error;
    }
    // better-auth answers its own failures 500 without saying why: when the database is away, that is Guichet's 503.
    if (response.status >= 500 && !(await pingDatabase(db))) throw databaseUnavailable();
    if (attempt?.allowed) await attempt.settle(response.status === 401 ? 'failed' : response.ok ? 'succeeded' : 'other');

    if (endpoint === '/verify-email') {
      // Checked above, but the address may have been verified, or the account removed, in between.
      const location = response.headers.get('location');
      const verified =
        response.ok || (response.status >= 300 && response.status < 400 && location !== null && !new URL(location, config.baseUrl).searchParams.has('error'));
      if (!verified) return reply.redirect(INVALID_VERIFICATION_LINK, 302);
    }

    reply.status(response.status);
    for (const [name, value] of response.headers) {
      if (name === 'set-cookie' || name === 'content-length' || name === 'content-type') continue;
      reply.header(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length) reply.header('set-cookie', cookies);
    const text = await response.text();
    if (response.ok && response.headers.get('content-type')?.startsWith('application/xml')) return reply.type('application/xml').send(text);
    const body = jsonOf(text) as { code?: string; message?: string } | undefined;
    if (twoFactorCall) await afterTwoFactorCall(app.ctx, twoFactorCall, response.status, body);
    if (response.status >= 400) {
      if (response.status === 429) return rateLimited(reply, Number(response.headers.get('x-retry-after')) || 60);
      return fail(reply, response.status, authCode(body?.code), body?.message ?? response.statusText, fieldOf(endpoint, body?.code));
    }
    // The same answer whether or not the address already has an account, so sign-up reveals nothing.
    if (endpoint === '/sign-up/email') return reply.send({ status: 'verification_sent' });
    return reply.send(body);
  };

  for (const route of EXPOSED) {
    app.route({
      method: route.method,
      url: `/auth${route.url}`,
      config: { access: route.access, ...(route.twoFactorEnrollment ? { twoFactorEnrollment: true } : {}) },
      schema: {
        tags: ['Accounts'],
        operationId: route.operationId,
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        ...(route.body ? { body: route.body } : {}),
        ...(route.querystring ? { querystring: route.querystring } : {}),
        ...(route.params ? { params: route.params } : {}),
        response: route.response,
      },
      handler,
    });
  }
};
