import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { RequestType, updateRequestTypeSchema } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { requestType } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { changedFields } from '../../changes.ts';
import { assertRequestTypeSlugFree, requestTypeSlugTaken } from './create-request-type.ts';
import { getRequestType } from './list-request-types.ts';

/**
 * Changes a request type; only what changed is audited. Requests already opened keep their type:
 * what it requires (Flex contract, project) is checked when a request is opened.
 */
export async function updateRequestType(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; requestTypeId: string; changes: z.infer<typeof updateRequestTypeSchema> },
): Promise<RequestType> {
  const { db, clock } = deps;
  const { requestTypeId: id, changes } = options;
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select({
          deskId: requestType.deskId,
          slug: requestType.slug,
          names: requestType.names,
          descriptions: requestType.descriptions,
          underSla: requestType.underSla,
          requiresFlexContract: requestType.requiresFlexContract,
          requiresProject: requestType.requiresProject,
          active: requestType.active,
          position: requestType.position,
        })
        .from(requestType)
        .where(eq(requestType.id, id))
        .for('update');
      if (!current) throw notFound('request_type');
      const { deskId, ...fields } = current;
      const { from, to } = changedFields(fields, changes);
      if (Object.keys(to).length === 0) return getRequestType(tx, id);
      if (to.slug !== undefined) await assertRequestTypeSlugFree(tx, deskId, to.slug, id);
      await tx
        .update(requestType)
        .set({ ...to, updatedAt: now })
        .where(eq(requestType.id, id));
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'request_type.updated',
        targetType: 'request_type',
        targetId: id,
        details: { from, to },
      });
      return getRequestType(tx, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw requestTypeSlugTaken();
    throw error;
  }
}
