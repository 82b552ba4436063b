/**
 * In-app notifications and e-mail preferences.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { type Localized, ts } from './columns.ts';
import { outbox } from './mail.ts';
import { ticket } from './tickets.ts';

/** One in-app notification of one user about one request, written with its e-mail by enqueueMail. */
export const notification = pgTable(
  'notification',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => ticket.id, { onDelete: 'cascade' }),
    /** The e-mail written with it; null when the user turned that kind of e-mail off. */
    outboxId: uuid('outbox_id').references(() => outbox.id, { onDelete: 'set null' }),
    template: text('template').notNull(),
    /** The e-mail's subject, in the user's language when it was written. */
    title: text('title').notNull(),
    /** The same title in every language, so it is shown in the reader's current one; null on rows written before. */
    titles: jsonb('titles').$type<Localized>(),
    /** Path in the app (from the e-mail's link). */
    link: text('link').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [
    index('notification_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    // The bell's unread count reads only this partial index.
    index('notification_unread_idx').on(t.userId).where(sql`read_at is null`),
  ],
);

/** A user's choice for one category of non-essential e-mail; no row means the default (sent). */
export const notificationPreference = pgTable(
  'notification_preference',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    email: boolean('email').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category] })],
);
