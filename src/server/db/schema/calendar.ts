/**
 * The business calendar (DESIGN.md §2 "Business calendar"): one row.
 */
import { jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { ts } from './columns.ts';

/** The business calendar: one row (id 1), a CalendarConfig validated by calendarConfigSchema. */
export const slaCalendar = pgTable('sla_calendar', {
  id: smallint('id').primaryKey(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedById: text('updated_by_id').references(() => user.id, { onDelete: 'set null' }),
});
