import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organization } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';

/** An organization named in a request body or query: unknown is bad input on that field. */
export async function organizationNamedIn(db: DbOrTx, organizationId: string, field = 'organizationId'): Promise<{ id: string; name: string }> {
  const [found] = await db.select({ id: organization.id, name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  if (!found) throw new AppError(400, 'organization.not_found', 'The organization does not exist.', field);
  return found;
}

/** The organization of the URL, locked until the end of the transaction: a 404 when unknown. */
export async function lockOrganization(tx: DbOrTx, organizationId: string): Promise<{ id: string; ownRequestsOnly: boolean; twoFactorRequired: boolean }> {
  const [found] = await tx
    .select({ id: organization.id, ownRequestsOnly: organization.ownRequestsOnly, twoFactorRequired: organization.twoFactorRequired })
    .from(organization)
    .where(eq(organization.id, organizationId))
    .for('update');
  if (!found) throw notFound('organization');
  return found;
}

export async function assertOrganizationExists(db: DbOrTx, organizationId: string): Promise<void> {
  const [found] = await db.select({ id: organization.id }).from(organization).where(eq(organization.id, organizationId));
  if (!found) throw notFound('organization');
}
