import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Organization, updateOrganizationSchema } from '#shared/api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { organization, organizationDomain } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertDomainsFree, domainTaken, normalizeDomains } from './domain-rules.ts';
import { getOrganization } from './list-organizations.ts';

/** Renames an organization, replaces its set of domains and/or sets its storage quota; only what changed is audited. */
export async function updateOrganization(
  deps: { db: Db; clock: Clock; config: Pick<Config, 'orgStorageQuotaMb'> },
  options: { actorId: string; organizationId: string; changes: z.infer<typeof updateOrganizationSchema> },
): Promise<Organization> {
  const { db, clock } = deps;
  const { organizationId: id, changes } = options;
  const wantedDomains = changes.domains === undefined ? undefined : normalizeDomains(changes.domains);
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({ name: organization.name, storageQuotaMb: organization.storageQuotaMb })
        .from(organization)
        .where(eq(organization.id, id))
        .for('update');
      if (!current) throw notFound('organization');
      const currentDomains = (await tx.select({ domain: organizationDomain.domain }).from(organizationDomain).where(eq(organizationDomain.organizationId, id)))
        .map((r) => r.domain)
        .sort();

      const from: Record<string, unknown> = {};
      const to: Record<string, unknown> = {};
      if (changes.name !== undefined && changes.name !== current.name) {
        from.name = current.name;
        to.name = changes.name;
        await tx.update(organization).set({ name: changes.name }).where(eq(organization.id, id));
      }
      if (changes.storageQuotaMb !== undefined && changes.storageQuotaMb !== current.storageQuotaMb) {
        from.storageQuotaMb = current.storageQuotaMb;
        to.storageQuotaMb = changes.storageQuotaMb;
        await tx.update(organization).set({ storageQuotaMb: changes.storageQuotaMb }).where(eq(organization.id, id));
      }
      if (wantedDomains && wantedDomains.join(',') !== currentDomains.join(',')) {
        await assertDomainsFree(tx, wantedDomains, id);
        const removed = currentDomains.filter((d) => !wantedDomains.includes(d));
        const added = wantedDomains.filter((d) => !currentDomains.includes(d));
        if (removed.length) {
          await tx.delete(organizationDomain).where(and(eq(organizationDomain.organizationId, id), inArray(organizationDomain.domain, removed)));
        }
        if (added.length) {
          await tx.insert(organizationDomain).values(added.map((domain) => ({ domain, organizationId: id, createdAt: now })));
        }
        from.domains = currentDomains;
        to.domains = wantedDomains;
      }
      if (Object.keys(to).length) {
        await tx.update(organization).set({ updatedAt: now }).where(eq(organization.id, id));
        await recordAudit(tx, {
          at: now,
          actorId: options.actorId,
          action: 'organization.updated',
          targetType: 'organization',
          targetId: id,
          details: { from, to },
        });
      }
      return getOrganization(tx, id, deps.config);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw domainTaken();
    throw error;
  }
}
