import { and, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { UserSummary } from '#shared/api.ts';
import type { Role } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { organization, user } from '../../db/schema.ts';
import { containsPattern } from '../../db/search.ts';
import { notFound } from '../../errors.ts';

function selectUsers(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      language: user.language,
      emailVerified: user.emailVerified,
      banned: user.banned,
      isService: user.isService,
      organizationId: organization.id,
      organizationName: organization.name,
      createdAt: user.createdAt,
      cursorAt: cursorAt(user.createdAt),
    })
    .from(user)
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .where(where);
}

type Row = Awaited<ReturnType<typeof selectUsers>>[number];

const present = (row: Row): UserSummary => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  language: row.language,
  emailVerified: row.emailVerified,
  active: !row.banned,
  isService: row.isService,
  organization: row.organizationId ? { id: row.organizationId, name: row.organizationName! } : null,
  createdAt: row.createdAt.toISOString(),
});

export async function listUsers(
  db: DbOrTx,
  query: { cursor?: string | undefined; limit: number; q?: string | undefined; role?: Role | undefined; organizationId?: string | undefined },
) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, user.createdAt, user.id)];
  if (query.q) {
    const pattern = containsPattern(query.q);
    filters.push(or(ilike(user.name, pattern), ilike(user.email, pattern)));
  }
  if (query.role) filters.push(eq(user.role, query.role));
  if (query.organizationId) filters.push(eq(user.organizationId, query.organizationId));
  const rows = await selectUsers(db, and(...filters))
    .orderBy(...keysetOrder(user.createdAt, user.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, present);
}

export async function getUserSummary(db: DbOrTx, id: string): Promise<UserSummary> {
  const [row] = await selectUsers(db, eq(user.id, id));
  if (!row) throw notFound('user');
  return present(row);
}
