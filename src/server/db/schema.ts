import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { OUTBOX_STATUSES } from '#shared/api.ts';
import { PROJECT_STATUSES } from '#shared/catalog-api.ts';
import { LANGUAGES, ROLES } from '#shared/domain.ts';
import { CLOCK_EVENT_KINDS, CLOCK_KINDS, CLOCK_OUTCOMES } from '#shared/sla-api.ts';
import { MESSAGE_VISIBILITIES } from '#shared/tickets-api.ts';
import { CRITICALITIES, STATUSES } from '#shared/tickets.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

/**
 * A CHECK that a text column holds one of a shared list of values (the column is declared with the
 * same list, so its type follows). Preferred to a PostgreSQL enum: adding a value is a new migration
 * that replaces the constraint, with no ALTER TYPE. Null passes, as for any CHECK.
 */
export const oneOf = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`);

/* ---- Organizations ---- */

export const organization = pgTable('organization', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** When set, members see only the requests they reported or take part in. */
  ownRequestsOnly: boolean('own_requests_only').notNull().default(false),
  /** Largest total of its members' uploads, in MiB; null: the installation's default (ORG_STORAGE_QUOTA_MB). */
  storageQuotaMb: integer('storage_quota_mb'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A domain belongs to at most one organization: the primary key says so. */
export const organizationDomain = pgTable(
  'organization_domain',
  {
    domain: text('domain').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('organization_domain_org_idx').on(t.organizationId)],
);

/* ---- better-auth tables (names and fields as its Drizzle adapter expects) ---- */

export const user = pgTable(
  'user',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    // admin plugin
    role: text('role', { enum: ROLES }).notNull().default('customer'),
    banned: boolean('banned').default(false),
    banReason: text('ban_reason'),
    banExpires: ts('ban_expires'),
    // Guichet
    language: text('language', { enum: LANGUAGES }).notNull().default('fr'),
    /** IANA time zone the user reads times in; null: the business calendar's zone. */
    timeZone: text('time_zone'),
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('user_organization_idx').on(t.organizationId),
    index('user_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('user_role_check', t.role, ROLES),
    oneOf('user_language_check', t.language, LANGUAGES),
  ],
);

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    impersonatedBy: text('impersonated_by'),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable(
  'verification',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('verification_identifier_idx').on(t.identifier)],
);

export const rateLimit = pgTable('rate_limit', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
});

/* ---- Invitations ---- */

export const invitation = pgTable(
  'invitation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token sent by e-mail; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    invitedById: text('invited_by_id').references(() => user.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitation_user_idx').on(t.userId),
    index('invitation_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('invitation_role_check', t.role, ROLES),
  ],
);

/* ---- Audit log: append-only ---- */

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: ts('at').notNull(),
    actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('audit_log_at_idx').on(t.at.desc(), t.id.desc()), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

/* ---- Outgoing mail ---- */

export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** pending: to deliver; sent; failed: the dead letter, tries used up (an administrator may retry it); held: no SMTP configured, kept for reading. */
    status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    /** The next try of a pending message (exponential backoff after a failure). */
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    /** A worker sending the message holds it until then; after a crash the lease runs out and another worker takes it. */
    claimedUntil: ts('claimed_until'),
    /** The recipient and the request, when known (mail feature: preferences, threading). */
    userId: text('user_id'),
    ticketId: uuid('ticket_id'),
    replyTo: text('reply_to'),
    /** Message-ID of the request's thread: sent as In-Reply-To and References so a mail client threads one request's messages. */
    threadId: text('thread_id'),
  },
  (t) => [
    index('outbox_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('outbox_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
    oneOf('outbox_language_check', t.language, LANGUAGES),
    oneOf('outbox_status_check', t.status, OUTBOX_STATUSES),
  ],
);

/* ---- Desks, request types, projects, Flex contract ---- */

/** Text in each interface language. */
export type Localized = { fr: string; de: string; en: string };

export const desk = pgTable('desk', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  /** Prefix of the request keys of this desk (SUP → SUP-1). */
  keyPrefix: text('key_prefix').notNull().unique(),
  names: jsonb('names').$type<Localized>().notNull(),
  descriptions: jsonb('descriptions').$type<Localized>().notNull(),
  position: integer('position').notNull().default(0),
  /** The next number handed out; taken under the row lock, so keys are never reused. */
  nextNumber: integer('next_number').notNull().default(1),
  active: boolean('active').notNull().default(true),
  /**
   * Requests at this desk are covered by the maintenance contract: an organization set to require one
   * may open them only while its maintenance contract is active. A flag, not the slug, which administrators edit.
   */
  coveredByMaintenance: boolean('covered_by_maintenance').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const deskMember = pgTable(
  'desk_member',
  {
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.deskId, t.userId] }), index('desk_member_user_idx').on(t.userId)],
);

export const requestType = pgTable(
  'request_type',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id),
    slug: text('slug').notNull(),
    names: jsonb('names').$type<Localized>().notNull(),
    descriptions: jsonb('descriptions').$type<Localized>().notNull(),
    underSla: boolean('under_sla').notNull().default(true),
    requiresFlexContract: boolean('requires_flex_contract').notNull().default(false),
    requiresProject: boolean('requires_project').notNull().default(false),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('request_type_desk_slug_idx').on(t.deskId, t.slug)],
);

export const project = pgTable(
  'project',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    name: text('name').notNull(),
    code: text('code'),
    /** active or closed */
    status: text('status', { enum: PROJECT_STATUSES }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('project_organization_idx').on(t.organizationId, t.status), oneOf('project_status_check', t.status, PROJECT_STATUSES)],
);

/** The Flex contract of an organization is a series of validity windows; it is active while today is inside one. */
export const flexContractWindow = pgTable(
  'flex_contract_window',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('flex_contract_window_org_idx').on(t.organizationId, t.startsOn)],
);

/* ---- Requests (tickets) ---- */

/** A PostgreSQL text-search vector; read back as its text form (lists never select it). */
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

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

export const attachment = pgTable(
  'attachment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null while uploaded but not yet attached to a request. */
    ticketId: uuid('ticket_id').references(() => ticket.id),
    messageId: uuid('message_id').references(() => ticketMessage.id),
    uploaderId: text('uploader_id')
      .notNull()
      .references(() => user.id),
    /** The name the user gave, for display only; the file on disk is named by the id. */
    fileName: text('file_name').notNull(),
    /** Detected from the content, not from the name or the browser. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** Attached to an internal note: agents only. */
    internal: boolean('internal').notNull().default(false),
    /** The organization whose storage quota the file counts against (a customer's upload); null for staff uploads. */
    organizationId: uuid('organization_id').references(() => organization.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('attachment_ticket_idx').on(t.ticketId),
    index('attachment_uploader_pending_idx').on(t.uploaderId).where(sql`ticket_id is null`),
    // The storage an organization uses (index-only sum), and the uploads never attached (the sweep).
    index('attachment_organization_size_idx').on(t.organizationId, t.size),
    index('attachment_pending_created_idx').on(t.createdAt).where(sql`ticket_id is null`),
  ],
);

/**
 * The first answer to a creating POST sent with an `Idempotency-Key` (per user, kept 24 h): the same key
 * and body return it again; another body with the same key is refused.
 */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** Method and path of the request (`POST /api/requests`). */
    route: text('route').notNull(),
    /** SHA-256 of the request body. */
    bodyHash: text('body_hash').notNull(),
    /** Null while the first request is still being handled. */
    statusCode: integer('status_code'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_key_created_idx').on(t.createdAt)],
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

/* ---- Saved views of the agent workspace ---- */

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

/* ---- SLA (DESIGN.md §2 "SLA", "Business calendar") ---- */

/** The business calendar: one row (id 1), a CalendarConfig validated by calendarConfigSchema. */
export const slaCalendar = pgTable('sla_calendar', {
  id: smallint('id').primaryKey(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedById: text('updated_by_id').references(() => user.id, { onDelete: 'set null' }),
});

/** Business minutes per criticality: engagement and resolution. */
export type SlaTargets = Record<'critical' | 'high' | 'medium' | 'low', { engagement: number; resolution: number }>;

/** Append-only: each change of a request type's targets is a new version; clocks keep the version they started under. */
export const slaPolicy = pgTable(
  'sla_policy',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestTypeId: uuid('request_type_id')
      .notNull()
      .references(() => requestType.id),
    version: integer('version').notNull(),
    targets: jsonb('targets').$type<SlaTargets>().notNull(),
    createdAt: ts('created_at').notNull(),
    createdById: text('created_by_id').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('sla_policy_type_version_idx').on(t.requestTypeId, t.version)],
);

/**
 * One clock of a request: engagement (cycle 1) or resolution (a new cycle per reopen). Elapsed and
 * paused time are derived from its events; the threshold instants of a running clock are stored,
 * null when stopped or paused, so the sweep reads only the due clocks through partial indexes.
 */
export const slaClock = pgTable(
  'sla_clock',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id),
    kind: text('kind', { enum: CLOCK_KINDS }).notNull(),
    cycle: integer('cycle').notNull(),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => slaPolicy.id),
    criticality: text('criticality', { enum: CRITICALITIES }).notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: ts('started_at').notNull(),
    /** Set while paused (waiting for the customer). */
    pausedAt: ts('paused_at'),
    stoppedAt: ts('stopped_at'),
    /** Null while running. */
    outcome: text('outcome', { enum: CLOCK_OUTCOMES }),
    /** 75 % of the target. */
    warnAt: ts('warn_at'),
    deadline: ts('deadline'),
    /** Twice the target. */
    level3At: ts('level3_at'),
    warnedAt: ts('warned_at'),
    breachNotifiedAt: ts('breach_notified_at'),
    level3NotifiedAt: ts('level3_notified_at'),
  },
  (t) => [
    uniqueIndex('sla_clock_ticket_kind_cycle_idx').on(t.ticketId, t.kind, t.cycle),
    index('sla_clock_deadline_idx').on(t.deadline),
    index('sla_clock_warn_due_idx').on(t.warnAt).where(sql`warned_at is null and warn_at is not null`),
    index('sla_clock_breach_due_idx').on(t.deadline).where(sql`breach_notified_at is null and deadline is not null`),
    index('sla_clock_level3_due_idx').on(t.level3At).where(sql`level3_notified_at is null and level3_at is not null`),
    index('sla_clock_running_idx').on(t.id).where(sql`stopped_at is null`),
    /** The SLA report: judged clocks by the instant they stopped. */
    index('sla_clock_judged_idx').on(t.stoppedAt).where(sql`outcome in ('met', 'breached')`),
    // The workspace: sort by the next running deadline and the "breached" queue; the "at risk" queue.
    // A stopped clock has no thresholds, so "not null" alone means "not stopped": one predicate the
    // planner estimates well (with two, it multiplies their frequencies and sorts instead of walking).
    index('sla_clock_running_deadline_idx').on(t.deadline, t.ticketId).where(sql`deadline is not null`),
    index('sla_clock_running_warn_idx').on(t.warnAt, t.ticketId).where(sql`warn_at is not null`),
    oneOf('sla_clock_kind_check', t.kind, CLOCK_KINDS),
    oneOf('sla_clock_criticality_check', t.criticality, CRITICALITIES),
    oneOf('sla_clock_outcome_check', t.outcome, CLOCK_OUTCOMES),
  ],
);

/** Append-only history of a clock: start, pause, resume, stop, retarget, new_cycle. */
export const slaClockEvent = pgTable(
  'sla_clock_event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clockId: uuid('clock_id')
      .notNull()
      .references(() => slaClock.id),
    at: ts('at').notNull(),
    kind: text('kind', { enum: CLOCK_EVENT_KINDS }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('sla_clock_event_clock_idx').on(t.clockId, t.at), oneOf('sla_clock_event_kind_check', t.kind, CLOCK_EVENT_KINDS)],
);

/* ---- Escalation matrix (DESIGN.md §2) ---- */

/** Per desk and level (1 Customer Services, 2 head of Customer Services, 3 management): when to call them. */
export const escalationLevel = pgTable(
  'escalation_level',
  {
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id, { onDelete: 'cascade' }),
    level: smallint('level').notNull(),
    whenToCall: jsonb('when_to_call').$type<Localized>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.deskId, t.level] })],
);

export const escalationContact = pgTable(
  'escalation_contact',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id, { onDelete: 'cascade' }),
    level: smallint('level').notNull(),
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    role: text('role').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    /** The language of the escalation e-mails this contact receives. */
    language: text('language', { enum: LANGUAGES }).notNull().default('fr'),
  },
  (t) => [index('escalation_contact_desk_idx').on(t.deskId, t.level, t.position), oneOf('escalation_contact_language_check', t.language, LANGUAGES)],
);
