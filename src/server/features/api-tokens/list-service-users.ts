import { and, count, desc, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import type { ServiceUser } from '#shared/api-tokens-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { apiToken, user } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { serviceRoleOf } from '../../policies/accounts.ts';

function selectServiceUsers(db: DbOrTx, now: Date, where: SQL | undefined) {
  return db
    .select({
      id: user.id,
      name: user.name,
      role: user.role,
      banned: user.banned,
      createdAt: user.createdAt,
      activeTokens: count(apiToken.id),
    })
    .from(user)
    .leftJoin(apiToken, and(eq(apiToken.ownerId, user.id), isNull(apiToken.revokedAt), or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, now))))
    .where(and(eq(user.isService, true), where))
    .groupBy(user.id)
    .orderBy(desc(user.createdAt), desc(user.id));
}

const present = (row: Awaited<ReturnType<typeof selectServiceUsers>>[number]): ServiceUser => ({
  id: row.id,
  name: row.name,
  role: serviceRoleOf(row.role),
  active: !row.banned,
  createdAt: row.createdAt.toISOString(),
  activeTokens: row.activeTokens,
});

/** Every service account (there are few: one per integration). */
export async function listServiceUsers(db: DbOrTx, now: Date): Promise<ServiceUser[]> {
  return (await selectServiceUsers(db, now, undefined).limit(500)).map(present);
}

export async function getServiceUser(db: DbOrTx, id: string, now: Date): Promise<ServiceUser> {
  const [row] = await selectServiceUsers(db, now, eq(user.id, id));
  if (!row) throw notFound('service_user');
  return present(row);
}
