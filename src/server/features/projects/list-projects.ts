import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Project } from '#shared/catalog-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { project } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';

function selectProjects(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: project.id,
      organizationId: project.organizationId,
      name: project.name,
      code: project.code,
      status: project.status,
      createdAt: project.createdAt,
      cursorAt: cursorAt(project.createdAt),
    })
    .from(project)
    .where(where);
}

type Row = Awaited<ReturnType<typeof selectProjects>>[number];

const present = (row: Row): Project => ({
  id: row.id,
  organizationId: row.organizationId,
  name: row.name,
  code: row.code,
  status: row.status as Project['status'],
  createdAt: row.createdAt.toISOString(),
});

export async function listProjects(
  db: DbOrTx,
  query: { cursor?: string | undefined; limit: number; organizationId?: string | undefined; status?: Project['status'] | undefined },
) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, project.createdAt, project.id)];
  if (query.organizationId) filters.push(eq(project.organizationId, query.organizationId));
  if (query.status) filters.push(eq(project.status, query.status));
  const rows = await selectProjects(db, and(...filters))
    .orderBy(...keysetOrder(project.createdAt, project.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, present);
}

export async function getProject(db: DbOrTx, id: string): Promise<Project> {
  const [row] = await selectProjects(db, eq(project.id, id));
  if (!row) throw notFound('project');
  return present(row);
}

/** The projects a request of this organization can be tied to, by name. */
export async function activeProjectsOf(db: DbOrTx, organizationId: string): Promise<{ id: string; name: string; code: string | null }[]> {
  return db
    .select({ id: project.id, name: project.name, code: project.code })
    .from(project)
    .where(and(eq(project.organizationId, organizationId), eq(project.status, 'active')))
    .orderBy(asc(project.name), asc(project.id));
}
