import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { FlexContract, FlexWindow } from '#shared/catalog-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { flexContractWindow } from '../../db/schema.ts';
import { assertOrganizationExists } from './organization-rules.ts';

/** A Flex contract is active on a day inside one of its windows (both ends included). */
export async function isFlexContractActive(db: DbOrTx, organizationId: string, today: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(flexContractWindow)
    .where(and(eq(flexContractWindow.organizationId, organizationId), lte(flexContractWindow.startsOn, today), gte(flexContractWindow.endsOn, today)))
    .limit(1);
  return row !== undefined;
}

export async function listFlexWindows(db: DbOrTx, organizationId: string): Promise<FlexWindow[]> {
  return db
    .select({
      id: flexContractWindow.id,
      organizationId: flexContractWindow.organizationId,
      startsOn: flexContractWindow.startsOn,
      endsOn: flexContractWindow.endsOn,
    })
    .from(flexContractWindow)
    .where(eq(flexContractWindow.organizationId, organizationId))
    .orderBy(asc(flexContractWindow.startsOn), asc(flexContractWindow.id));
}

/** Pure: whether the windows make a contract active on `today`. */
export const windowsCover = (windows: readonly { startsOn: string; endsOn: string }[], today: string) =>
  windows.some((w) => w.startsOn <= today && today <= w.endsOn);

/** An organization's Flex contract: its windows, and whether one covers `today`. */
export async function getFlexContract(db: DbOrTx, organizationId: string, today: string): Promise<FlexContract> {
  await assertOrganizationExists(db, organizationId);
  const windows = await listFlexWindows(db, organizationId);
  return { organizationId, active: windowsCover(windows, today), windows };
}
