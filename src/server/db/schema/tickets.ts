/**
 * Requests (tickets): their participants, messages, history, and the saved views of the agent workspace.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MESSAGE_VISIBILITIES } from '#shared/tickets-api.ts';
import { CRITICALITIES, STATUSES } from '#shared/tickets.ts';
import { user } from './accounts.ts';
import { desk, requestType } from './catalog.ts';
import { oneOf, ts, tsvector } from './columns.ts';
import { organization } from './organizations.ts';
import { project } from './projects.ts';

/**
 * The predicate of the partial indexes over requests still being worked on (OPEN_STATUSES in
 * #shared/tickets.ts): queues and their counts read only these rows, however many are closed.
 */
export const OPEN_STATUS_PREDICATE = sql.raw(`status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party')`);

export const ticket = pgTable(
  'ticket',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SUP-12: kept when the request moves to another desk. */
    key: text('key').notNull().unique(),
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id),
    requestTypeId: uuid('request_type_id')
      .notNull()
      .references(() => requestType.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => user.id),
    /** Who opened it: the reporter, or an agent on the reporter's behalf. */
    createdById: text('created_by_id')
      .notNull()
      .references(() => user.id),
    projectId: uuid('project_id').references(() => project.id),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    criticality: text('criticality', { enum: CRITICALITIES }).notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    assigneeId: text('assignee_id').references(() => user.id),
    followUpOfId: uuid('follow_up_of_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** The last change a customer can see (a public message, a status they see, …); internal notes leave it alone. */
    customerUpdatedAt: ts('customer_updated_at').notNull(),
    statusChangedAt: ts('status_changed_at').notNull(),
    qualifiedAt: ts('qualified_at'),
    firstResponseAt: ts('first_response_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** The criticality as a number (critical 4 … low 1), so "most critical first" has an index. */
    criticalityRank: smallint('criticality_rank')
      .notNull()
      .generatedAlwaysAs(sql`case "criticality" when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end`),
    /**
     * Full-text search (DESIGN.md §2): each text is added with the configuration of its author's
     * language, on write. Public: summary, description and public replies (what a customer may
     * search); all: the same plus internal notes (agents).
     */
    searchPublic: tsvector('search_public').notNull().default(sql`''::tsvector`),
    searchAll: tsvector('search_all').notNull().default(sql`''::tsvector`),
  },
  (t) => [
    index('ticket_org_created_idx').on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    index('ticket_reporter_created_idx').on(t.reporterId, t.createdAt.desc(), t.id.desc()),
    // Customers' lists by last change (their organization's, or their own).
    index('ticket_org_customer_updated_idx').on(t.organizationId, t.customerUpdatedAt.desc(), t.id.desc()),
    index('ticket_reporter_customer_updated_idx').on(t.reporterId, t.customerUpdatedAt.desc(), t.id.desc()),
    index('ticket_desk_status_updated_idx').on(t.deskId, t.status, t.updatedAt.desc(), t.id.desc()),
    index('ticket_assignee_status_idx').on(t.assigneeId, t.status),
    index('ticket_project_idx').on(t.projectId),
    // One index per offered sort (keyset pagination), over every request and over the open ones.
    index('ticket_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('ticket_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('ticket_criticality_idx').on(t.criticalityRank.desc(), t.createdAt.desc(), t.id.desc()),
    index('ticket_open_updated_idx').on(t.updatedAt.desc(), t.id.desc()).where(OPEN_STATUS_PREDICATE),
    index('ticket_open_created_idx').on(t.createdAt.desc(), t.id.desc()).where(OPEN_STATUS_PREDICATE),
    index('ticket_open_criticality_idx').on(t.criticalityRank.desc(), t.createdAt.desc(), t.id.desc()).where(OPEN_STATUS_PREDICATE),
    // Queue counts: index-only scans over the open requests, and over the recently finished ones.
    index('ticket_open_queue_idx').on(t.deskId, t.status, t.assigneeId).where(OPEN_STATUS_PREDICATE),
    index('ticket_resolved_at_idx').on(t.resolvedAt, t.deskId).where(sql`status = 'resolved'`),
    index('ticket_closed_at_idx').on(t.closedAt, t.deskId).where(sql`status = 'closed'`),
    index('ticket_request_type_idx').on(t.requestTypeId),
    index('ticket_search_public_idx').using('gin', t.searchPublic),
    index('ticket_search_all_idx').using('gin', t.searchAll),
    oneOf('ticket_criticality_check', t.criticality, CRITICALITIES),
    oneOf('ticket_status_check', t.status, STATUSES),
  ],
);

export const ticketParticipant = pgTable(
  'ticket_participant',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    addedById: text('added_by_id').references(() => user.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_participant_user_idx').on(t.userId, t.ticketId)],
);

export const ticketMessage = pgTable(
  'ticket_message',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id),
    authorId: text('author_id')
      .notNull()
      .references(() => user.id),
    /** public: seen by the customer; internal: agents only, never shown, mailed or counted for a customer. */
    visibility: text('visibility', { enum: MESSAGE_VISIBILITIES }).notNull(),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('ticket_message_ticket_idx').on(t.ticketId, t.createdAt), oneOf('ticket_message_visibility_check', t.visibility, MESSAGE_VISIBILITIES)],
);

/** Append-only history of every change of every field: who, when, from, to, why. */
export const ticketEvent = pgTable(
  'ticket_event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id),
    at: ts('at').notNull(),
    actorId: text('actor_id').references(() => user.id),
    /** created, status, criticality, desk, request_type, assignee, project, participant_added, participant_removed, qualified */
    field: text('field').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    reason: text('reason'),
    /** Whether the customer sees this entry in the request's history. */
    customerVisible: boolean('customer_visible').notNull(),
  },
  (t) => [index('ticket_event_ticket_idx').on(t.ticketId, t.at)],
);

/** A named query string of list filters, saved by one agent for themself. */
export const savedView = pgTable(
  'saved_view',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The list's query string, without the leading "?" (filters, sort, q). */
    query: text('query').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('saved_view_user_name_idx').on(t.userId, sql`lower(${t.name})`)],
);
