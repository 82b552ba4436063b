import { eq, or } from 'drizzle-orm';
import type { z } from 'zod';
import type { createDeskSchema, Desk } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { isUniqueViolation, violatedConstraint } from '../../db/pg-errors.ts';
import { desk } from '../../db/schema.ts';
import { conflict } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getDesk } from './list-desks.ts';

export const slugTaken = () => conflict('desk.slug_taken', 'Another desk already has this slug.', 'slug');
export const keyPrefixTaken = () => conflict('desk.key_prefix_taken', 'Another desk already issues keys with this prefix.', 'keyPrefix');

/** Refuses a slug or key prefix another desk has (the unique constraints catch the race). */
export async function assertDeskIdentityFree(tx: DbOrTx, wanted: { slug?: string; keyPrefix?: string }, exceptId?: string): Promise<void> {
  const conditions = [
    wanted.slug !== undefined ? eq(desk.slug, wanted.slug) : undefined,
    wanted.keyPrefix !== undefined ? eq(desk.keyPrefix, wanted.keyPrefix) : undefined,
  ];
  const taken = (
    await tx
      .select({ id: desk.id, slug: desk.slug, keyPrefix: desk.keyPrefix })
      .from(desk)
      .where(or(...conditions))
  ).filter((d) => d.id !== exceptId);
  if (taken.some((d) => d.keyPrefix === wanted.keyPrefix)) throw keyPrefixTaken();
  if (taken.some((d) => d.slug === wanted.slug)) throw slugTaken();
}

/** Which of the desk's unique constraints a violation broke. */
export const deskConflict = (error: unknown) => (violatedConstraint(error)?.includes('key_prefix') ? keyPrefixTaken() : slugTaken());

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
      await assertDeskIdentityFree(tx, { slug: input.slug, keyPrefix: input.keyPrefix });
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
