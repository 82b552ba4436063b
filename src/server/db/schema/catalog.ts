/**
 * Desks, their members and request types.
 */
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { type Localized, createdAt, ts } from './columns.ts';

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
  /** The desk's own e-mail address (support@…): a mail sent to it opens a request of `inboundRequestTypeId`. */
  inboundAddress: text('inbound_address').unique(),
  /** The request type of a request opened by e-mail (null: the desk's first active type that needs no project or contract). */
  inboundRequestTypeId: uuid('inbound_request_type_id'),
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
