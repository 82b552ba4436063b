import type { z } from 'zod';
import type { createProjectSchema, Project } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Tx } from '../../db/client.ts';
import { project } from '../../db/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { organizationNamedIn } from '../organizations/organization-rules.ts';
import { getProject } from './list-projects.ts';

/** A project of a customer organization: Consulting requests are tied to one of its active projects. */
export async function createProject(
  deps: { db: Db; clock: Clock },
  options: {
    actorId: string;
    input: z.infer<typeof createProjectSchema>;
    /** Runs in the creation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: Project) => Promise<void>) | undefined;
  },
): Promise<Project> {
  const { db, clock } = deps;
  const { input } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    await organizationNamedIn(tx, input.organizationId);
    const [created] = await tx
      .insert(project)
      .values({ organizationId: input.organizationId, name: input.name, code: input.code, status: 'active', createdAt: now, updatedAt: now })
      .returning({ id: project.id });
    const id = created!.id;
    await recordAudit(tx, { at: now, actorId: options.actorId, action: 'project.created', targetType: 'project', targetId: id, details: { ...input } });
    const found = await getProject(tx, id);
    await options.onCreated?.(tx, found);
    return found;
  });
}
