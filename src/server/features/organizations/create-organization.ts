import type { z } from 'zod';
import type { createOrganizationSchema, Organization } from '#shared/api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { organization, organizationDomain } from '../../db/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertDomainsFree, domainTaken, normalizeDomains } from './domain-rules.ts';
import { getOrganization } from './list-organizations.ts';

export async function createOrganization(
  deps: { db: Db; clock: Clock; config: Pick<Config, 'orgStorageQuotaMb'> },
  options: {
    actorId: string;
    input: z.infer<typeof createOrganizationSchema>;
    /** Runs in the creation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: Organization) => Promise<void>) | undefined;
  },
): Promise<Organization> {
  const { db, clock } = deps;
  const name = options.input.name;
  const domains = normalizeDomains(options.input.domains);
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      await assertDomainsFree(tx, domains);
      const [created] = await tx.insert(organization).values({ name, createdAt: now, updatedAt: now }).returning({ id: organization.id });
      const id = created!.id;
      if (domains.length) {
        await tx.insert(organizationDomain).values(domains.map((domain) => ({ domain, organizationId: id, createdAt: now })));
      }
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'organization.created',
        targetType: 'organization',
        targetId: id,
        details: { name, domains },
      });
      const found = await getOrganization(tx, id, deps.config);
      await options.onCreated?.(tx, found);
      return found;
    });
  } catch (error) {
    // Another request took one of the domains between our check and our insert.
    if (isUniqueViolation(error)) throw domainTaken();
    throw error;
  }
}
