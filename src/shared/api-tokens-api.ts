/**
 * API tokens: personal tokens of every user and service tokens of service accounts, sent as
 * `Authorization: Bearer gch_…`. Schemas first: the server validates and documents with them, the
 * web app reads the same types.
 */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';

const isoDate = z.iso.datetime({ offset: true });

export const API_TOKEN_KINDS = ['personal', 'service'] as const;
export type ApiTokenKind = (typeof API_TOKEN_KINDS)[number];

/**
 * requests:read — GET of every non-administration route; requests:write — the other methods of the
 * non-administration routes; admin — the administration routes (an administrator's token only).
 */
export const API_TOKEN_SCOPES = ['requests:read', 'requests:write', 'admin'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
export const apiTokenScopeSchema = z.enum(API_TOKEN_SCOPES);

/** The lifetimes offered, in days; null: never expires. */
export const API_TOKEN_EXPIRIES = [30, 90, 365] as const;
export const DEFAULT_API_TOKEN_EXPIRY_DAYS = 90;

/** Every token starts with this, so that secret scanners and people recognise it. */
export const API_TOKEN_PREFIX = 'gch_';

/** The roles a service account may have (it works for the vendor). */
export const SERVICE_ROLES = ['agent', 'admin'] as const;

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(API_TOKEN_KINDS),
    name: z.string(),
    /** The token's first characters, to tell tokens apart. */
    prefix: z.string(),
    scopes: z.array(apiTokenScopeSchema),
    owner: z.object({ id: z.string(), name: z.string() }),
    expiresAt: isoDate.nullable(),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    /** active, expired or revoked at the time of the answer. */
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(apiTokenScopeSchema)
    .min(1)
    .max(API_TOKEN_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope once'),
  /** 30, 90 or 365 days; null: never. */
  expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.null()]).default(DEFAULT_API_TOKEN_EXPIRY_DAYS),
});
export type CreateApiToken = z.input<typeof createApiTokenSchema>;

/** The one answer that carries the secret: it is never shown again. */
export const createdApiTokenSchema = z.object({ token: apiTokenSchema, secret: z.string() }).meta({ id: 'CreatedApiToken' });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const apiTokenListQuerySchema = listQuerySchema.extend({
  kind: z.enum(API_TOKEN_KINDS).optional(),
  ownerId: z.string().min(1).max(100).optional(),
  status: z.enum(['active', 'expired', 'revoked']).optional(),
});

export const serviceUserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(SERVICE_ROLES),
    active: z.boolean(),
    createdAt: isoDate,
    /** Tokens not revoked nor expired. */
    activeTokens: z.number().int(),
  })
  .meta({ id: 'ServiceUser' });
export type ServiceUser = z.infer<typeof serviceUserSchema>;

export const createServiceUserSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  role: z.enum(SERVICE_ROLES),
});
