/** Request (ticket) shapes of the API. Customers get the same shapes with everything internal left out. */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';
import { criticalitySchema, statusSchema } from './enums.ts';
import { CRITICALITIES, CUSTOMER_STATUSES, STATUSES } from './tickets.ts';
import { SLA_CLOCK_STATES, ticketSlaSchema } from './sla-api.ts';

/** A request's status in an answer: what the API reference says of it. */
export const viewerStatusSchema = statusSchema.meta({
  description: `The request's status. Customers get the status as they know it, one of ${CUSTOMER_STATUSES.join(', ')}: waiting_third_party is in_progress to them.`,
});

const isoDate = z.iso.datetime({ offset: true });

export const ticketKeySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2,6}-[1-9]\d{0,8}$/, 'A request key looks like SUP-12');
export const ticketKeyParamsSchema = z.object({ key: ticketKeySchema });

/** Limits of what people write; a longer text is refused (naming the limit), never cut. */
export const SUMMARY_MAX = 255;
export const BODY_MAX = 50_000;
export const REASON_MAX = 2000;

export const summarySchema = z.string().trim().min(1, 'The summary is required').max(SUMMARY_MAX);
export const bodySchema = z.string().trim().min(1).max(BODY_MAX);
const reasonSchema = z.string().trim().min(1).max(REASON_MAX);
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
/** Creation answers with the new request's identity (and a Location header); its page is `GET /api/requests/{key}`. */
export const createdTicketSchema = z.object({ id: z.uuid(), key: z.string() }).meta({ id: 'CreatedRequest' });
export type CreatedTicket = z.infer<typeof createdTicketSchema>;

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

/** The largest upload the server accepts (ATTACHMENT_MAX_MB), so that the web checks a file before sending it. */
export const attachmentLimitsSchema = z.object({ maxBytes: z.number().int() }).meta({ id: 'AttachmentLimits' });
export type AttachmentLimits = z.infer<typeof attachmentLimitsSchema>;

/** public: seen by the customer; internal: agents only. */
export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

export const messageSchema = z
  .object({
    id: z.uuid(),
    author: personRefSchema.extend({ staff: z.boolean() }),
    visibility: z.enum(MESSAGE_VISIBILITIES),
    body: z.string(),
    /** It arrived by e-mail: its original (quotes and signature included) can be read. */
    byEmail: z.boolean(),
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
  .meta({
    id: 'TicketHistoryEntry',
    description:
      'One change of the request. Customers get the changes they can see only: statuses as they know them (a change between two statuses they read the same, in_progress and waiting_third_party, is left out), ' +
      'no assignment or SLA entries, and a reason only when it was written for them (a criticality change) or by a customer; Customer Services’ reasons for a status stay theirs (null).',
  });

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
  /** May remove any participant (staff, the reporter). */
  removeParticipants: z.boolean(),
  /** May leave the request (a participant removing themself). */
  leave: z.boolean(),
});

/** One SLA clock as the workspace list shows it: its state, deadline and remaining business time. */
export const slaClockBriefSchema = z
  .object({
    /** at_risk: running at 75 % of the target or more; breached: past the target (running or stopped). */
    state: z.enum(SLA_CLOCK_STATES),
    /** Null while paused or stopped. */
    deadline: isoDate.nullable(),
    /** Business minutes left before the deadline; negative once breached. */
    remainingMinutes: z.number().int(),
    targetMinutes: z.number().int(),
  })
  .meta({ id: 'SlaClockBrief' });
export type SlaClockBrief = z.infer<typeof slaClockBriefSchema>;

export const ticketSummarySchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    summary: z.string(),
    criticality: criticalitySchema,
    status: viewerStatusSchema,
    /** The status in the viewer's words and language. */
    statusLabel: z.string(),
    desk: namedRef,
    requestType: namedRef,
    organization: namedRef,
    reporter: personRefSchema,
    assignee: personRefSchema.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate.meta({
      description:
        'The last change. Customers get the last change they can see (a public reply, a status they see change, the criticality, participants, the desk or type); an internal note, an assignment or SLA bookkeeping does not move it for them.',
    }),
    /**
     * With a search (`q`): where the words were found, as HTML — the text is escaped and only the
     * matches are wrapped in <mark>…</mark>.
     */
    snippet: z.string().optional(),
    /** Agents, in the workspace list: both clocks of the current cycle; null when the request is not under SLA. */
    sla: z.object({ engagement: slaClockBriefSchema.nullable(), resolution: slaClockBriefSchema.nullable() }).nullable().optional(),
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
    /** SLA clocks (agents) and commitments (everyone); null when the request type is not under SLA. */
    sla: ticketSlaSchema.nullable().optional(),
  })
  .meta({ id: 'TicketDetail' });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

/** The queues of the agent workspace. */
export const QUEUES = [
  'to_qualify',
  'mine',
  'unassigned',
  'waiting_customer',
  'waiting_third_party',
  'all_open',
  'recently_resolved',
  'sla_at_risk',
  'sla_breached',
] as const;
export const queueSchema = z.enum(QUEUES);
export type Queue = z.infer<typeof queueSchema>;
/** How many days a resolved or closed request stays in "recently resolved". */
export const RECENTLY_RESOLVED_DAYS = 14;

