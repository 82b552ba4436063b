/**
 * The satisfaction survey.
 */
import { sql } from 'drizzle-orm';
import { index, pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { desk } from './catalog.ts';
import { ts } from './columns.ts';
import { ticket } from './tickets.ts';

/** One satisfaction survey per closed request, answered once by its reporter (DESIGN.md §1). */
export const satisfactionSurvey = pgTable(
  'satisfaction_survey',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => ticket.id),
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desk.id),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => user.id),
    askedAt: ts('asked_at').notNull(),
    rating: smallint('rating'),
    comment: text('comment'),
    answeredAt: ts('answered_at'),
  },
  (t) => [index('satisfaction_survey_answered_idx').on(t.answeredAt, t.deskId).where(sql`answered_at is not null`)],
);
