import { eq, sql } from 'drizzle-orm';
import type { TwoFactorStatus } from '#shared/two-factor-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, securitySettings, ssoProvider, user } from '../../db/schema.ts';
import { staffAccount } from '../../policies/accounts.ts';

/**
 * Who must use two-factor authentication: staff (agents and administrators) when the security
 * settings say so, and the members of an organization that requires it — except those whose e-mail
 * domain signs in through an enabled identity provider: they have no password here to enroll with, and
 * their company's provider is where their second factor belongs. The one place this rule is written.
 */
export async function twoFactorStatus(db: DbOrTx, userId: string): Promise<TwoFactorStatus> {
  const [row] = await db
    .select({
      enabled: user.twoFactorEnabled,
      required: sql<boolean>`(
        (${staffAccount()} and coalesce(${securitySettings.staffTwoFactorRequired}, false))
        or coalesce(${organization.twoFactorRequired}, false)
      ) and not exists (
        select 1 from ${ssoProvider}
        where ${ssoProvider.domain} = lower(split_part(${user.email}, '@', 2)) and ${ssoProvider.enabled}
      )`,
    })
    .from(user)
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .leftJoin(securitySettings, eq(securitySettings.id, 1))
    .where(eq(user.id, userId));
  return { enabled: row?.enabled ?? false, required: row?.required ?? false };
}

/** True when the user must enroll in two-factor authentication before using anything but enrollment. */
export async function mustEnrollTwoFactor(db: DbOrTx, viewer: { id: string; twoFactorEnabled?: boolean }): Promise<boolean> {
  // Enrolled users (most of those it applies to) cost no query.
  if (viewer.twoFactorEnabled === true) return false;
  const status = await twoFactorStatus(db, viewer.id);
  return status.required && !status.enabled;
}
