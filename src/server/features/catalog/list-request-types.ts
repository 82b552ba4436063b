import { asc, eq, type SQL } from 'drizzle-orm';
import type { RequestType } from '#shared/catalog-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, requestType } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';

function selectRequestTypes(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: requestType.id,
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
    .innerJoin(desk, eq(desk.id, requestType.deskId))
    .where(where)
    .orderBy(asc(desk.position), asc(desk.slug), asc(requestType.position), asc(requestType.slug));
}

/** Request types, active or not, desk by desk in portal order; optionally of one desk (an unknown desk has none). */
export async function listRequestTypes(db: DbOrTx, query: { deskId?: string | undefined }): Promise<RequestType[]> {
  return selectRequestTypes(db, query.deskId ? eq(requestType.deskId, query.deskId) : undefined);
}

export async function getRequestType(db: DbOrTx, id: string): Promise<RequestType> {
  const [row] = await selectRequestTypes(db, eq(requestType.id, id));
  if (!row) throw notFound('request_type');
  return row;
}
