/**
 * Inbound e-mail: every message received, its source stored as it came (a file beside the attachments) before anything is done with it.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { INBOUND_MATCHES, INBOUND_REASONS, INBOUND_SOURCES, INBOUND_STATUSES, type RefusedAttachment } from '#shared/inbound-api.ts';
import { desk } from './catalog.ts';
import { ticket } from './tickets.ts';
import { oneOf, ts } from './columns.ts';

export const inboundMessage = pgTable(
  'inbound_message',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source', { enum: INBOUND_SOURCES }).notNull(),
    /** The Message-ID header, or one derived from the content when a message has none: the same message is stored once. */
    messageId: text('message_id').notNull().unique(),
    fromAddress: text('from_address').notNull(),
    fromName: text('from_name'),
    /** Every address it was sent to (To, Cc, and the envelope's recipients). */
    toAddresses: jsonb('to_addresses').$type<string[]>().notNull(),
    subject: text('subject').notNull(),
    /** Bytes of the MIME source, kept as received in DATA_DIR/inbound/<id>.eml (inbound/raw-store.ts). */
    size: integer('size').notNull(),
    /** The whole text as received (quotes and signature included), written when processed. */
    text: text('text'),
    receivedAt: ts('received_at').notNull(),
    status: text('status', { enum: INBOUND_STATUSES }).notNull(),
    reason: text('reason', { enum: INBOUND_REASONS }),
    detail: text('detail'),
    matchedBy: text('matched_by', { enum: INBOUND_MATCHES }),
    ticketId: uuid('ticket_id').references(() => ticket.id),
    /** The request message it became (its original is shown from here). */
    ticketMessageId: uuid('ticket_message_id'),
    openedRequest: boolean('opened_request').notNull().default(false),
    /** The desk whose address it was sent to (new requests, triage). */
    deskId: uuid('desk_id').references(() => desk.id),
    attempts: integer('attempts').notNull().default(0),
    processedAt: ts('processed_at'),
    /** A process working on it holds it until then; after a crash the lease runs out and the sweep takes it. */
    claimedUntil: ts('claimed_until'),
    refusedAttachments: jsonb('refused_attachments').$type<RefusedAttachment[]>().notNull().default([]),
  },
  (t) => [
    index('inbound_message_received_idx').on(t.receivedAt.desc(), t.id.desc()),
    index('inbound_message_status_received_idx').on(t.status, t.receivedAt.desc(), t.id.desc()),
    index('inbound_message_pending_idx').on(t.receivedAt).where(sql`status = 'received'`),
    index('inbound_message_triage_idx').on(t.deskId, t.receivedAt.desc(), t.id.desc()).where(sql`status = 'triage'`),
    index('inbound_message_ticket_message_idx').on(t.ticketMessageId).where(sql`ticket_message_id is not null`),
    oneOf('inbound_message_source_check', t.source, INBOUND_SOURCES),
    oneOf('inbound_message_status_check', t.status, INBOUND_STATUSES),
    oneOf('inbound_message_reason_check', t.reason, INBOUND_REASONS),
    oneOf('inbound_message_matched_by_check', t.matchedBy, INBOUND_MATCHES),
  ],
);
