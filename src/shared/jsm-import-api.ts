import { z } from 'zod';
import { CLOCK_KINDS } from './sla-api.ts';
import { CRITICALITIES, STATUSES } from './tickets.ts';

/*
 * The import from Jira Service Management Cloud (issue 18): its mapping file, its progress and its
 * report, shared by the server, the command line (npm run import:jsm) and the administration page.
 */

const isoDate = z.iso.datetime({ offset: true });

/**
 * draft: connected, mapping proposed, not started; queued: waiting for the worker; running;
 * pausing: asked to pause, stops after the request in hand; paused; completed; failed: stopped on
 * an error it could not get past (resume continues where it stopped).
 */
export const JSM_IMPORT_STATUSES = ['draft', 'queued', 'running', 'pausing', 'paused', 'completed', 'failed'] as const;
export type JsmImportStatus = (typeof JSM_IMPORT_STATUSES)[number];
/** Statuses from which an import may be started (again) or resumed. */
export const JSM_IMPORT_STARTABLE: readonly JsmImportStatus[] = ['draft', 'paused', 'completed', 'failed'];

/** The phases, in order: each continues from its saved cursor after an interruption. */
export const JSM_IMPORT_PHASES = ['organizations', 'customers', 'requests', 'counters'] as const;
export type JsmImportPhase = (typeof JSM_IMPORT_PHASES)[number];

/** What an import creates, updates or refuses, each counted apart. */
export const JSM_IMPORT_KINDS = ['organization', 'customer', 'agent', 'request', 'comment', 'attachment', 'history', 'sla_cycle'] as const;
export type JsmImportKind = (typeof JSM_IMPORT_KINDS)[number];

const jsmId = z.string().trim().min(1).max(200);
const jsmName = z.string().max(500);
const slug = z.string().trim().min(1).max(100);

/**
 * The mapping file: every JSM service desk, request type, priority and status the import meets,
 * with the Guichet item it becomes. The import proposes one (guessed by name, null where it cannot
 * tell); the administrator edits it. A null left on a desk, a request type, a priority or a status
 * stops the import before anything is written; an SLA mapped to `ignore` is not imported.
 */
export const jsmMappingSchema = z.strictObject({
  version: z.literal(1),
  /** The JQL of the requests to import; empty: every request of the mapped service desks' projects. */
  jql: z.string().trim().max(2000).default(''),
  serviceDesks: z
    .array(
      z.strictObject({
        id: jsmId,
        projectKey: z.string().trim().min(1).max(20),
        name: jsmName,
        /** The slug of the Guichet desk. */
        desk: slug.nullable(),
      }),
    )
    .max(500),
  requestTypes: z
    .array(
      z.strictObject({
        id: jsmId,
        serviceDeskId: jsmId,
        name: jsmName,
        /** The slug of a request type of the desk its service desk is mapped to. */
        requestType: slug.nullable(),
      }),
    )
    .max(5000),
  priorities: z.array(z.strictObject({ name: jsmName, criticality: z.enum(CRITICALITIES).nullable() })).max(500),
  statuses: z
    .array(
      z.strictObject({
        name: jsmName,
        /** JSM's status category key (new, indeterminate, done), a hint for the proposal. */
        category: z.string().max(50).default(''),
        status: z.enum(STATUSES).nullable(),
      }),
    )
    .max(1000),
  slas: z.array(z.strictObject({ name: jsmName, clock: z.enum([...CLOCK_KINDS, 'ignore']).nullable() })).max(200),
});
export type JsmMapping = z.infer<typeof jsmMappingSchema>;
export type JsmMappingInput = z.input<typeof jsmMappingSchema>;

export const JSM_UNMAPPED_KINDS = ['service_desk', 'request_type', 'priority', 'status', 'sla'] as const;
export const jsmUnmappedSchema = z.object({
  kind: z.enum(JSM_UNMAPPED_KINDS),
  /** The JSM id, or the name for priorities, statuses and SLAs. */
  id: z.string(),
  name: z.string(),
  /** Why it cannot be used as it stands: not mapped, or mapped to something Guichet does not have. */
  reason: z.enum(['not_mapped', 'unknown_target']),
});
export type JsmUnmapped = z.infer<typeof jsmUnmappedSchema>;

export const jsmImportCreateSchema = z.strictObject({
  /** https://<site>.atlassian.net */
  site: z.string().trim().min(1).max(300),
  /** The Atlassian account's e-mail address, with its API token (basic authentication). */
  email: z.email().max(254),
  token: z.string().trim().min(1).max(2000),
});
export type JsmImportCreate = z.infer<typeof jsmImportCreateSchema>;

export const jsmImportMappingUpdateSchema = z.strictObject({ mapping: jsmMappingSchema });
export const jsmImportStartSchema = z.strictObject({
  /** Prints what would be created, updated and refused; writes nothing. */
  dryRun: z.boolean().default(false),
});

export const jsmImportCountSchema = z.object({
  kind: z.enum(JSM_IMPORT_KINDS),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  refused: z.number().int(),
});
export type JsmImportCount = z.infer<typeof jsmImportCountSchema>;

export const jsmRefusalSchema = z.object({
  kind: z.enum(JSM_IMPORT_KINDS),
  jsmId: z.string(),
  /** The request key (SUP-123) or the person's or organization's name, for the reader. */
  label: z.string(),
  /** A stable code (attachment_too_large, no_organization, key_taken, …). */
  code: z.string(),
  reason: z.string(),
});
export type JsmRefusal = z.infer<typeof jsmRefusalSchema>;

export const jsmImportSchema = z
  .object({
    id: z.uuid(),
    site: z.string(),
    email: z.string(),
    status: z.enum(JSM_IMPORT_STATUSES),
    dryRun: z.boolean(),
    phase: z.enum(JSM_IMPORT_PHASES).nullable(),
    mapping: jsmMappingSchema,
    /** What the mapping leaves unmapped: the import cannot start while this is not empty. */
    unmapped: z.array(jsmUnmappedSchema),
    counts: z.array(jsmImportCountSchema),
    /**
     * What was refused, or imported otherwise than JSM had it (a customer of several organizations,
     * an address JSM hides…), with why: the first 500; refusedTotal counts them all. The counts'
     * `refused` counts only what was left out.
     */
    refusals: z.array(jsmRefusalSchema),
    refusedTotal: z.number().int(),
    /** Requests handled so far in this run, and JSM's approximate count of those to import (null until known). */
    requestsDone: z.number().int(),
    requestsTotal: z.number().int().nullable(),
    /** JSM's rate limit: how many times it answered 429, the seconds waited, and until when the import waits now. */
    rateLimit: z.object({ waits: z.number().int(), waitedSeconds: z.number(), until: isoDate.nullable() }),
    /** Why it failed (failed), or the last error it got past. */
    error: z.string().nullable(),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
    updatedAt: isoDate,
  })
  .meta({ id: 'JsmImport' });
export type JsmImport = z.infer<typeof jsmImportSchema>;
