import { eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organization, user } from '../../db/schema.ts';
import { AppError, badRequest } from '../../errors.ts';

/** An active user: one not deactivated (better-auth's `banned`, null on accounts it never touched). */
export const activeUser = (): SQL => sql`coalesce(${user.banned}, false) = false`;

/** Agents and administrators work for the vendor: they never belong to a customer organization (policies/accounts.ts). */
export const staffWithoutOrganization = () =>
  badRequest('user.staff_without_organization', 'Agents and administrators do not belong to an organization.', 'organizationId');

/** The organization a user is being attached to; an unknown one is bad input on `organizationId`. */
export async function organizationToAttach(tx: DbOrTx, organizationId: string): Promise<{ id: string; name: string }> {
  const [found] = await tx.select({ id: organization.id, name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  if (!found) throw new AppError(400, 'organization.not_found', 'The organization does not exist.', 'organizationId');
  return found;
}
