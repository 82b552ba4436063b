/**
 * Attachments of requests and messages.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { user } from './accounts.ts';
import { ts } from './columns.ts';
import { organization } from './organizations.ts';
import { ticket, ticketMessage } from './tickets.ts';

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
