import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TicketDetail } from '#shared/tickets-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import {
  attachment,
  desk,
  organization,
  project,
  requestType,
  ticket,
  ticketEvent,
  ticketMessage,
  ticketParticipant,
  user,
  inboundMessage,
} from '../../db/schema.ts';
import { present as presentAttachment } from '../attachments/upload-attachment.ts';
import { customerRecipientCondition, type TicketAccess, type Viewer } from '../../policies/tickets.ts';
import { can, permissionsFor } from '../../policies/can.ts';
import { isStaffRole } from '../../policies/accounts.ts';
import { historyAsCustomerReads, statusFor, statusLabelFor } from '../../policies/ticket-views.ts';

const reporter = alias(user, 'reporter');
const assignee = alias(user, 'assignee');
const creator = alias(user, 'creator');

const PERSON_FIELDS = ['assignee', 'participant_added', 'participant_removed'];
const NAMED_FIELDS = [...PERSON_FIELDS, 'desk', 'request_type'];

/**
 * The request page. For a customer, internal notes, their attachments and internal history
 * entries are left out here, in the queries themselves; the status, and the statuses and reasons of
 * the history, are those a customer reads (present.ts).
 */
export async function getTicket(db: DbOrTx, viewer: Viewer, access: TicketAccess): Promise<TicketDetail> {
  const staff = can(viewer, 'readInternal');
  const lang = viewer.language;
  const [row] = await db
    .select({
      t: ticket,
      deskName: desk.names,
      typeName: requestType.names,
      orgName: organization.name,
      projectName: project.name,
      reporterName: reporter.name,
      assigneeName: assignee.name,
      creatorName: creator.name,
    })
    .from(ticket)
    .innerJoin(desk, eq(desk.id, ticket.deskId))
    .innerJoin(requestType, eq(requestType.id, ticket.requestTypeId))
    .innerJoin(organization, eq(organization.id, ticket.organizationId))
    .innerJoin(reporter, eq(reporter.id, ticket.reporterId))
    .innerJoin(creator, eq(creator.id, ticket.createdById))
    .leftJoin(assignee, eq(assignee.id, ticket.assigneeId))
    .leftJoin(project, eq(project.id, ticket.projectId))
    .where(eq(ticket.id, access.id));
  const t = row!.t;

  const [participants, messages, attachments, history] = await Promise.all([
    // Those who take part now: who may still read the request and gets its e-mails (not someone moved to another organization since).
    db
      .select({ id: user.id, name: user.name, email: user.email })
      .from(ticketParticipant)
      .innerJoin(ticket, eq(ticket.id, ticketParticipant.ticketId))
      .innerJoin(user, eq(user.id, ticketParticipant.userId))
      .where(and(eq(ticketParticipant.ticketId, t.id), customerRecipientCondition()))
      .orderBy(asc(ticketParticipant.createdAt)),
    db
      .select({ m: ticketMessage, authorName: user.name, authorRole: user.role, emailId: inboundMessage.id })
      .from(ticketMessage)
      .innerJoin(user, eq(user.id, ticketMessage.authorId))
      // A message that arrived by e-mail: its original can be read (inbound_message_ticket_message_idx).
      .leftJoin(inboundMessage, eq(inboundMessage.ticketMessageId, ticketMessage.id))
      .where(and(eq(ticketMessage.ticketId, t.id), staff ? undefined : eq(ticketMessage.visibility, 'public')))
      .orderBy(asc(ticketMessage.createdAt), asc(ticketMessage.id)),
    db
      .select()
      .from(attachment)
      .where(and(eq(attachment.ticketId, t.id), staff ? undefined : eq(attachment.internal, false)))
      .orderBy(asc(attachment.createdAt)),
    db
      .select({ e: ticketEvent, actorName: user.name, actorRole: user.role })
      .from(ticketEvent)
      .leftJoin(user, eq(user.id, ticketEvent.actorId))
      .where(and(eq(ticketEvent.ticketId, t.id), staff ? undefined : eq(ticketEvent.customerVisible, true)))
      .orderBy(asc(ticketEvent.at), asc(ticketEvent.id)),
  ]);

  // History entries hold ids; show names (people, desks, request types) in the viewer's language.
  const idsOf = (fields: string[]) => [
    ...new Set(
      history
        .filter((h) => fields.includes(h.e.field))
        .flatMap((h) => [h.e.fromValue, h.e.toValue])
        .filter((v): v is string => Boolean(v)),
    ),
  ];
  const personIds = idsOf(PERSON_FIELDS);
  const deskIds = idsOf(['desk']);
  const typeIds = idsOf(['request_type']);
  const [people, desks, types] = await Promise.all([
    personIds.length ? db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, personIds)) : [],
    deskIds.length ? db.select({ id: desk.id, names: desk.names }).from(desk).where(inArray(desk.id, deskIds)) : [],
    typeIds.length ? db.select({ id: requestType.id, names: requestType.names }).from(requestType).where(inArray(requestType.id, typeIds)) : [],
  ]);
  const names = new Map<string, string>([
    ...people.map((p) => [p.id, p.name] as const),
    ...desks.map((d) => [d.id, d.names[lang]] as const),
    ...types.map((r) => [r.id, r.names[lang]] as const),
  ]);
  const shown = (field: string, value: string | null) => (value && NAMED_FIELDS.includes(field) ? (names.get(value) ?? value) : value);

  return {
    id: t.id,
    key: t.key,
    summary: t.summary,
    description: t.description,
    criticality: t.criticality,
    status: statusFor(viewer, t.status),
    statusLabel: statusLabelFor(viewer, t.status),
    desk: { id: t.deskId, name: row!.deskName[lang] },
    requestType: { id: t.requestTypeId, name: row!.typeName[lang] },
    organization: { id: t.organizationId, name: row!.orgName },
    project: t.projectId ? { id: t.projectId, name: row!.projectName! } : null,
    reporter: { id: t.reporterId, name: row!.reporterName },
    createdBy: { id: t.createdById, name: row!.creatorName },
    assignee: t.assigneeId ? { id: t.assigneeId, name: row!.assigneeName! } : null,
    participants,
    createdAt: t.createdAt.toISOString(),
    // Customers: the last change they can see (an internal note or an assignment is none to them).
    updatedAt: (staff ? t.updatedAt : t.customerUpdatedAt).toISOString(),
    qualifiedAt: t.qualifiedAt?.toISOString() ?? null,
    resolvedAt: t.resolvedAt?.toISOString() ?? null,
    closedAt: t.closedAt?.toISOString() ?? null,
    messages: messages.map(({ m, authorName, authorRole, emailId }) => ({
      id: m.id,
      author: { id: m.authorId, name: authorName, staff: isStaffRole(authorRole) },
      visibility: m.visibility,
      body: m.body,
      byEmail: emailId !== null,
      createdAt: m.createdAt.toISOString(),
    })),
    attachments: attachments.map(presentAttachment),
    history: history.flatMap(({ e, actorName, actorRole }) => {
      const read = staff ? e : historyAsCustomerReads(e, actorRole);
      if (!read) return [];
      return [
        {
          id: e.id,
          at: e.at.toISOString(),
          actor: e.actorId ? { id: e.actorId, name: actorName ?? '' } : null,
          field: e.field,
          from: shown(e.field, read.fromValue),
          to: shown(e.field, read.toValue),
          reason: read.reason,
        },
      ];
    }),
    permissions: permissionsFor(viewer, access),
  };
}
