import { desc, eq } from 'drizzle-orm';
import { JSM_IMPORT_KINDS, JSM_IMPORT_STARTABLE, type JsmImport, type JsmImportCreate, type JsmMapping } from '#shared/jsm-import-api.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { jsmImport } from '../../db/schema.ts';
import { AppError, badRequest, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkWebhookUrl } from '../webhooks/url-safety.ts';
import { JsmAuthError, type JsmClient } from './jsm-client.ts';
import { checkMapping, proposeMapping } from './mapping.ts';
import { queueImportRun } from './run-import.job.ts';
import { sealToken, siteClient } from './token-box.ts';

/*
 * The imports an administrator prepares, starts, pauses and resumes (issue 18); each run is done by
 * the job (run-import.job.ts) or by the command line (import-jsm-cli.ts).
 */

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'boss'>;
type ImportRow = typeof jsmImport.$inferSelect;

export function present(row: ImportRow): JsmImport {
  return {
    id: row.id,
    site: row.site,
    email: row.email,
    status: row.status,
    dryRun: row.dryRun,
    phase: row.phase,
    mapping: row.mapping,
    unmapped: row.unmapped,
    counts: JSM_IMPORT_KINDS.filter((kind) => row.counts[kind]).map((kind) => ({ kind, ...row.counts[kind]! })),
    refusals: row.refusals,
    refusedTotal: row.refusedTotal,
    requestsDone: row.requestsDone,
    requestsTotal: row.requestsTotal,
    rateLimit: { waits: row.rateLimitWaits, waitedSeconds: row.rateLimitWaitedSeconds, until: row.rateLimitedUntil?.toISOString() ?? null },
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The site as the origin the ids belong to: https, or http on a host allowed by JSM_IMPORT_ALLOWED_HOSTS; no path, no credentials. */
export function siteOf(raw: string, allowedHosts: readonly string[]): string {
  let url: URL;
  try {
    url = checkWebhookUrl(raw.trim(), allowedHosts);
  } catch (error) {
    if (error instanceof AppError) throw badRequest('jsm_import.site_invalid', `site: ${error.message}`, 'site');
    throw error;
  }
  return url.origin;
}

/**
 * Connects to the site with the credentials (refused: 400 naming the field), proposes a mapping
 * from what it holds, and keeps the import as a draft with its token encrypted.
 */
export async function createImport(
  ctx: Ctx,
  actorId: string | null,
  input: JsmImportCreate,
  options: { client?: (site: string) => JsmClient } = {},
): Promise<JsmImport> {
  const site = siteOf(input.site, ctx.config.jsmImportAllowedHosts);
  const client = options.client?.(site) ?? siteClient(site, input.email, input.token, ctx.config.jsmImportAllowedHosts, { maxRetries: 2 });
  let mapping: JsmMapping;
  try {
    await client.myself();
    mapping = await proposeMapping(ctx.db, client);
  } catch (error) {
    if (error instanceof JsmAuthError) {
      throw badRequest('jsm_import.auth_failed', 'token: JSM refused this e-mail address and API token.', 'token');
    }
    if (error instanceof AppError) throw error;
    throw new AppError(502, 'jsm_import.unreachable', `site: JSM could not be read (${error instanceof Error ? error.message : String(error)}).`, 'site');
  }
  const { unmapped } = await checkMapping(ctx.db, mapping);
  const now = ctx.clock.now();
  const tokenEncrypted = await sealToken(ctx.config.authSecret, input.token);
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(jsmImport)
      .values({ site, email: input.email, tokenEncrypted, status: 'draft', mapping, unmapped, createdById: actorId, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, { at: now, actorId, action: 'jsm_import.created', targetType: 'jsm_import', targetId: created!.id, details: { site } });
    return created!;
  });
  return present(row);
}

async function lockImport(tx: DbOrTx, id: string): Promise<ImportRow> {
  const [row] = await tx.select().from(jsmImport).where(eq(jsmImport.id, id)).for('update');
  if (!row) throw notFound('jsm_import');
  return row;
}

/** A running import saves its progress after every request: this long without, its worker is gone. */
const STALE_AFTER_MS = 10 * 60_000;

const busy = () => conflict('jsm_import.busy', 'The import is running: pause it first, or wait for its end.');
const isBusy = (row: ImportRow) => row.status === 'queued' || row.status === 'running' || row.status === 'pausing';

export async function getImport(ctx: Pick<Ctx, 'db'>, id: string): Promise<JsmImport> {
  const [row] = await ctx.db.select().from(jsmImport).where(eq(jsmImport.id, id));
  if (!row) throw notFound('jsm_import');
  return present(row);
}

export async function listImports(ctx: Pick<Ctx, 'db'>): Promise<JsmImport[]> {
  const rows = await ctx.db.select().from(jsmImport).orderBy(desc(jsmImport.createdAt), desc(jsmImport.id)).limit(50);
  return rows.map(present);
}

/** Replaces the mapping (the administrator's edit, or a mapping file); what it leaves unmapped is listed again. */
export async function updateMapping(ctx: Ctx, actorId: string | null, id: string, mapping: JsmMapping): Promise<JsmImport> {
  const { unmapped } = await checkMapping(ctx.db, mapping);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockImport(tx, id);
    if (isBusy(current)) throw busy();
    const [updated] = await tx.update(jsmImport).set({ mapping, unmapped, updatedAt: now }).where(eq(jsmImport.id, id)).returning();
    await recordAudit(tx, {
      at: now,
      actorId,
      action: 'jsm_import.mapping_changed',
      targetType: 'jsm_import',
      targetId: id,
      details: { unmapped: unmapped.length },
    });
    return updated!;
  });
  return present(row);
}

