import { z } from 'zod';

/*
 * The shapes of Jira Service Management Cloud's answers, as Atlassian documents them (REST API v3 of
 * the platform, and the servicedeskapi). Loose objects: Atlassian adds fields freely, and what we do
 * not read must not break an import. What we do read is checked here, so a malformed answer stops
 * at the client with the path and the field, never deep in the import engine.
 */

const id = z.union([z.string(), z.number().transform(String)]);

export const jsmUserSchema = z.looseObject({
  accountId: z.string(),
  emailAddress: z.string().nullish(),
  displayName: z.string().default(''),
  accountType: z.string().optional(),
  active: z.boolean().optional(),
  timeZone: z.string().optional(),
  locale: z.string().optional(),
});
export type JsmUser = z.infer<typeof jsmUserSchema>;

export const jsmServiceDeskSchema = z.looseObject({ id, projectId: id, projectKey: z.string(), projectName: z.string() });
export type JsmServiceDesk = z.infer<typeof jsmServiceDeskSchema>;

export const jsmRequestTypeSchema = z.looseObject({ id, name: z.string(), description: z.string().optional(), serviceDeskId: id });
export type JsmRequestType = z.infer<typeof jsmRequestTypeSchema>;

export const jsmPrioritySchema = z.looseObject({ id, name: z.string() });
export type JsmPriority = z.infer<typeof jsmPrioritySchema>;

export const jsmStatusSchema = z.looseObject({ id, name: z.string(), statusCategory: z.looseObject({ key: z.string() }) });
export type JsmStatus = z.infer<typeof jsmStatusSchema>;

export const jsmOrganizationSchema = z.looseObject({ id, name: z.string() });
export type JsmOrganization = z.infer<typeof jsmOrganizationSchema>;

export const jsmFieldSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  schema: z.looseObject({ custom: z.string().optional() }).optional(),
});

export const jsmDateSchema = z.looseObject({ iso8601: z.string(), epochMillis: z.number() });
export type JsmDate = z.infer<typeof jsmDateSchema>;

export const jsmDurationSchema = z.looseObject({ millis: z.number() });
export type JsmDuration = z.infer<typeof jsmDurationSchema>;

export const jsmSlaCycleSchema = z.looseObject({
  startTime: jsmDateSchema,
  stopTime: jsmDateSchema.optional(),
  breachTime: jsmDateSchema.optional(),
  breached: z.boolean(),
  paused: z.boolean().optional(),
  withinCalendarHours: z.boolean().optional(),
  goalDuration: jsmDurationSchema.optional(),
  elapsedTime: jsmDurationSchema,
  remainingTime: jsmDurationSchema.optional(),
});
export type JsmSlaCycle = z.infer<typeof jsmSlaCycleSchema>;

export const jsmSlaSchema = z.looseObject({
  id,
  name: z.string(),
  completedCycles: z.array(jsmSlaCycleSchema).default([]),
  ongoingCycle: jsmSlaCycleSchema.nullish(),
});
export type JsmSla = z.infer<typeof jsmSlaSchema>;

/** One page of the servicedeskapi: start/limit/isLastPage. */
export function servicedeskPageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    size: z.number().optional(),
    start: z.number().optional(),
    limit: z.number().optional(),
    isLastPage: z.boolean(),
    values: z.array(item),
  });
}

const jsmRequestFields = {
  issueId: id,
  issueKey: z.string(),
  requestTypeId: id,
  serviceDeskId: id,
  createdDate: jsmDateSchema,
  reporter: jsmUserSchema,
  currentStatus: z.looseObject({ status: z.string(), statusCategory: z.string().optional(), statusDate: jsmDateSchema.optional() }),
};
const jsmRequestBaseSchema = z.looseObject(jsmRequestFields);

/** GET /rest/servicedeskapi/request/{key} with participants and SLAs expanded: their first pages. */
export const jsmRequestRawSchema = z.looseObject({
  ...jsmRequestFields,
  participants: servicedeskPageSchema(jsmUserSchema).optional(),
  sla: servicedeskPageSchema(jsmSlaSchema).optional(),
});

/** A service request with all its participants and SLAs (the client pages past the expanded page). */
export type JsmRequest = z.infer<typeof jsmRequestBaseSchema> & { participants: JsmUser[]; sla: JsmSla[] };

export const jsmAttachmentSchema = z.looseObject({
  id,
  filename: z.string(),
  size: z.number(),
  mimeType: z.string().optional(),
  created: z.string(),
  author: jsmUserSchema.nullish(),
  content: z.string().optional(),
});
export type JsmAttachment = z.infer<typeof jsmAttachmentSchema>;

export const jsmIssueSchema = z.looseObject({
  id,
  key: z.string(),
  fields: z.looseObject({
    summary: z.string(),
    description: z.unknown(),
    created: z.string(),
    updated: z.string(),
    resolutiondate: z.string().nullish(),
    priority: z.looseObject({ id, name: z.string() }).nullish(),
    status: z.looseObject({ id: id.optional(), name: z.string(), statusCategory: z.looseObject({ key: z.string() }).optional() }),
    assignee: jsmUserSchema.nullish(),
    reporter: jsmUserSchema.nullish(),
    project: z.looseObject({ id, key: z.string(), name: z.string().optional() }),
    attachment: z.array(jsmAttachmentSchema).optional(),
  }),
});
export type JsmIssue = z.infer<typeof jsmIssueSchema>;

export const jsmSearchPageSchema = z.looseObject({
  issues: z.array(jsmIssueSchema),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const jsmCommentSchema = z.looseObject({
  id,
  author: jsmUserSchema.nullish(),
  body: z.unknown(),
  created: z.string(),
  updated: z.string().optional(),
  jsdPublic: z.boolean().optional(),
});
export type JsmComment = z.infer<typeof jsmCommentSchema>;

export const jsmCommentPageSchema = z.looseObject({ startAt: z.number(), maxResults: z.number(), total: z.number(), comments: z.array(jsmCommentSchema) });

export const jsmChangelogItemSchema = z.looseObject({
  field: z.string(),
  fieldtype: z.string().optional(),
  fieldId: z.string().optional(),
  from: z.string().nullable().default(null),
  fromString: z.string().nullable().default(null),
  to: z.string().nullable().default(null),
  toString: z.string().nullable().default(null),
});
export type JsmChangelogItem = z.infer<typeof jsmChangelogItemSchema>;

export const jsmChangelogEntrySchema = z.looseObject({ id, author: jsmUserSchema.nullish(), created: z.string(), items: z.array(jsmChangelogItemSchema) });
export type JsmChangelogEntry = z.infer<typeof jsmChangelogEntrySchema>;

export const jsmChangelogPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(jsmChangelogEntrySchema),
});

export const jsmCountSchema = z.looseObject({ count: z.number() });
