/**
 * Automatic closure (DESIGN.md §2): rules per desk and each request's countdown.
 */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { LIFECYCLE_ACTIONS } from '#shared/lifecycle-api.ts';
import { user } from './accounts.ts';
import { desk } from './catalog.ts';
import { oneOf, ts } from './columns.ts';
import { ticket } from './tickets.ts';

/** Closure rules of a desk; a desk without a row follows DESIGN.md's defaults. */
export const lifecycleRule = pgTable('lifecycle_rule', {
  deskId: uuid('desk_id')
    .primaryKey()
    .references(() => desk.id),
  /** Business days of waiting for the customer before the first and second reminder, and the automatic resolution. */
  firstReminderDays: integer('first_reminder_days').notNull(),
  secondReminderDays: integer('second_reminder_days').notNull(),
  resolveDays: integer('resolve_days').notNull(),
  /** Calendar days after resolution before the request closes. */
  closeDays: integer('close_days').notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedById: text('updated_by_id').references(() => user.id),
});

/**
 * The countdown of one request: the next automatic step and its instant. Recomputed in the
 * transaction of every status change and public reply; the sweep reads the due rows through the
 * partial index and performs each step once, with the next step's computation, in one transaction.
 */
export const ticketLifecycle = pgTable(
  'ticket_lifecycle',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => ticket.id),
    /** reminder_1, reminder_2, resolve, close; null when nothing automatic is pending. */
    nextAction: text('next_action', { enum: LIFECYCLE_ACTIONS }),
    dueAt: ts('due_at'),
    /** When the current countdown started (start of the wait, or the resolution). */
    since: ts('since'),
    /** Set when the request was resolved by the countdown rather than by a person. */
    autoResolvedAt: ts('auto_resolved_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('ticket_lifecycle_due_idx').on(t.dueAt).where(sql`next_action is not null`),
    oneOf('ticket_lifecycle_next_action_check', t.nextAction, LIFECYCLE_ACTIONS),
  ],
);
