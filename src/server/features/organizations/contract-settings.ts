import type { z } from 'zod';
import type { ContractSettings, updateContractSettingsSchema, ZeroBalancePolicy } from '#shared/flex-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { organizationContract } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { badRequest } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertOrganizationExists, lockOrganization } from './organization-rules.ts';
import { businessToday } from '../calendar/business-day.ts';

export type ContractRow = {
  lowBalanceThresholdMinutes: number;
  zeroBalancePolicy: ZeroBalancePolicy;
  maintenanceStartsOn: string | null;
  maintenanceEndsOn: string | null;
  maintenanceRequiredForSupport: boolean;
  lowBalanceWarnedAt: Date | null;
};

/** An organization without a contract row has the defaults: no threshold, "allow with a warning", maintenance not required. */
export const DEFAULT_CONTRACT: ContractRow = {
  lowBalanceThresholdMinutes: 0,
  zeroBalancePolicy: 'warn',
  maintenanceStartsOn: null,
  maintenanceEndsOn: null,
  maintenanceRequiredForSupport: false,
  lowBalanceWarnedAt: null,
};

export async function contractOf(db: DbOrTx, organizationId: string): Promise<ContractRow> {
  const [row] = await db.select().from(organizationContract).where(eq(organizationContract.organizationId, organizationId));
  if (!row) return DEFAULT_CONTRACT;
  return row;
}

const maintenanceActive = (c: { maintenanceStartsOn: string | null; maintenanceEndsOn: string | null }, today: string) =>
  c.maintenanceStartsOn !== null && c.maintenanceStartsOn <= today && (c.maintenanceEndsOn === null || today <= c.maintenanceEndsOn);

export async function getContractSettings(db: DbOrTx, organizationId: string, today: string): Promise<ContractSettings> {
  await assertOrganizationExists(db, organizationId);
  const c = await contractOf(db, organizationId);
  return {
    organizationId,
    lowBalanceThresholdMinutes: c.lowBalanceThresholdMinutes,
    zeroBalancePolicy: c.zeroBalancePolicy,
    maintenanceStartsOn: c.maintenanceStartsOn,
    maintenanceEndsOn: c.maintenanceEndsOn,
    maintenanceRequiredForSupport: c.maintenanceRequiredForSupport,
    maintenanceActive: maintenanceActive(c, today),
  };
}

/** Whether the organization's maintenance contract covers `today` (a start date and no end, or both ends included). */
export async function isMaintenanceActive(db: DbOrTx, organizationId: string, today: string): Promise<boolean> {
  return maintenanceActive(await contractOf(db, organizationId), today);
}

/** Changes the low-balance threshold, the zero-balance policy and the maintenance contract; audited. */
export async function updateContractSettings(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; organizationId: string; changes: z.infer<typeof updateContractSettingsSchema> },
): Promise<ContractSettings> {
  const { db, clock } = deps;
  const { organizationId, changes } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const current = await contractOf(tx, organizationId);
    const next = {
      lowBalanceThresholdMinutes: changes.lowBalanceThresholdMinutes ?? current.lowBalanceThresholdMinutes,
      zeroBalancePolicy: changes.zeroBalancePolicy ?? current.zeroBalancePolicy,
      maintenanceStartsOn: changes.maintenanceStartsOn === undefined ? current.maintenanceStartsOn : changes.maintenanceStartsOn,
      maintenanceEndsOn: changes.maintenanceEndsOn === undefined ? current.maintenanceEndsOn : changes.maintenanceEndsOn,
      maintenanceRequiredForSupport: changes.maintenanceRequiredForSupport ?? current.maintenanceRequiredForSupport,
    };
    if (next.maintenanceEndsOn !== null && next.maintenanceStartsOn === null) {
      throw badRequest('contract.maintenance_start_required', 'A maintenance contract with an end needs a start.', 'maintenanceStartsOn');
    }
    if (next.maintenanceStartsOn !== null && next.maintenanceEndsOn !== null && next.maintenanceEndsOn < next.maintenanceStartsOn) {
      throw badRequest('contract.maintenance_inverted', 'The maintenance contract cannot end before it starts.', 'maintenanceEndsOn');
    }
    await tx
      .insert(organizationContract)
      .values({ organizationId, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: organizationContract.organizationId, set: { ...next, updatedAt: now } });
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'flex.contract_changed',
      targetType: 'organization',
      targetId: organizationId,
      details: { ...changes },
    });
    return getContractSettings(tx, organizationId, await businessToday(tx, clock));
  });
}
