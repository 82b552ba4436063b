import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Desk, updateDeskSchema } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { desk } from '../../db/schema.ts';
import { badRequest, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { changedFields } from '../../changes.ts';
import { assertDeskIdentityFree, assertInboundRequestType, deskConflict } from './create-desk.ts';
import { getDesk } from './list-desks.ts';

/** Renames, reorders, (de)activates a desk, changes its slug, its e-mail address and type, or whether the maintenance contract covers it; only what changed is audited. The key prefix never changes. */
export async function updateDesk(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; deskId: string; changes: z.infer<typeof updateDeskSchema> },
): Promise<Desk> {
  const { db, clock } = deps;
  const { deskId: id, changes } = options;
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({
          slug: desk.slug,
          keyPrefix: desk.keyPrefix,
          names: desk.names,
          descriptions: desk.descriptions,
          position: desk.position,
          active: desk.active,
          coveredByMaintenance: desk.coveredByMaintenance,
          inboundAddress: desk.inboundAddress,
          inboundRequestTypeId: desk.inboundRequestTypeId,
        })
        .from(desk)
        .where(eq(desk.id, id))
        .for('update');
      if (!current) throw notFound('desk');
      const { keyPrefix, ...editable } = changes;
      if (keyPrefix !== undefined && keyPrefix !== current.keyPrefix) {
        throw badRequest('desk.key_prefix_immutable', 'The key prefix of a desk cannot change: its requests keep the keys issued from it.', 'keyPrefix');
      }
      const { from, to } = changedFields(current, editable);
      if (Object.keys(to).length === 0) return getDesk(tx, id);
      if (to.slug !== undefined || typeof to.inboundAddress === 'string') {
        await assertDeskIdentityFree(tx, { slug: to.slug as string | undefined, inboundAddress: to.inboundAddress as string | null | undefined }, id);
      }
      await assertInboundRequestType(tx, id, to.inboundRequestTypeId as string | null | undefined);
      await tx
        .update(desk)
        .set({ ...to, updatedAt: now })
        .where(eq(desk.id, id));
      await recordAudit(tx, { at: now, actorId: options.actorId, action: 'desk.updated', targetType: 'desk', targetId: id, details: { from, to } });
      return getDesk(tx, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw deskConflict(error);
    throw error;
  }
}
