/**
 * The import from Jira Service Management (issue 18): each import's mapping, progress and report,
 * and the link of every imported object to its JSM id, which makes a second run update and add
 * rather than duplicate.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, real, text, uuid, boolean } from 'drizzle-orm/pg-core';
import {
  JSM_IMPORT_KINDS,
  JSM_IMPORT_PHASES,
  JSM_IMPORT_STATUSES,
  type JsmImportCount,
  type JsmImportKind,
  type JsmMapping,
  type JsmRefusal,
  type JsmUnmapped,
} from '#shared/jsm-import-api.ts';
import { user } from './accounts.ts';
import { createdAt, oneOf, ts } from './columns.ts';

/** Where a phase stands: the search's page token and how many of that page are done, or how many items of a listing. */
export type JsmImportCursor = { pageToken?: string | null; doneInPage?: number; done?: number };

export const jsmImport = pgTable(
  'jsm_import',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** https://<site>.atlassian.net, without a trailing slash: the namespace of the JSM ids. */
    site: text('site').notNull(),
    email: text('email').notNull(),
    /** The API token, encrypted with AUTH_SECRET; never returned by the API. */
    tokenEncrypted: text('token_encrypted').notNull(),
    status: text('status', { enum: JSM_IMPORT_STATUSES }).notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    phase: text('phase', { enum: JSM_IMPORT_PHASES }),
    cursor: jsonb('cursor').$type<JsmImportCursor>().notNull().default(sql`'{}'::jsonb`),
    mapping: jsonb('mapping').$type<JsmMapping>().notNull(),
    unmapped: jsonb('unmapped').$type<JsmUnmapped[]>().notNull().default(sql`'[]'::jsonb`),
    counts: jsonb('counts').$type<Partial<Record<JsmImportKind, Omit<JsmImportCount, 'kind'>>>>().notNull().default(sql`'{}'::jsonb`),
    refusals: jsonb('refusals').$type<JsmRefusal[]>().notNull().default(sql`'[]'::jsonb`),
    refusedTotal: integer('refused_total').notNull().default(0),
    requestsDone: integer('requests_done').notNull().default(0),
    requestsTotal: integer('requests_total'),
    rateLimitWaits: integer('rate_limit_waits').notNull().default(0),
    rateLimitWaitedSeconds: real('rate_limit_waited_seconds').notNull().default(0),
    rateLimitedUntil: ts('rate_limited_until'),
    error: text('error'),
    /** Written by the run at every page: a run whose heartbeat is old was killed, and may be taken over. */
    heartbeatAt: ts('heartbeat_at'),
    createdById: text('created_by_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('jsm_import_created_idx').on(t.createdAt.desc(), t.id.desc()),
    oneOf('jsm_import_status_check', t.status, JSM_IMPORT_STATUSES),
    oneOf('jsm_import_phase_check', t.phase, JSM_IMPORT_PHASES),
  ],
);

/** An imported object: its JSM id on a site, the Guichet row it became, and the fingerprint of what was imported. */
export const jsmLink = pgTable(
  'jsm_link',
  {
    site: text('site').notNull(),
    kind: text('kind', { enum: JSM_IMPORT_KINDS }).notNull(),
    jsmId: text('jsm_id').notNull(),
    localId: text('local_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    importedAt: ts('imported_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.site, t.kind, t.jsmId] }),
    index('jsm_link_local_idx').on(t.kind, t.localId),
    oneOf('jsm_link_kind_check', t.kind, JSM_IMPORT_KINDS),
  ],
);
