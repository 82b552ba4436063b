import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Desk } from '#shared/catalog-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, deskMember } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';

/** Qualified: in a one-table select Drizzle writes bare column names, which inside the subquery would name desk_member's. */
const outerId = sql`${desk}.${sql.identifier(desk.id.name)}`;

function selectDesks(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: desk.id,
      slug: desk.slug,
      keyPrefix: desk.keyPrefix,
      names: desk.names,
      descriptions: desk.descriptions,
      position: desk.position,
      active: desk.active,
      coveredByMaintenance: desk.coveredByMaintenance,
      inboundAddress: desk.inboundAddress,
      inboundRequestTypeId: desk.inboundRequestTypeId,
      memberIds: sql<string[]>`coalesce((select array_agg(m.user_id order by m.user_id) from ${deskMember} m where m.desk_id = ${outerId}), '{}'::text[])`,
    })
    .from(desk)
    .where(where)
    .orderBy(asc(desk.position), asc(desk.slug));
}

/** Every desk, active or not, in the order the portal shows them: there are a handful, so no paging. */
export async function listDesks(db: DbOrTx): Promise<Desk[]> {
  return selectDesks(db, undefined);
}

export async function getDesk(db: DbOrTx, id: string): Promise<Desk> {
  const [row] = await selectDesks(db, eq(desk.id, id));
  if (!row) throw notFound('desk');
  return row;
}
