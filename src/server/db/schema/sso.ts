/**
 * Single sign-on: the identity providers of @better-auth/sso (table and field names as its Drizzle
 * adapter expects), with Guichet's own columns: whether the provider signs in staff, and whether it is on.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { user } from './accounts.ts';
import { organization } from './organizations.ts';

export const ssoProvider = pgTable(
  'sso_provider',
  {
    id: text('id').primaryKey(),
    /** The OpenID issuer, or the SAML identity provider's entity id. */
    issuer: text('issuer').notNull(),
    /** JSON written by Guichet's admin commands: endpoints, client id and secret. */
    oidcConfig: text('oidc_config'),
    /** JSON: entry point, certificate or metadata of the identity provider, our entity id. */
    samlConfig: text('saml_config'),
    /** The administrator who configured it. */
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    /** The stable name in the callback URLs (/api/auth/sso/callback/<providerId>). */
    providerId: text('provider_id').notNull().unique(),
    /** The customer organization whose users sign in through it; null for the staff provider. */
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'cascade' }),
    /** The e-mail domain it signs in; one provider per domain. */
    domain: text('domain').notNull().unique(),
    // Guichet
    /** Signs in the vendor's own staff: never creates an account, never grants a role. */
    forStaff: boolean('for_staff').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('sso_provider_organization_idx').on(t.organizationId),
    check('sso_provider_owner_check', sql`(${t.forStaff} and ${t.organizationId} is null) or (not ${t.forStaff} and ${t.organizationId} is not null)`),
    check('sso_provider_protocol_check', sql`(${t.oidcConfig} is null) <> (${t.samlConfig} is null)`),
  ],
);
