/**
 * SLA policies and clocks (DESIGN.md §2 "SLA").
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CLOCK_EVENT_KINDS, CLOCK_KINDS, CLOCK_OUTCOMES } from '#shared/sla-api.ts';
import { CRITICALITIES } from '#shared/tickets.ts';
import { user } from './accounts.ts';
import { requestType } from './catalog.ts';
import { oneOf, ts } from './columns.ts';
import { ticket } from './tickets.ts';

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
