/** Request (ticket) shapes of the API. Customers get the same shapes with everything internal left out. */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';
import { criticalitySchema, statusSchema } from './tickets.ts';

const isoDate = z.iso.datetime({ offset: true });

export const ticketKeySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2,6}-[1-9]\d{0,8}$/, 'A request key looks like SUP-12');
export const ticketKeyParamsSchema = z.object({ key: ticketKeySchema });

export const summarySchema = z.string().trim().min(1, 'The summary is required').max(255);
export const bodySchema = z.string().trim().min(1).max(50_000);
const reasonSchema = z.string().trim().min(1).max(2000);
const attachmentIds = z.array(z.uuid()).max(20).default([]);

export const createTicketSchema = z.strictObject({
  requestTypeId: z.uuid(),
  summary: summarySchema,
  description: bodySchema,
  criticality: criticalitySchema,
  projectId: z.uuid().nullable().default(null),
  attachmentIds,
  /** Agents open a request on a customer's behalf: the customer is the reporter. Customers leave it out. */
  reporterId: z.string().min(1).max(100).optional(),
  participantIds: z.array(z.string().min(1).max(100)).max(50).default([]),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;

export const personRefSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'PersonRef' });
const namedRef = z.object({ id: z.uuid(), name: z.string() });

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    messageId: z.uuid().nullable(),
    internal: z.boolean(),
    createdAt: isoDate,
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

export const messageSchema = z
  .object({
    id: z.uuid(),
    author: personRefSchema.extend({ staff: z.boolean() }),
    visibility: z.enum(['public', 'internal']),
    body: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: 'TicketMessage' });

export const historyEntrySchema = z
  .object({
    id: z.uuid(),
    at: isoDate,
    actor: personRefSchema.nullable(),
    field: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'TicketHistoryEntry' });

export const ticketPermissionsSchema = z.object({
  reply: z.boolean(),
  addInternalNote: z.boolean(),
  /** The statuses this viewer may move the request to. */
  transitions: z.array(statusSchema),
  qualify: z.boolean(),
  changeCriticality: z.boolean(),
  assign: z.boolean(),
  move: z.boolean(),
  addParticipant: z.boolean(),
});

export const ticketSummarySchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    summary: z.string(),
    criticality: criticalitySchema,
    status: statusSchema,
    /** The status in the viewer's words and language. */
    statusLabel: z.string(),
    desk: namedRef,
    requestType: namedRef,
    organization: namedRef,
    reporter: personRefSchema,
    assignee: personRefSchema.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'TicketSummary' });
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const ticketDetailSchema = ticketSummarySchema
  .extend({
    description: z.string(),
    project: namedRef.nullable(),
    createdBy: personRefSchema,
    participants: z.array(personRefSchema.extend({ email: z.string() })),
    qualifiedAt: isoDate.nullable(),
    resolvedAt: isoDate.nullable(),
    closedAt: isoDate.nullable(),
    messages: z.array(messageSchema),
    attachments: z.array(attachmentSchema),
    history: z.array(historyEntrySchema),
    permissions: ticketPermissionsSchema,
  })
  .meta({ id: 'TicketDetail' });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export const ticketListQuerySchema = listQuerySchema.extend({
  /** mine: I reported or take part; organization: my organization's (customers); desks: my desks' (agents; all desks for administrators). */
  scope: z.enum(['mine', 'organization', 'desks']).default('mine'),
  state: z.enum(['open', 'all']).default('all'),
  deskId: z.uuid().optional(),
});

export const transitionSchema = z.strictObject({ to: statusSchema, reason: reasonSchema.optional() });

export const qualifySchema = z.strictObject({
  requestTypeId: z.uuid().optional(),
  criticality: criticalitySchema.optional(),
  /** Required when the criticality is lowered: the customer is told why. */
  reason: reasonSchema.optional(),
});

export const updateTicketSchema = z.strictObject({
  criticality: criticalitySchema.optional(),
  reason: reasonSchema.optional(),
  assigneeId: z.string().min(1).max(100).nullable().optional(),
  requestTypeId: z.uuid().optional(),
});

export const moveTicketSchema = z.strictObject({ deskId: z.uuid(), requestTypeId: z.uuid(), projectId: z.uuid().optional() });

export const createMessageSchema = z.strictObject({
  body: bodySchema,
  visibility: z.enum(['public', 'internal']).default('public'),
  attachmentIds,
});

export const addParticipantSchema = z.strictObject({ userId: z.string().min(1).max(100) });
export const participantParamsSchema = z.object({ key: ticketKeySchema, userId: z.string().min(1).max(100) });

export const memberSchema = z.object({ id: z.string(), name: z.string(), email: z.string() }).meta({ id: 'OrganizationMember' });
export const membersQuerySchema = z.strictObject({ organizationId: z.uuid().optional() });
