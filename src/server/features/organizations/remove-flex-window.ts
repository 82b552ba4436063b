import { and, eq } from 'drizzle-orm';
import type { FlexContract } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { flexContractWindow } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lockOrganization } from './organization-rules.ts';
import { getFlexContract } from './flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';

/** Removes a validity window from an organization's Flex contract (a window entered by mistake, a contract ended early). */
export async function removeFlexWindow(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; organizationId: string; windowId: string },
): Promise<FlexContract> {
  const { db, clock } = deps;
  const { organizationId, windowId } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const [removed] = await tx
      .delete(flexContractWindow)
      .where(and(eq(flexContractWindow.id, windowId), eq(flexContractWindow.organizationId, organizationId)))
      .returning({ startsOn: flexContractWindow.startsOn, endsOn: flexContractWindow.endsOn });
    if (!removed) throw notFound('flex_window');
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'flex_window.removed',
      targetType: 'organization',
      targetId: organizationId,
      details: { windowId, startsOn: removed.startsOn, endsOn: removed.endsOn },
    });
    return getFlexContract(tx, organizationId, await businessToday(tx, clock));
  });
}
