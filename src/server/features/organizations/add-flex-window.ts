import { and, eq, gte, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { createFlexWindowSchema, FlexContract } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Tx } from '../../db/client.ts';
import { flexContractWindow } from '../../db/schema.ts';
import { badRequest, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lockOrganization } from './organization-rules.ts';
import { getFlexContract } from './flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';

/**
 * Adds a validity window (both days included) to an organization's Flex contract. Windows of one
 * organization never overlap; the organization's row is locked so two additions cannot both pass the check.
 */
export async function addFlexWindow(
  deps: { db: Db; clock: Clock },
  options: {
    actorId: string;
    organizationId: string;
    input: z.infer<typeof createFlexWindowSchema>;
    /** Runs in the window's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, contract: FlexContract) => Promise<void>) | undefined;
  },
): Promise<FlexContract> {
  const { db, clock } = deps;
  const { organizationId, input } = options;
  if (input.endsOn < input.startsOn) {
    throw badRequest('flex.window_inverted', 'The window cannot end before it starts.', 'endsOn');
  }
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const [overlapping] = await tx
      .select({ startsOn: flexContractWindow.startsOn, endsOn: flexContractWindow.endsOn })
      .from(flexContractWindow)
      .where(
        and(
          eq(flexContractWindow.organizationId, organizationId),
          lte(flexContractWindow.startsOn, input.endsOn),
          gte(flexContractWindow.endsOn, input.startsOn),
        ),
      )
      .limit(1);
    if (overlapping) {
      throw conflict('flex.window_overlap', `The window overlaps the existing window from ${overlapping.startsOn} to ${overlapping.endsOn}.`, 'startsOn');
    }
    const [created] = await tx
      .insert(flexContractWindow)
      .values({ organizationId, startsOn: input.startsOn, endsOn: input.endsOn, createdAt: now })
      .returning({ id: flexContractWindow.id });
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'flex_window.added',
      targetType: 'organization',
      targetId: organizationId,
      details: { windowId: created!.id, startsOn: input.startsOn, endsOn: input.endsOn },
    });
    const contract = await getFlexContract(tx, organizationId, await businessToday(tx, clock));
    await options.onCreated?.(tx, contract);
    return contract;
  });
}
