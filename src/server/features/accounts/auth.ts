import { betterAuth } from 'better-auth/minimal';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin } from 'better-auth/plugins';
import { twoFactor } from 'better-auth/plugins/two-factor';
import { and, eq, isNull } from 'drizzle-orm';
import { PASSWORD_MAX, PASSWORD_MIN, DEFAULT_LANGUAGE } from '#shared/domain.ts';
import { languageSchema } from '#shared/enums.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { innermostMessage, isDatabaseUnavailable } from '../../db/pg-errors.ts';
import * as schema from '../../db/schema.ts';
import { enqueueMail, type MailDeps } from '../mail/enqueue-mail.ts';
import { organizationIdForEmail } from '../organizations/domains.ts';
import { ssoPlugin } from '../sso/sso-plugin.ts';

/** The header through which Fastify hands better-auth the client IP it trusts (used by rate limits). */
export const CLIENT_IP_HEADER = 'x-guichet-client-ip';

export const VERIFY_EMAIL_EXPIRES_IN = 24 * 3600;
export const RESET_PASSWORD_EXPIRES_IN = 3600;

/** better-auth's limits per client IP. Log-in is not among them: its failures are limited per account and per IP (sign-in-limits.ts). */
export const RATE_LIMITS = {
  '/sign-up/email': { window: 60, max: 5 },
  '/request-password-reset': { window: 60, max: 3 },
  '/send-verification-email': { window: 60, max: 3 },
  '/reset-password': { window: 60, max: 5 },
} as const;

/** Two-factor authentication: TOTP codes from an authenticator app, ten single-use backup codes, and devices trusted for 30 days. */
export const TRUST_DEVICE_DAYS = 30;
const TWO_FACTOR_OPTIONS = {
  issuer: 'Guichet',
  trustDeviceMaxAge: TRUST_DEVICE_DAYS * 24 * 3600,
  totpOptions: { digits: 6 as const, period: 30 },
  backupCodeOptions: { amount: 10, length: 10, storeBackupCodes: 'encrypted' as const },
};
/** Code checks are limited by Guichet, per account and per IP, failures only (two-factor-limits.ts), not by better-auth per IP. */
const TWO_FACTOR_CODE_PATHS_UNLIMITED = { '/two-factor/verify-totp': false, '/two-factor/verify-backup-code': false } as const;

const userLanguage = (user: object) => {
  const parsed = languageSchema.safeParse((user as { language?: unknown }).language);
  return parsed.success ? parsed.data : DEFAULT_LANGUAGE;
};

export function createAuth(deps: { config: Config; db: Db; mail: MailDeps }) {
  const { config, db, mail } = deps;
  return betterAuth({
    appName: 'Guichet',
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    secret: config.authSecret,
    // Identity providers on private addresses must be listed (SSO_PRIVATE_IDP_ORIGINS): @better-auth/sso refuses any other.
    trustedOrigins: [...config.trustedOrigins, ...config.ssoPrivateIdpOrigins],
    // transaction: SSO sign-ins decide and link the account in one transaction (@better-auth/sso's resolveUser needs it).
    database: drizzleAdapter(db, { provider: 'pg', schema, transaction: true }),
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      autoSignIn: false,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      resetPasswordTokenExpiresIn: RESET_PASSWORD_EXPIRES_IN,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        if ((user as { isService?: boolean }).isService) return;
        await enqueueMail(db, mail, {
          to: user.email,
          language: userLanguage(user),
          template: 'reset-password',
          params: { name: user.name, url },
        });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: VERIFY_EMAIL_EXPIRES_IN,
      sendVerificationEmail: async ({ user, url }) => {
        await enqueueMail(db, mail, {
          to: user.email,
          language: userLanguage(user),
          template: 'verify-email',
          params: { name: user.name, url },
        });
      },
      afterEmailVerification: async (user) => {
        // A verified address whose domain belongs to an organization joins it.
        const organizationId = await organizationIdForEmail(db, user.email);
        if (organizationId) {
          await db
            .update(schema.user)
            .set({ organizationId })
            .where(and(eq(schema.user.id, user.id), isNull(schema.user.organizationId)));
        }
      },
    },
    user: {
      additionalFields: {
        language: { type: 'string', required: false, defaultValue: DEFAULT_LANGUAGE, input: true },
        organizationId: { type: 'string', required: false, input: false },
        isService: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => ({
            data: { ...user, language: userLanguage(user as { language?: unknown }), role: 'customer', organizationId: null, isService: false },
          }),
        },
      },
      session: {
        create: {
          // A service account acts only through its API tokens (features/api-tokens): never a session.
          // Read through better-auth's adapter, which joins the transaction a session may be created in
          // (a password change, an SSO sign-in): a query on the pool beside it would wait for it forever
          // on the embedded database's single connection.
          before: async (session, endpoint) => {
            const owner = endpoint
              ? await endpoint.context.internalAdapter.findUserById(session.userId)
              : (await db.select({ isService: schema.user.isService }).from(schema.user).where(eq(schema.user.id, session.userId)))[0];
            return (owner as { isService?: boolean } | null | undefined)?.isService ? false : undefined;
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: 100,
      // false: better-auth would count every log-in, successful ones included, per IP.
      customRules: { ...RATE_LIMITS, '/sign-in/email': false, ...TWO_FACTOR_CODE_PATHS_UNLIMITED },
    },
    advanced: {
      // Pinned: better-auth turns these off by itself when it believes it runs in a test.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: config.baseUrl.startsWith('https://'),
      cookiePrefix: 'guichet',
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    plugins: [
      admin({ defaultRole: 'customer', adminRoles: ['admin'], bannedUserMessage: 'This account has been deactivated.' }),
      twoFactor(TWO_FACTOR_OPTIONS),
      ssoPlugin({ db }),
    ],
    telemetry: { enabled: false },
    // better-auth's own messages follow LOG_LEVEL.
    logger: {
      disabled: config.logLevel === 'silent',
      level:
        config.logLevel === 'debug' || config.logLevel === 'trace'
          ? 'debug'
          : config.logLevel === 'info'
            ? 'info'
            : config.logLevel === 'warn'
              ? 'warn'
              : 'error',
      log: writeAuthLog,
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * better-auth's log lines, with its errors in a few words: left to itself it prints a failed query as
 * Drizzle words it, parameters included — a session token on every request while the database is away.
 * An error is written as its name and the driver's message, and the database being away is a warning.
 */
export function writeAuthLog(level: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]): void {
  const away = args.some((arg) => isDatabaseUnavailable(arg));
  const shown = away && level === 'error' ? 'warn' : level;
  const line = `${new Date().toISOString()} ${shown.toUpperCase()} [Better Auth]: ${[away ? 'database unavailable:' : message, ...args.map(describeLogArgument)].join(' ')}`;
  if (shown === 'error') console.error(line);
  else if (shown === 'warn') console.warn(line);
  else console.log(line);
}

function describeLogArgument(arg: unknown): string {
  if (!(arg instanceof Error)) return typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg));
  // The innermost error says what went wrong; the outer ones (better-auth's, Drizzle's) carry the query.
  return `${arg.name}: ${innermostMessage(arg)}`;
}
