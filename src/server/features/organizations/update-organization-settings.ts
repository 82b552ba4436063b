import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Organization } from '#shared/api.ts';
import type { organizationSettingsSchema } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { organization } from '../../db/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getOrganization } from './list-organizations.ts';
import { changedFields } from '../../changes.ts';
import { lockOrganization } from './organization-rules.ts';

/** Changes how an organization's members see its requests ("own requests only") and whether they must use two-factor authentication; audited when it changes. */
export async function updateOrganizationSettings(
  deps: { db: Db; clock: Clock; config: Pick<Config, 'orgStorageQuotaMb'> },
  options: { actorId: string; organizationId: string; settings: z.infer<typeof organizationSettingsSchema> },
): Promise<Organization> {
  const { db, clock } = deps;
  const { organizationId: id } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const current = await lockOrganization(tx, id);
    const { from, to } = changedFields({ ownRequestsOnly: current.ownRequestsOnly, twoFactorRequired: current.twoFactorRequired }, options.settings);
    if (Object.keys(to).length) {
      await tx
        .update(organization)
        .set({ ...to, updatedAt: now })
        .where(eq(organization.id, id));
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'organization.settings_changed',
        targetType: 'organization',
        targetId: id,
        details: { from, to },
      });
    }
    return getOrganization(tx, id, deps.config);
  });
}