export const TICKET_SORTS = ['updated', 'created', 'criticality', 'sla_deadline'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const SEARCH_MAX = 200;

/** A filter given as a comma list, repeated, or both (`status=open,qualified&status=in_progress`); an unknown value is a 400 naming the filter. */
const listOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.string(), z.array(z.string()).max(20)]).transform((given, ctx) => {
    const items = [given]
      .flat()
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = items.find((item) => !(values as readonly string[]).includes(item));
    if (unknown !== undefined || items.length === 0) {
      ctx.addIssue({ code: 'custom', message: unknown !== undefined ? `unknown value “${unknown.slice(0, 40)}”; expected ${values.join(', ')}` : 'empty' });
      return z.NEVER;
    }
    return [...new Set(items)] as T[number][];
  });

export const ticketListQuerySchema = listQuerySchema.extend({
  /**
   * mine: I reported or take part (agents: assigned to me); organization: my organization's
   * (customers); desks: my desks' (agents; all desks for administrators). Default: mine, or desks
   * for staff asking for a queue.
   */
  scope: z.enum(['mine', 'organization', 'desks']).optional(),
  state: z.enum(['open', 'all']).default('all'),
  /** Staff: one of the workspace queues. */
  queue: queueSchema.optional(),
  deskId: z.uuid().optional(),
  requestTypeId: z.uuid().optional(),
  criticality: listOf(CRITICALITIES).optional(),
  status: listOf(STATUSES)
    .meta({
      description: `Statuses, as a comma list or repeated. Customers filter on the statuses they know (${CUSTOMER_STATUSES.join(', ')}): in_progress finds the requests waiting for a third party too, and waiting_third_party is refused (400).`,
    })
    .optional(),
  /** Staff. */
  organizationId: z.uuid().optional(),
  /** Staff: a user id, or `none` for unassigned requests. */
  assigneeId: z.string().trim().min(1).max(100).optional(),
  /** Ranges: from inclusive, to exclusive (updated: the last change the caller can see, as `updatedAt`). */
  createdFrom: isoDate.optional(),
  createdTo: isoDate.optional(),
  updatedFrom: isoDate.optional(),
  updatedTo: isoDate.optional(),
  sort: z
    .enum(TICKET_SORTS)
    .meta({
      description:
        'updated: last change first (customers: the last change they can see, so an internal note moves nothing for them); created: newest first; criticality: most critical first, then newest; ' +
        'sla_deadline: the soonest running SLA deadline first, then the requests without one, newest first. Default: created; with `q`, only updated.',
    })
    .optional(),
  /** Full-text search in fr, de and en (agents: internal notes too); results by last change. */
  q: z.string().trim().max(SEARCH_MAX).optional(),
});
export type TicketListQuery = z.infer<typeof ticketListQuerySchema>;

export const queueCountsQuerySchema = z.strictObject({ deskId: z.uuid().optional() });
export const queueCountsSchema = z.object({ items: z.array(z.object({ queue: queueSchema, count: z.number().int() })) }).meta({ id: 'QueueCounts' });
export type QueueCounts = z.infer<typeof queueCountsSchema>;

/* Saved views: a named query string of the list's filters. */
export const SAVED_VIEW_QUERY_MAX = 2000;
export const SAVED_VIEW_NAME_MAX = 80;
export const savedViewSchema = z.object({ id: z.uuid(), name: z.string(), query: z.string(), createdAt: isoDate }).meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof savedViewSchema>;
export const createSavedViewSchema = z.strictObject({
  name: z.string().trim().min(1).max(SAVED_VIEW_NAME_MAX),
  /** The list's query string (a leading "?" is dropped); it must be a valid list query. */
  query: z.string().trim().max(SAVED_VIEW_QUERY_MAX),
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

/** The answer to a move that takes the request out of the agent's desks: done, and no longer theirs to see. */
export const movedAwaySchema = z
  .object({ key: z.string(), visible: z.literal(false), desk: z.object({ id: z.uuid(), name: z.string() }) })
  .meta({ id: 'TicketMovedAway' });
export type MovedAway = z.infer<typeof movedAwaySchema>;

export const moveTicketSchema = z.strictObject({ deskId: z.uuid(), requestTypeId: z.uuid(), projectId: z.uuid().optional() });

export const createMessageSchema = z.strictObject({
  body: bodySchema,
  visibility: z.enum(MESSAGE_VISIBILITIES).default('public'),
  attachmentIds,
});

export const addParticipantSchema = z.strictObject({ userId: z.string().min(1).max(100) });
export const participantParamsSchema = z.object({ key: ticketKeySchema, userId: z.string().min(1).max(100) });

export const memberSchema = z.object({ id: z.string(), name: z.string(), email: z.string() }).meta({ id: 'OrganizationMember' });
export const membersQuerySchema = z.strictObject({ organizationId: z.uuid().optional() });