/**
 * Starts a run from the beginning (a first run, a dry run, or a second run that updates and adds):
 * refused while the mapping leaves anything unmapped, with the list. The run is the job's.
 */
export async function startImport(ctx: Ctx, actorId: string | null, id: string, options: { dryRun: boolean }): Promise<JsmImport> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockImport(tx, id);
    if (!JSM_IMPORT_STARTABLE.includes(current.status)) throw busy();
    const { unmapped } = await checkMapping(tx, current.mapping);
    if (unmapped.length) {
      await tx.update(jsmImport).set({ unmapped, updatedAt: now }).where(eq(jsmImport.id, id));
      const list = unmapped.map((u) => `${u.kind} "${u.name}"`).join(', ');
      throw conflict('jsm_import.unmapped', `mapping: ${unmapped.length} item(s) are not mapped: ${list.slice(0, 1500)}.`, 'mapping');
    }
    const [updated] = await tx
      .update(jsmImport)
      .set({
        status: 'queued',
        dryRun: options.dryRun,
        phase: 'organizations',
        cursor: {},
        unmapped: [],
        counts: {},
        refusals: [],
        refusedTotal: 0,
        requestsDone: 0,
        requestsTotal: null,
        rateLimitWaits: 0,
        rateLimitWaitedSeconds: 0,
        rateLimitedUntil: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        updatedAt: now,
      })
      .where(eq(jsmImport.id, id))
      .returning();
    await recordAudit(tx, { at: now, actorId, action: 'jsm_import.started', targetType: 'jsm_import', targetId: id, details: { dryRun: options.dryRun } });
    return updated!;
  });
  if (ctx.boss) await queueImportRun(ctx.boss, id);
  return present(row);
}

/** A queued import pauses at once; a running one after the request in hand. */
export async function pauseImport(ctx: Ctx, actorId: string | null, id: string): Promise<JsmImport> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockImport(tx, id);
    if (current.status !== 'queued' && current.status !== 'running') throw conflict('jsm_import.not_running', 'The import is not running.');
    const [updated] = await tx
      .update(jsmImport)
      .set({ status: current.status === 'queued' ? 'paused' : 'pausing', updatedAt: now })
      .where(eq(jsmImport.id, id))
      .returning();
    await recordAudit(tx, { at: now, actorId, action: 'jsm_import.paused', targetType: 'jsm_import', targetId: id });
    return updated!;
  });
  return present(row);
}

/** Continues a paused or failed import where it stopped, or one whose worker died. */
export async function resumeImport(ctx: Ctx, actorId: string | null, id: string): Promise<JsmImport> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockImport(tx, id);
    // A run whose worker died (no heartbeat for a while) may be taken over too.
    const stale = (current.heartbeatAt ?? current.updatedAt).getTime() < now.getTime() - STALE_AFTER_MS;
    const resumable = current.status === 'paused' || current.status === 'failed' || current.status === 'pausing' || (isBusy(current) && stale);
    if (!resumable) throw conflict('jsm_import.not_resumable', 'Only a paused or failed import can be resumed.');
    const [updated] = await tx.update(jsmImport).set({ status: 'queued', error: null, updatedAt: now }).where(eq(jsmImport.id, id)).returning();
    await recordAudit(tx, { at: now, actorId, action: 'jsm_import.resumed', targetType: 'jsm_import', targetId: id });
    return updated!;
  });
  if (ctx.boss) await queueImportRun(ctx.boss, id);
  return present(row);
}
