import { and, eq, inArray } from 'drizzle-orm';
import type { Desk } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { desk, deskMember } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { staffMembers } from './catalog-rules.ts';
import { getDesk } from './list-desks.ts';

/** Replaces the agents of a desk; only active agents and administrators may be members. */
export async function setDeskMembers(deps: { db: Db; clock: Clock }, options: { actorId: string; deskId: string; userIds: string[] }): Promise<Desk> {
  const { db, clock } = deps;
  const { deskId } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [found] = await tx.select({ id: desk.id }).from(desk).where(eq(desk.id, deskId)).for('update');
    if (!found) throw notFound('desk');
    const wanted = await staffMembers(tx, options.userIds);
    const current = (await tx.select({ userId: deskMember.userId }).from(deskMember).where(eq(deskMember.deskId, deskId))).map((m) => m.userId);
    const added = wanted.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !wanted.includes(id)).sort();
    if (added.length === 0 && removed.length === 0) return getDesk(tx, deskId);
    if (removed.length) await tx.delete(deskMember).where(and(eq(deskMember.deskId, deskId), inArray(deskMember.userId, removed)));
    if (added.length) await tx.insert(deskMember).values(added.map((userId) => ({ deskId, userId, createdAt: now })));
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'desk.members_changed',
      targetType: 'desk',
      targetId: deskId,
      details: { added, removed },
    });
    return getDesk(tx, deskId);
  });
}
