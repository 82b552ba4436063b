/**
 * Inbound e-mail (the e-mail channel): the log of every message received, the triage queue of
 * mail no request could be opened for, and the desks' addresses. Schemas first: the server
 * validates and documents with them, the web app reads the same types.
 */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';
import { criticalitySchema } from './enums.ts';

const isoDate = z.iso.datetime({ offset: true });

/** How a message reached Guichet. */
export const INBOUND_SOURCES = ['smtp', 'imap'] as const;
export type InboundSource = (typeof INBOUND_SOURCES)[number];

/**
 * received: stored, not processed yet (a crash after storing leaves it here; the sweep processes it);
 * processed: became a message or a request; ignored: noise (an auto-reply, a bounce, our own mail,
 * too many from one sender), recorded and not answered; refused: the sender may not write there
 * (answered once, politely); triage: held for an agent (an unknown sender at a desk's address);
 * dismissed: an agent dropped it from triage; failed: could not be processed (an administrator may
 * re-process it).
 */
export const INBOUND_STATUSES = ['received', 'processed', 'ignored', 'refused', 'triage', 'dismissed', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
export const inboundStatusSchema = z.enum(INBOUND_STATUSES);

/** Which rule tied a message to its request, in the order they are tried. */
export const INBOUND_MATCHES = ['reply_address', 'thread', 'subject', 'desk_address'] as const;
export type InboundMatch = (typeof INBOUND_MATCHES)[number];

/**
 * Why a message was ignored, refused, held or failed (translated in the administration):
 * auto_reply, bounce, own_message, rate_limited — noise; not_allowed — the sender may not write on
 * that request; unknown_sender — no account has this address; no_request — nothing names a request
 * and it was not sent to a desk's address; request_refused — the request could not be opened (the
 * detail says why); unreadable — the message could not be parsed; error — processing failed.
 */
export const INBOUND_REASONS = [
  'auto_reply',
  'bounce',
  'own_message',
  'rate_limited',
  'not_allowed',
  'unknown_sender',
  'no_request',
  'request_refused',
  'unreadable',
  'error',
] as const;
export type InboundReason = (typeof INBOUND_REASONS)[number];

/** An attachment of a received message that was not kept (too large, a refused type, over the quota). */
export const refusedAttachmentSchema = z.object({
  fileName: z.string(),
  size: z.number().int(),
  /** The error code an upload of the same file gets (attachment.too_large, attachment.type_refused…). */
  code: z.string(),
});
export type RefusedAttachment = z.infer<typeof refusedAttachmentSchema>;

export const inboundMessageSchema = z
  .object({
    id: z.uuid(),
    source: z.enum(INBOUND_SOURCES),
    /** The Message-ID header (one message however often it is delivered). */
    messageId: z.string(),
    from: z.string(),
    fromName: z.string().nullable(),
    to: z.array(z.string()),
    subject: z.string(),
    receivedAt: isoDate,
    status: inboundStatusSchema,
    reason: z.enum(INBOUND_REASONS).nullable(),
    /** More about the reason, or the error of a failed message. */
    detail: z.string().nullable(),
    matchedBy: z.enum(INBOUND_MATCHES).nullable(),
    /** The request the message was posted on, or opened. */
    ticketKey: z.string().nullable(),
    /** The request was opened by this message (a new request, or the follow-up of a closed one). */
    openedRequest: z.boolean(),
    attempts: z.number().int(),
    processedAt: isoDate.nullable(),
    refusedAttachments: z.array(refusedAttachmentSchema),
    size: z.number().int(),
  })
  .meta({ id: 'InboundMessage' });
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const inboundMessageDetailSchema = inboundMessageSchema
  .extend({
    /** The whole text as received, quoted history and signature included. */
    text: z.string(),
    /** The headers that decide matching and loop detection. */
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
  })
  .meta({ id: 'InboundMessageDetail' });
export type InboundMessageDetail = z.infer<typeof inboundMessageDetailSchema>;

export const inboundListQuerySchema = listQuerySchema.extend({ status: inboundStatusSchema.optional() });

/** An e-mail held for an agent: from an unknown address, or one a request could not be opened for. */
export const triageItemSchema = z
  .object({
    id: z.uuid(),
    from: z.string(),
    fromName: z.string().nullable(),
    subject: z.string(),
    /** The text as received (quoted history stripped), to decide on. */
    text: z.string(),
    receivedAt: isoDate,
    deskId: z.uuid().nullable(),
    reason: z.enum(INBOUND_REASONS).nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'InboundTriageItem' });
export type TriageItem = z.infer<typeof triageItemSchema>;

export const triageListQuerySchema = listQuerySchema.extend({ deskId: z.uuid().optional() });

/** Opens a request from a held e-mail, for a customer the agent chooses (the sender's colleague, or an account just invited). */
export const openFromTriageSchema = z.strictObject({
  reporterId: z.string().min(1).max(100),
  requestTypeId: z.uuid(),
  criticality: criticalitySchema.default('medium'),
  projectId: z.uuid().nullish(),
});
export type OpenFromTriageInput = z.input<typeof openFromTriageSchema>;

export const reprocessResultSchema = inboundMessageSchema;

/** The original of a message that arrived by e-mail: what the sender wrote before quotes and signature were cut. */
export const messageOriginalSchema = z
  .object({
    from: z.string(),
    subject: z.string(),
    receivedAt: isoDate,
    text: z.string(),
  })
  .meta({ id: 'MessageOriginal' });
export type MessageOriginal = z.infer<typeof messageOriginalSchema>;

/** A desk's own address (support@…): mail to it opens a request of its type for e-mail. */
export const deskInboundAddressSchema = z.email().max(254).toLowerCase();
