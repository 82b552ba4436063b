/**
 * The escalation matrix (DESIGN.md §2).
 */
import { index, integer, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { LANGUAGES } from '#shared/domain.ts';
import { desk } from './catalog.ts';
import { type Localized, oneOf } from './columns.ts';

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
