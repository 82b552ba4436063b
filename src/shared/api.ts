/**
 * Request and response shapes shared by the server (validation, OpenAPI) and the web app.
 * Request bodies are strict: an unknown field is a 400 naming it.
 */
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './domain.ts';
import { twoFactorStatusSchema } from './two-factor-api.ts';
import { languageSchema, roleSchema } from './enums.ts';
import { isSupportedTimeZone } from './time-zones.ts';

export const errorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    /** For a value over or under a limit (too long, too large, too many…): the limit, in the unit of the value (characters, bytes, minutes, items). */
    limit: z.number().optional(),
  })
  .meta({ id: 'Error' });
export type ApiError = z.infer<typeof errorSchema>;

const email = z
  .email()
  .max(254)
  .transform((v) => v.toLowerCase());
const personName = z.string().trim().min(1).max(120);
/** An e-mail address as accounts keep it (lower case), and a person's name: also checked by the admin:create command. */
export { email as emailAddressSchema, personName as personNameSchema };
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
const isoDate = z.iso.datetime({ offset: true });

export const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['up', 'down']) });

export const organizationRefSchema = z.object({ id: z.uuid(), name: z.string() });

export const meSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    language: languageSchema,
    organization: organizationRefSchema.nullable(),
    /** Every time is shown to this person in one zone: the one of their profile, else the business calendar's. */
    timeZone: z
      .object({
        /** The IANA zone the interface shows times in. */
        effective: z.string(),
        /** True when the profile names no zone and the business calendar's applies. */
        isDefault: z.boolean(),
        /** The business calendar's zone, the default. */
        calendar: z.string(),
      })
      .meta({ id: 'MeTimeZone' }),
    /** Two-factor authentication: on or not, and required or not (then, until it is on, only enrollment may be used). */
    twoFactor: twoFactorStatusSchema,
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const updateProfileSchema = z.strictObject({
  name: personName.optional(),
  language: languageSchema.optional(),
  /** An IANA time zone (e.g. Europe/Zurich); null: the business calendar's zone. */
  timeZone: z.string().max(100).refine(isSupportedTimeZone, { message: 'must be a known IANA time zone, e.g. Europe/Zurich' }).nullable().optional(),
});

/* Better-auth endpoints, checked before they reach better-auth so bad input names its field. */
export const signUpSchema = z.strictObject({
  name: personName,
  email,
  password: passwordSchema,
  language: languageSchema.optional(),
  callbackURL: z.string().max(2000).optional(),
});
export const signInSchema = z.strictObject({
  email,
  password: z.string().min(1).max(PASSWORD_MAX),
  rememberMe: z.boolean().optional(),
  callbackURL: z.string().max(2000).optional(),
});
export const requestPasswordResetSchema = z.strictObject({
  email,
  redirectTo: z.string().max(2000).optional(),
});
export const resetPasswordSchema = z.strictObject({
  newPassword: passwordSchema,
  token: z.string().min(1).max(500),
});
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newPassword: passwordSchema,
  revokeOtherSessions: z.boolean().optional(),
});
export const sendVerificationEmailSchema = z.strictObject({
  email,
  callbackURL: z.string().max(2000).optional(),
});
export const verifyEmailQuerySchema = z.object({
  token: z.string().max(4000).optional(),
  callbackURL: z.string().max(2000).optional(),
});
export const resetPasswordLinkParamsSchema = z.object({ token: z.string().min(1).max(500) });
export const resetPasswordLinkQuerySchema = z.object({ callbackURL: z.string().max(2000) });

/* What Guichet passes on of better-auth's answers: these fields only (the session token never reaches a page's scripts). */
export const authUserSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), emailVerified: z.boolean() }).meta({ id: 'AuthUser' });
export const authStatusSchema = z.object({ status: z.boolean() });
export const signUpResultSchema = z.object({ status: z.literal('verification_sent') });
export const signInResultSchema = z.object({ redirect: z.boolean(), url: z.string().optional(), user: authUserSchema });
/** The answer to a log-in that needs a second factor: no session yet, a code to send next. */
export const twoFactorChallengeSchema = z
  .object({ twoFactorRedirect: z.literal(true), twoFactorMethods: z.array(z.string()) })
  .meta({ id: 'TwoFactorChallenge' });
export const twoFactorSignInResultSchema = z.object({ user: authUserSchema });
export const signOutResultSchema = z.object({ success: z.boolean() });
export const changePasswordResultSchema = z.object({ user: authUserSchema });

