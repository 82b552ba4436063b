import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Project, updateProjectSchema } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { project } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { changedFields } from '../../changes.ts';
import { getProject } from './list-projects.ts';

/** Renames a project, changes its code, or closes (reopens) it; a closed project takes no new requests. */
export async function updateProject(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; projectId: string; changes: z.infer<typeof updateProjectSchema> },
): Promise<Project> {
  const { db, clock } = deps;
  const { projectId: id, changes } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ name: project.name, code: project.code, status: project.status }).from(project).where(eq(project.id, id)).for('update');
    if (!current) throw notFound('project');
    const { from, to } = changedFields(current, changes);
    if (Object.keys(to).length === 0) return getProject(tx, id);
    await tx
      .update(project)
      .set({ ...to, updatedAt: now })
      .where(eq(project.id, id));
    await recordAudit(tx, { at: now, actorId: options.actorId, action: 'project.updated', targetType: 'project', targetId: id, details: { from, to } });
    return getProject(tx, id);
  });
}
