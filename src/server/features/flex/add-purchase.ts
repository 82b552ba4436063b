import type { z } from 'zod';
import type { createPurchaseSchema, Purchase } from '#shared/flex-api.ts';
import type { Db, Tx } from '../../db/client.ts';
import { flexPurchase } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import type { AppContext } from '../../context.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lockOrganization } from '../organizations/organization-rules.ts';
import { businessToday } from '../calendar/business-day.ts';
import { rearmLowBalanceWarning } from './run-billing.ts';

/** Records hours bought in advance (whole hours, kept as minutes); they never expire. */
export async function addPurchase(
  ctx: Pick<AppContext, 'clock'> & { db: Db },
  options: {
    actorId: string;
    organizationId: string;
    input: z.infer<typeof createPurchaseSchema>;
    /** Runs in the purchase's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: Purchase) => Promise<void>) | undefined;
  },
): Promise<Purchase> {
  const { db, clock } = ctx;
  const { organizationId, input } = options;
  if (input.hours <= 0) throw badRequest('flex.hours_not_positive', 'A purchase is at least one hour.', 'hours');
  if (input.purchasedOn > (await businessToday(db, clock)))
    throw badRequest('flex.purchase_in_future', 'A purchase cannot be dated in the future.', 'purchasedOn');
  const now = clock.now();
  return db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const [row] = await tx
      .insert(flexPurchase)
      .values({
        organizationId,
        purchasedOn: input.purchasedOn,
        minutes: input.hours * 60,
        reference: input.reference,
        createdById: options.actorId,
        createdAt: now,
      })
      .returning();
    // Back above the threshold: the next fall under it warns again.
    await rearmLowBalanceWarning(tx, organizationId);
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'flex.purchase_added',
      targetType: 'organization',
      targetId: organizationId,
      details: { purchaseId: row!.id, purchasedOn: input.purchasedOn, hours: input.hours, reference: input.reference },
    });
    const purchase = { id: row!.id, purchasedOn: row!.purchasedOn, minutes: row!.minutes, reference: row!.reference, createdAt: row!.createdAt.toISOString() };
    await options.onCreated?.(tx, purchase);
    return purchase;
  });
}