/* Organizations */
const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'Invalid domain name');

/** The largest storage quota of an organization, in MiB (1 TiB): its own, or the installation's ORG_STORAGE_QUOTA_MB. */
export const STORAGE_QUOTA_MAX_MB = 1024 * 1024;

export const organizationStorageSchema = z
  .object({
    /** Bytes of its members' uploads, attached to requests or waiting to be. */
    usedBytes: z.number().int(),
    /** Its own quota, in MiB; null: the installation's default (ORG_STORAGE_QUOTA_MB). */
    quotaMb: z.number().int().nullable(),
    /** The quota that applies, in MiB. */
    effectiveQuotaMb: z.number().int(),
    /** The installation's default (ORG_STORAGE_QUOTA_MB), in MiB. */
    defaultQuotaMb: z.number().int(),
  })
  .meta({ id: 'OrganizationStorage' });

export const organizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domains: z.array(z.string()),
    userCount: z.number().int(),
    /** Members see only the requests they reported or take part in. */
    ownRequestsOnly: z.boolean(),
    /** Its members must use two-factor authentication. */
    twoFactorRequired: z.boolean(),
    /** The storage its members' uploads take, and its quota. */
    storage: organizationStorageSchema,
    createdAt: isoDate,
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof organizationSchema>;

export const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domains: z.array(domainName).max(50).default([]),
});
export const updateOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  domains: z.array(domainName).max(50).optional(),
  /** In MiB; null: back to the installation's default. */
  storageQuotaMb: z.number().int().min(1).max(STORAGE_QUOTA_MAX_MB).nullable().optional(),
});

/* Users */
export const userSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    language: languageSchema,
    emailVerified: z.boolean(),
    active: z.boolean(),
    /** A service account: acts only through its API tokens, never signs in (Administration → API tokens). */
    isService: z.boolean(),
    organization: organizationRefSchema.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'UserSummary' });
export type UserSummary = z.infer<typeof userSummarySchema>;

export const listQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const userListQuerySchema = listQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
  role: roleSchema.optional(),
  organizationId: z.uuid().optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Path parameters. User ids are better-auth's (not necessarily UUIDs); the others are UUIDs. */
export const uuidParamsSchema = z.object({ id: z.uuid() });
export const userParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const organizationListQuerySchema = listQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
});

export const updateUserSchema = z.strictObject({
  role: roleSchema.optional(),
  organizationId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});

/* Invitations */
export const createInvitationSchema = z.strictObject({
  email,
  name: personName.optional(),
  role: roleSchema.default('customer'),
  organizationId: z.uuid().nullable().default(null),
  language: languageSchema.optional(),
});
export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    organization: organizationRefSchema.nullable(),
    expiresAt: isoDate,
    acceptedAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationPreviewSchema = z.object({
  email: z.string(),
  name: z.string(),
  organization: organizationRefSchema.nullable(),
  role: roleSchema,
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;
export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(1).max(200),
  name: personName,
  password: passwordSchema,
});
export const invitationTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });
export const acceptInvitationResultSchema = z.object({ status: z.literal('accepted'), email: z.string() });

/* Audit log */
export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    at: isoDate,
    actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListQuerySchema = listQuerySchema.extend({
  targetType: z.string().trim().min(1).max(50).optional(),
  targetId: z.string().trim().min(1).max(200).optional(),
});

/* Outbox */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'held'] as const;
export const outboxStatusSchema = z.enum(OUTBOX_STATUSES);
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const outboxMessageSchema = z
  .object({
    id: z.uuid(),
    to: z.string(),
    subject: z.string(),
    template: z.string(),
    language: languageSchema,
    status: outboxStatusSchema,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: isoDate,
    sentAt: isoDate.nullable(),
    /** The next try of a pending message; failed is the dead letter (tries used up). */
    nextAttemptAt: isoDate.nullable(),
    text: z.string(),
  })
  .meta({ id: 'OutboxMessage' });
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export const outboxMessageDetailSchema = outboxMessageSchema.extend({ html: z.string() }).meta({ id: 'OutboxMessageDetail' });
export type OutboxMessageDetail = z.infer<typeof outboxMessageDetailSchema>;

export const outboxListQuerySchema = listQuerySchema.extend({ status: outboxStatusSchema.optional() });
