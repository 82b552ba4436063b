import { and, eq, or } from 'drizzle-orm';
import type { z } from 'zod';
import type { createDeskSchema, Desk } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { isUniqueViolation, violatedConstraint } from '../../db/pg-errors.ts';
import { desk, requestType } from '../../db/schema.ts';
import { badRequest, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getDesk } from './list-desks.ts';

export const slugTaken = () => conflict('desk.slug_taken', 'Another desk already has this slug.', 'slug');
export const keyPrefixTaken = () => conflict('desk.key_prefix_taken', 'Another desk already issues keys with this prefix.', 'keyPrefix');

export const inboundAddressTaken = () => conflict('desk.inbound_address_taken', 'Another desk already receives mail at this address.', 'inboundAddress');

/** Refuses a slug, key prefix or inbound address another desk has (the unique constraints catch the race). */
export async function assertDeskIdentityFree(
  tx: DbOrTx,
  wanted: { slug?: string | undefined; keyPrefix?: string | undefined; inboundAddress?: string | null | undefined },
  exceptId?: string,
): Promise<void> {
  const conditions = [
    wanted.slug !== undefined ? eq(desk.slug, wanted.slug) : undefined,
    wanted.keyPrefix !== undefined ? eq(desk.keyPrefix, wanted.keyPrefix) : undefined,
    typeof wanted.inboundAddress === 'string' ? eq(desk.inboundAddress, wanted.inboundAddress) : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return;
  const taken = (
    await tx
      .select({ id: desk.id, slug: desk.slug, keyPrefix: desk.keyPrefix, inboundAddress: desk.inboundAddress })
      .from(desk)
      .where(or(...conditions))
  ).filter((d) => d.id !== exceptId);
  if (taken.some((d) => d.keyPrefix === wanted.keyPrefix)) throw keyPrefixTaken();
  if (taken.some((d) => d.slug === wanted.slug)) throw slugTaken();
  if (taken.some((d) => d.inboundAddress !== null && d.inboundAddress === wanted.inboundAddress)) throw inboundAddressTaken();
}

/** The request type mail to a desk's address opens must be one of the desk's active types. */
export async function assertInboundRequestType(tx: DbOrTx, deskId: string, requestTypeId: string | null | undefined): Promise<void> {
  if (requestTypeId === null || requestTypeId === undefined) return;
  const [found] = await tx
    .select({ id: requestType.id })
    .from(requestType)
    .where(and(eq(requestType.id, requestTypeId), eq(requestType.deskId, deskId), eq(requestType.active, true)));
  if (!found) {
    throw badRequest('desk.unknown_request_type', 'Mail to this desk can only open one of its active request types.', 'inboundRequestTypeId');
  }
}

/** Which of the desk's unique constraints a violation broke. */
export function deskConflict(error: unknown) {
  const constraint = violatedConstraint(error) ?? '';
  if (constraint.includes('key_prefix')) return keyPrefixTaken();
  if (constraint.includes('inbound_address')) return inboundAddressTaken();
  return slugTaken();
}

export async function createDesk(
  deps: { db: Db; clock: Clock },
  options: {
    actorId: string;
    input: z.infer<typeof createDeskSchema>;
    /** Runs in the creation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: Desk) => Promise<void>) | undefined;
  },
): Promise<Desk> {
  const { db, clock } = deps;
  const { input } = options;
  const now = clock.now();
  try {
    return await db.transaction(async (tx) => {
      await assertDeskIdentityFree(tx, { slug: input.slug, keyPrefix: input.keyPrefix, inboundAddress: input.inboundAddress });
      // A new desk has no request types yet: any type named here belongs to another desk.
      if (input.inboundRequestTypeId !== null) {
        throw badRequest('desk.unknown_request_type', 'Mail to this desk can only open one of its active request types.', 'inboundRequestTypeId');
      }
      const [created] = await tx
        .insert(desk)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning({ id: desk.id });
      const id = created!.id;
      await recordAudit(tx, { at: now, actorId: options.actorId, action: 'desk.created', targetType: 'desk', targetId: id, details: { ...input } });
      const found = await getDesk(tx, id);
      await options.onCreated?.(tx, found);
      return found;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw deskConflict(error);
    throw error;
  }
}
