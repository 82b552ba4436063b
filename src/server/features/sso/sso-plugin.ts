import { sso, type SSOUserResolution, type SSOUserResolutionContext, type SSOUserResolutionInput } from '@better-auth/sso';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { user } from '../../db/schema.ts';
import { customerAccount, isStaffRole } from '../../policies/accounts.ts';
import { domainOfEmail, organizationIdForEmail } from '../organizations/domains.ts';

/** The provider row as the plugin's adapter reads it (Guichet's columns included). */
type ProviderRow = { providerId: string; domain: string; organizationId: string | null; forStaff: boolean; enabled: boolean };
type UserRow = { id: string; email: string; role: string; banned: boolean | null; organizationId: string | null; emailVerified: boolean };

/** Why an SSO sign-in is refused; the sign-in page translates each (`sso.<code lower case>`). */
export const SSO_REFUSALS = [
  'SSO_PROVIDER_DISABLED',
  'SSO_EMAIL_OUTSIDE_DOMAIN',
  'SSO_STAFF_ACCOUNT_REQUIRED',
  'SSO_NOT_A_CUSTOMER_ACCOUNT',
  'SSO_OTHER_ORGANIZATION',
] as const;
type Refusal = (typeof SSO_REFUSALS)[number];
const reject = (code: Refusal): SSOUserResolution => ({ action: 'reject', code });

/**
 * Who a verified identity from an identity provider signs in as, decided in the sign-in's transaction:
 * - the address must be in the provider's domain (an identity provider speaks only for its own domain);
 * - a staff provider signs in existing staff accounts only: it never creates an account nor grants a role;
 * - a customer provider links the customer account with that address, or lets the plugin create one
 *   (placed in the provider's organization by `provisionUser`, after the sign-in's transaction); it never signs in a staff account.
 */
export async function resolveSsoUser(input: SSOUserResolutionInput, { database }: Pick<SSOUserResolutionContext, 'database'>): Promise<SSOUserResolution> {
  const provider = await database.findOne<ProviderRow>({ model: 'ssoProvider', where: [{ field: 'providerId', value: input.providerId }] });
  if (!provider?.enabled) return reject('SSO_PROVIDER_DISABLED');
  const email = input.providerUser.email.trim().toLowerCase();
  if (domainOfEmail(email) !== provider.domain) return reject('SSO_EMAIL_OUTSIDE_DOMAIN');
  const existing = await database.findOne<UserRow>({ model: 'user', where: [{ field: 'email', value: email }] });
  if (provider.forStaff) {
    if (!existing || !isStaffRole(existing.role)) return reject('SSO_STAFF_ACCOUNT_REQUIRED');
  } else {
    if (!existing) return { action: 'continue' };
    if (isStaffRole(existing.role)) return reject('SSO_NOT_A_CUSTOMER_ACCOUNT');
    if (existing.organizationId && existing.organizationId !== provider.organizationId) return reject('SSO_OTHER_ORGANIZATION');
  }
  // The domain's identity provider vouches for the address: the account is linked, its address verified.
  if (!existing.emailVerified) await database.update({ model: 'user', where: [{ field: 'id', value: existing.id }], update: { emailVerified: true } });
  return { action: 'link', userId: existing.id, profile: 'preserve' };
}

/** better-auth's SSO plugin as Guichet uses it: providers are written by administrators through Guichet's own routes. */
export function ssoPlugin(deps: { db: Db }) {
  const { db } = deps;
  return sso({
    // better-auth's /sso/register (and its other provider endpoints) are not exposed; 0 refuses them even if they were.
    providersLimit: 0,
    // Guichet has no better-auth organizations: a user's organization is its own column, set below.
    organizationProvisioning: { disabled: true },
    trustEmailVerified: false,
    schema: {
      ssoProvider: {
        additionalFields: {
          forStaff: { type: 'boolean', required: false, input: false, defaultValue: false },
          enabled: { type: 'boolean', required: false, input: false, defaultValue: true },
        },
      },
    },
    resolveUser: resolveSsoUser,
    // A customer without an organization joins the provider's, as long as the domain is still that organization's
    // (read now: an administrator may have moved the domain since the provider was configured). Idempotent: every sign-in.
    provisionUserOnEveryLogin: true,
    provisionUser: async ({ user: signedIn, provider }) => {
      if ((provider as { forStaff?: boolean }).forStaff || !provider.organizationId) return;
      await db
        .update(user)
        .set({ emailVerified: true })
        .where(and(eq(user.id, signedIn.id), customerAccount(), eq(user.emailVerified, false)));
      if ((await organizationIdForEmail(db, signedIn.email)) !== provider.organizationId) return;
      await db
        .update(user)
        .set({ organizationId: provider.organizationId })
        .where(and(eq(user.id, signedIn.id), customerAccount(), isNull(user.organizationId)));
    },
  });
}
