import { and, eq, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { createRequestTypeSchema, RequestType } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { desk, requestType } from '../../db/schema.ts';
import { AppError, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getRequestType } from './list-request-types.ts';

export const requestTypeSlugTaken = () => conflict('request_type.slug_taken', 'Another request type of this desk already has this slug.', 'slug');

/** Refuses a slug another request type of the same desk has (the unique index catches the race). */
export async function assertRequestTypeSlugFree(tx: DbOrTx, deskId: string, slug: string, exceptId?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: requestType.id })
    .from(requestType)
    .where(and(eq(requestType.deskId, deskId), eq(requestType.slug, slug), exceptId ? ne(requestType.id, exceptId) : undefined))
    .limit(1);
  if (taken) throw requestTypeSlugTaken();
}

export async function createRequestType(
  deps: { db: Db; clock: Clock },
  options: {
    actorId: string;
    input: z.infer<typeof createRequestTypeSchema>;
    /** Runs in the creation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: RequestType) => Promise<void>) | undefined;
  },
): Promise<RequestType> {
  const { db, clock } = deps;
  const { input } = options;
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      const [found] = await tx.select({ id: desk.id }).from(desk).where(eq(desk.id, input.deskId));
      if (!found) throw new AppError(400, 'desk.not_found', 'The desk does not exist.', 'deskId');
      await assertRequestTypeSlugFree(tx, input.deskId, input.slug);
      const [created] = await tx
        .insert(requestType)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning({ id: requestType.id });
      const id = created!.id;
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'request_type.created',
        targetType: 'request_type',
        targetId: id,
        details: { ...input },
      });
      const type = await getRequestType(tx, id);
      await options.onCreated?.(tx, type);
      return type;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw requestTypeSlugTaken();
    throw error;
  }
}
