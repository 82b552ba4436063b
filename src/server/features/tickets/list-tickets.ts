import { alias } from 'drizzle-orm/pg-core';
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { ticketListQuerySchema, TicketSummary } from '#shared/tickets-api.ts';
import { OPEN_STATUSES, type Criticality, type Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, organization, requestType, ticket, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { involvedCondition, isStaff, visibleTicketsCondition, type Viewer } from './policy.ts';
import { statusLabelFor } from './present.ts';

const reporter = alias(user, 'reporter');
const assignee = alias(user, 'assignee');

/** A page of requests the viewer may see, newest first. */
export async function listTickets(db: DbOrTx, viewer: Viewer, query: z.infer<typeof ticketListQuerySchema>) {
  const staff = isStaff(viewer);
  if (query.scope === 'desks' && !staff) throw new AppError(400, 'validation.invalid', 'scope: only Customer Services sees desks', 'scope');
  if (query.scope === 'organization' && staff) throw new AppError(400, 'validation.invalid', 'scope: use desks', 'scope');
  const lang = viewer.language;
  const rows = await db
    .select({
      id: ticket.id,
      cursorAt: cursorAt(ticket.createdAt),
      t: ticket,
      deskName: desk.names,
      typeName: requestType.names,
      orgName: organization.name,
      reporterName: reporter.name,
      assigneeName: assignee.name,
    })
    .from(ticket)
    .innerJoin(desk, eq(desk.id, ticket.deskId))
    .innerJoin(requestType, eq(requestType.id, ticket.requestTypeId))
    .innerJoin(organization, eq(organization.id, ticket.organizationId))
    .innerJoin(reporter, eq(reporter.id, ticket.reporterId))
    .leftJoin(assignee, eq(assignee.id, ticket.assigneeId))
    .where(
      and(
        visibleTicketsCondition(viewer),
        query.scope === 'mine' ? (staff ? eq(ticket.assigneeId, viewer.id) : involvedCondition(viewer.id)) : undefined,
        query.state === 'open' ? inArray(ticket.status, [...OPEN_STATUSES]) : undefined,
        query.deskId ? eq(ticket.deskId, query.deskId) : undefined,
        afterCursor(query.cursor, ticket.createdAt, ticket.id),
      ),
    )
    .orderBy(...keysetOrder(ticket.createdAt, ticket.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (r): TicketSummary => ({
    id: r.t.id,
    key: r.t.key,
    summary: r.t.summary,
    criticality: r.t.criticality as Criticality,
    status: r.t.status as Status,
    statusLabel: statusLabelFor(viewer, r.t.status as Status),
    desk: { id: r.t.deskId, name: r.deskName[lang] },
    requestType: { id: r.t.requestTypeId, name: r.typeName[lang] },
    organization: { id: r.t.organizationId, name: r.orgName },
    reporter: { id: r.t.reporterId, name: r.reporterName },
    assignee: r.t.assigneeId ? { id: r.t.assigneeId, name: r.assigneeName! } : null,
    createdAt: r.t.createdAt.toISOString(),
    updatedAt: r.t.updatedAt.toISOString(),
  }));
}
