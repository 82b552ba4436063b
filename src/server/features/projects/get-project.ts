import { and, desc, eq, sql } from 'drizzle-orm';
import type { ProjectDetail } from '#shared/flex-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, project, ticket } from '../../db/schema.ts';
import { timeEntry } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { visibleTicketsCondition, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { statusFor } from '../../policies/ticket-views.ts';

/**
 * A consulting project's page: its requests the viewer may see (the requests' visibility policy)
 * and the time logged on each. Customers see their own organization's projects only.
 */
export async function getProjectDetail(db: DbOrTx, viewer: Viewer, projectId: string): Promise<ProjectDetail> {
  const [p] = await db
    .select({
      id: project.id,
      organizationId: project.organizationId,
      organizationName: organization.name,
      name: project.name,
      code: project.code,
      status: project.status,
    })
    .from(project)
    .innerJoin(organization, eq(organization.id, project.organizationId))
    .where(eq(project.id, projectId));
  if (!p || !can(viewer, 'readProject', p)) throw notFound('project');
  const requests = await db
    .select({
      key: ticket.key,
      summary: ticket.summary,
      status: ticket.status,
      createdAt: ticket.createdAt,
      loggedMinutes: sql<string>`coalesce((select sum(te.minutes) from ${timeEntry} te where te.ticket_id = "ticket"."id"), 0)`,
    })
    .from(ticket)
    .where(and(eq(ticket.projectId, projectId), visibleTicketsCondition(viewer)))
    .orderBy(desc(ticket.createdAt), desc(ticket.id));
  const list = requests.map((r) => ({
    key: r.key,
    summary: r.summary,
    status: statusFor(viewer, r.status),
    createdAt: r.createdAt.toISOString(),
    loggedMinutes: Number(r.loggedMinutes),
  }));
  return {
    ...p,
    status: p.status === 'closed' ? 'closed' : 'active',
    totalMinutes: list.reduce((s, r) => s + r.loggedMinutes, 0),
    requests: list,
  };
}
