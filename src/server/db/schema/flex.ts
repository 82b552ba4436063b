/**
 * Flex (DESIGN.md §2 "Flex"): purchases, time entries, billing runs and the ledger.
 *
 * Amounts are whole minutes (integers). The balance of an organization is never stored: it is the
 * sum of its purchases minus the sum of its ledger, both append-only.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { BILLING_TRIGGERS, LEDGER_KINDS } from '#shared/flex-api.ts';
import { user } from './accounts.ts';
import { oneOf, ts } from './columns.ts';
import { organization } from './organizations.ts';
import { ticket } from './tickets.ts';

export const flexPurchase = pgTable(
  'flex_purchase',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    purchasedOn: date('purchased_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    reference: text('reference').notNull(),
    createdById: text('created_by_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('flex_purchase_org_idx').on(t.organizationId, t.purchasedOn.desc()), check('flex_purchase_minutes_positive', sql`${t.minutes} > 0`)],
);

/** Time an agent spent on a request. Editable by its author until billed; after that, only reversed. */
export const timeEntry = pgTable(
  'time_entry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id, { onDelete: 'cascade' }),
    /** The request's organization, kept here so balances and statements read one table. */
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => user.id),
    workedOn: date('worked_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    description: text('description').notNull(),
    billable: boolean('billable').notNull(),
    /** Billed against the Flex balance (set with its ledger line, in the same transaction). */
    billedAt: ts('billed_at'),
    reversedAt: ts('reversed_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('time_entry_ticket_idx').on(t.ticketId, t.workedOn, t.id),
    index('time_entry_org_idx').on(t.organizationId, t.workedOn),
    // What the next billing run picks up: the billable entries not yet billed.
    index('time_entry_unbilled_idx').on(t.organizationId, t.workedOn).where(sql`billable and billed_at is null`),
    check('time_entry_minutes_positive', sql`${t.minutes} > 0`),
  ],
);

/** One billing run: monthly (scheduled) or on demand by an administrator. */
export const billingRun = pgTable(
  'billing_run',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    /** Only this organization, or every one when null. */
    organizationId: uuid('organization_id').references(() => organization.id),
    trigger: text('trigger', { enum: BILLING_TRIGGERS }).notNull(),
    actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
    ranAt: ts('ran_at').notNull(),
    entries: integer('entries').notNull(),
    minutes: integer('minutes').notNull(),
  },
  (t) => [index('billing_run_ran_idx').on(t.ranAt.desc(), t.id.desc()), oneOf('billing_run_trigger_check', t.trigger, BILLING_TRIGGERS)],
);

/**
 * The append-only ledger: what was drawn from (charge, positive minutes) or given back to (reversal,
 * negative minutes) an organization's balance, per request. Never updated, never deleted.
 */
export const flexLedgerEntry = pgTable(
  'flex_ledger_entry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    minutes: integer('minutes').notNull(),
    billingRunId: uuid('billing_run_id').references(() => billingRun.id),
    /** Staff's note (a reversal's reason); customers never see it. */
    note: text('note'),
    /** What the customer reads about this entry (a reversal's reason written for them), or nothing. */
    customerNote: text('customer_note'),
    actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
    postedAt: ts('posted_at').notNull(),
  },
  (t) => [
    index('flex_ledger_org_posted_idx').on(t.organizationId, t.postedAt, t.id),
    index('flex_ledger_ticket_idx').on(t.ticketId),
    index('flex_ledger_posted_idx').on(t.postedAt, t.id),
    oneOf('flex_ledger_entry_kind_check', t.kind, LEDGER_KINDS),
  ],
);

/** The time entries behind a ledger entry. A time entry is charged at most once and reversed at most once. */
export const flexLedgerLine = pgTable(
  'flex_ledger_line',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ledgerEntryId: uuid('ledger_entry_id')
      .notNull()
      .references(() => flexLedgerEntry.id),
    timeEntryId: uuid('time_entry_id')
      .notNull()
      .references(() => timeEntry.id),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    minutes: integer('minutes').notNull(),
  },
  (t) => [
    uniqueIndex('flex_ledger_line_once_idx').on(t.timeEntryId, t.kind),
    index('flex_ledger_line_entry_idx').on(t.ledgerEntryId),
    oneOf('flex_ledger_line_kind_check', t.kind, LEDGER_KINDS),
  ],
);
