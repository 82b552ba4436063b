/**
 * Outgoing mail: the outbox the delivery worker reads.
 */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { OUTBOX_STATUSES } from '#shared/api.ts';
import { LANGUAGES } from '#shared/domain.ts';
import { oneOf, ts } from './columns.ts';

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
