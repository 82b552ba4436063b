import type { z } from 'zod';
import type { SecuritySettings, updateSecuritySettingsSchema } from '#shared/two-factor-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { securitySettings } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { twoFactorStatus } from './two-factor-policy.ts';

const DEFAULTS = { staffTwoFactorRequired: false };

export async function getSecuritySettings(db: DbOrTx): Promise<SecuritySettings> {
  const [row] = await db.select().from(securitySettings);
  return { staffTwoFactorRequired: row?.staffTwoFactorRequired ?? DEFAULTS.staffTwoFactorRequired, updatedAt: row?.updatedAt.toISOString() ?? null };
}

/** Changes the installation's security settings; audited when something changes. */
export async function updateSecuritySettings(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; changes: z.infer<typeof updateSecuritySettingsSchema> },
): Promise<SecuritySettings> {
  const now = deps.clock.now();
  // Otherwise the administrator would shut themselves out of everything but enrollment.
  if (options.changes.staffTwoFactorRequired && !(await twoFactorStatus(deps.db, options.actorId)).enabled) {
    throw new AppError(
      400,
      'security.enroll_first',
      'Turn on two-factor authentication for your own account before requiring it of staff.',
      'staffTwoFactorRequired',
    );
  }
  return deps.db.transaction(async (tx) => {
    // The row is locked (or created) first, so two administrators' changes are recorded one after the other.
    await tx
      .insert(securitySettings)
      .values({ id: 1, ...DEFAULTS, updatedAt: now })
      .onConflictDoNothing();
    const [current] = await tx.select().from(securitySettings).for('update');
    if (current!.staffTwoFactorRequired !== options.changes.staffTwoFactorRequired) {
      await tx.update(securitySettings).set({ ...options.changes, updatedAt: now, updatedById: options.actorId });
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'security.settings_changed',
        targetType: 'security_settings',
        targetId: '1',
        details: { from: { staffTwoFactorRequired: current!.staffTwoFactorRequired }, to: options.changes },
      });
    }
    return getSecuritySettings(tx);
  });
}
