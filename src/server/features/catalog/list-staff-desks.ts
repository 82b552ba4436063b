import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Language } from '#shared/domain.ts';
import type { StaffDesks } from '#shared/catalog-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, deskMember, requestType, user } from '../../db/schema.ts';
import { localize } from './catalog-rules.ts';
import { activeUser } from '../users/user-rules.ts';

/** Active desks with their active request types and agents, for the agent workspace (filters, move, assign). */
export async function listStaffDesks(db: DbOrTx, viewer: { id: string; language: Language }): Promise<StaffDesks> {
  const desks = await db.select().from(desk).where(eq(desk.active, true)).orderBy(asc(desk.position), asc(desk.slug));
  const deskIds = desks.map((d) => d.id);
  if (deskIds.length === 0) return { desks: [] };
  const [types, members] = await Promise.all([
    db
      .select()
      .from(requestType)
      .where(and(inArray(requestType.deskId, deskIds), eq(requestType.active, true)))
      .orderBy(asc(requestType.position), asc(requestType.slug)),
    db
      .select({ deskId: deskMember.deskId, id: user.id, name: user.name })
      .from(deskMember)
      .innerJoin(user, eq(user.id, deskMember.userId))
      .where(and(inArray(deskMember.deskId, deskIds), activeUser()))
      .orderBy(asc(user.name)),
  ]);
  return {
    desks: desks.map((d) => ({
      id: d.id,
      slug: d.slug,
      keyPrefix: d.keyPrefix,
      name: localize(d.names, viewer.language),
      member: members.some((m) => m.deskId === d.id && m.id === viewer.id),
      requestTypes: types
        .filter((r) => r.deskId === d.id)
        .map((r) => ({
          id: r.id,
          slug: r.slug,
          name: localize(r.names, viewer.language),
          requiresProject: r.requiresProject,
          requiresFlexContract: r.requiresFlexContract,
        })),
      agents: members.filter((m) => m.deskId === d.id).map((m) => ({ id: m.id, name: m.name })),
    })),
  };
}
