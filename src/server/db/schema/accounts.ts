/**
 * Accounts: better-auth's tables (names and fields as its Drizzle adapter expects) and invitations.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { LANGUAGES, ROLES } from '#shared/domain.ts';
import { createdAt, oneOf, ts } from './columns.ts';
import { organization } from './organizations.ts';

export const user = pgTable(
  'user',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    // admin plugin
    role: text('role', { enum: ROLES }).notNull().default('customer'),
    banned: boolean('banned').default(false),
    banReason: text('ban_reason'),
    banExpires: ts('ban_expires'),
    // two-factor plugin
    twoFactorEnabled: boolean('two_factor_enabled').notNull().default(false),
    // Guichet
    language: text('language', { enum: LANGUAGES }).notNull().default('fr'),
    /** IANA time zone the user reads times in; null: the business calendar's zone. */
    timeZone: text('time_zone'),
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'set null' }),
    /** A service account (an integration acting through its API tokens): never signs in, has no password and no session. */
    isService: boolean('is_service').notNull().default(false),
  },
  (t) => [
    index('user_organization_idx').on(t.organizationId),
    index('user_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('user_role_check', t.role, ROLES),
    oneOf('user_language_check', t.language, LANGUAGES),
  ],
);

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    impersonatedBy: text('impersonated_by'),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable(
  'verification',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('verification_identifier_idx').on(t.identifier)],
);

export const rateLimit = pgTable('rate_limit', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
});

/** better-auth's two-factor plugin: one row per user who started enrolling (verified once the first code is checked). */
export const twoFactor = pgTable(
  'two_factor',
  {
    id: text('id').primaryKey(),
    /** The TOTP secret, encrypted with AUTH_SECRET. */
    secret: text('secret').notNull(),
    /** The backup codes, encrypted with AUTH_SECRET; each is removed once used. */
    backupCodes: text('backup_codes').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    verified: boolean('verified').notNull().default(true),
    failedVerificationCount: integer('failed_verification_count').notNull().default(0),
    lockedUntil: ts('locked_until'),
  },
  (t) => [index('two_factor_user_idx').on(t.userId)],
);

/** The installation's security settings: one row (id 1), created by the first change. */
export const securitySettings = pgTable(
  'security_settings',
  {
    id: smallint('id').primaryKey(),
    /** Agents and administrators must use two-factor authentication. */
    staffTwoFactorRequired: boolean('staff_two_factor_required').notNull().default(false),
    updatedAt: ts('updated_at').notNull(),
    updatedById: text('updated_by_id').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [check('security_settings_single_row', sql`${t.id} = 1`)],
);

export const invitation = pgTable(
  'invitation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token sent by e-mail; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    invitedById: text('invited_by_id').references(() => user.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitation_user_idx').on(t.userId),
    index('invitation_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('invitation_role_check', t.role, ROLES),
  ],
);
