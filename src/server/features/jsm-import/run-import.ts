import { and, eq, inArray, sql } from 'drizzle-orm';
import { JSM_IMPORT_PHASES, type JsmImportPhase } from '#shared/jsm-import-api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { jsmImport, jsmLink, type JsmImportCursor } from '../../db/schema.ts';
import { importRequest } from './import-request.ts';
import { JsmAuthError, JsmHttpError, type JsmClient } from './jsm-client.ts';
import { checkMapping, jqlOf, SEARCH_FIELDS } from './mapping.ts';
import { attachDomains, importOrganization, importPerson } from './people.ts';
import { findLinks, fingerprintOf, type ImportSession } from './session.ts';
import { clientOf } from './token-box.ts';

/*
 * One run of an import (issue 18): the phases in order — organizations, customers, requests, then
 * the end — each continuing from the cursor saved in the import's row, so a run that was paused,
 * failed or killed goes on where it stopped. Progress is saved after each request; the row's
 * status is read there too, which is how a pause reaches a running import. A dry run does the same
 * inside one transaction that is rolled back, and keeps only its report.
 */

export type RunDeps = {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'dataDir' | 'attachmentMaxBytes' | 'authSecret' | 'jsmImportAllowedHosts'>;
  /** The JSM client of an import (tests give one with an injected sleep). */
  client?: (row: typeof jsmImport.$inferSelect, hooks: Pick<NonNullable<Parameters<typeof clientOf>[2]>, 'onRateLimit' | 'onRetry'>) => JsmClient;
  /** Stops the run as a kill would: nothing more is written, the import stays "running" for a later resume. */
  signal?: AbortSignal;
  /** A job's share of time: past it, the run saves and answers "more" (the job queues the next share). */
  budgetMs?: number;
  /** Progress lines (the command line prints them). */
  log?: (line: string) => void;
};

export type RunOutcome = 'completed' | 'paused' | 'more' | 'failed' | 'skipped';

const SEARCH_PAGE = 50;

class DryRunDone extends Error {}
class Paused extends Error {}
class OutOfTime extends Error {}

type Progress = { phase: JsmImportPhase; cursor: JsmImportCursor; requestsDone: number; requestsTotal: number | null };

export async function runImport(deps: RunDeps, importId: string): Promise<RunOutcome> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .update(jsmImport)
    .set({ status: 'running', heartbeatAt: now, updatedAt: now })
    .where(and(eq(jsmImport.id, importId), inArray(jsmImport.status, ['queued', 'running'])))
    .returning();
  if (!row) return 'skipped';
  if (!row.startedAt) await deps.db.update(jsmImport).set({ startedAt: now }).where(eq(jsmImport.id, importId));
  const log = deps.log ?? (() => {});
  const { unmapped, resolved } = await checkMapping(deps.db, row.mapping);
  if (unmapped.length) {
    await deps.db
      .update(jsmImport)
      .set({ status: 'failed', unmapped, error: 'The mapping leaves items unmapped: complete it, then start again.', updatedAt: deps.clock.now() })
      .where(eq(jsmImport.id, importId));
    return 'failed';
  }
  const rate = { waits: row.rateLimitWaits, waitedSeconds: row.rateLimitWaitedSeconds, until: null as Date | null };
  const saveRate = async () => {
    if (row.dryRun) return;
    await deps.db
      .update(jsmImport)
      .set({ rateLimitWaits: rate.waits, rateLimitWaitedSeconds: rate.waitedSeconds, rateLimitedUntil: rate.until, updatedAt: deps.clock.now() })
      .where(eq(jsmImport.id, importId));
  };
  const hooks = {
    onRateLimit: async (seconds: number) => {
      rate.waits += 1;
      rate.waitedSeconds += seconds;
      rate.until = new Date(deps.clock.now().getTime() + seconds * 1000);
      log(`JSM asks to slow down: waiting ${seconds} s`);
      await saveRate();
    },
    onRetry: async (attempt: number, error: string) => log(`JSM failed (${error}); try ${attempt + 1}`),
  };
  const client = deps.client ? deps.client(row, hooks) : await clientOf(deps.config, row, { ...hooks, ...(deps.signal ? { signal: deps.signal } : {}) });
  const session: ImportSession = {
    db: deps.db,
    clock: deps.clock,
    config: deps.config,
    client,
    site: row.site,
    dryRun: row.dryRun,
    mapping: resolved,
    organizationField: null,
    counts: structuredClone(row.counts),
    refusals: [...row.refusals],
    refusedTotal: row.refusedTotal,
    people: new Map(),
    unknownSlas: new Set(),
    statisticsRefreshedAt: null,
  };
  const progress: Progress = { phase: row.phase ?? 'organizations', cursor: row.cursor, requestsDone: row.requestsDone, requestsTotal: row.requestsTotal };
  const save = async (db: DbOrTx, extra: Partial<typeof jsmImport.$inferInsert> = {}) => {
    const at = deps.clock.now();
    await db
      .update(jsmImport)
      .set({
        phase: progress.phase,
        cursor: progress.cursor,
        counts: session.counts,
        refusals: session.refusals,
        refusedTotal: session.refusedTotal,
        requestsDone: progress.requestsDone,
        requestsTotal: progress.requestsTotal,
        rateLimitWaits: rate.waits,
        rateLimitWaitedSeconds: rate.waitedSeconds,
        heartbeatAt: at,
        updatedAt: at,
        ...extra,
      })
      .where(eq(jsmImport.id, importId));
  };
  const started = performance.now();
  /** After each request: saved; stopped here when paused or out of time. */
  const checkpoint = async () => {
    if (session.dryRun) return;
    await save(deps.db);
    const [current] = await deps.db.select({ status: jsmImport.status }).from(jsmImport).where(eq(jsmImport.id, importId));
    if (current?.status === 'pausing') throw new Paused();
    if (deps.budgetMs !== undefined && performance.now() - started > deps.budgetMs) throw new OutOfTime();
  };

  try {
    session.organizationField = await client.organizationFieldId();
    if (session.dryRun) {
      try {
        await deps.db.transaction(async (tx) => {
          session.db = tx;
          await phases(session, progress, row.mapping, checkpoint, log);
          throw new DryRunDone();
        });
      } catch (error) {
        if (!(error instanceof DryRunDone)) throw error;
      }
      session.db = deps.db;
    } else {
      await phases(session, progress, row.mapping, checkpoint, log);
    }
    await save(deps.db, { status: 'completed', phase: null, cursor: {}, finishedAt: deps.clock.now(), rateLimitedUntil: null, error: null });
    log('Import completed.');
    return 'completed';
  } catch (error) {
    session.db = deps.db;
    if (error instanceof Paused) {
      await save(deps.db, { status: 'paused' });
      log('Import paused.');
      return 'paused';
    }
    if (error instanceof OutOfTime) {
      await save(deps.db, { status: 'queued' });
      return 'more';
    }
    // Aborted: a kill, as far as the import can tell; what is saved stays, and a resume continues.
    if (deps.signal?.aborted) throw error;
    const message =
      error instanceof JsmAuthError
        ? 'JSM refused the e-mail address and API token (401/403): give a valid API token, then resume.'
        : error instanceof JsmHttpError
          ? `JSM answered ${error.status} on ${error.path}: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
    await save(deps.db, { status: 'failed', error: message.slice(0, 2000) });
    log(`Import failed: ${message}`);
    return 'failed';
  }
}

async function phases(
  s: ImportSession,
  progress: Progress,
  mapping: typeof jsmImport.$inferSelect.mapping,
  checkpoint: () => Promise<void>,
  log: (line: string) => void,
) {
  const mappingFingerprint = fingerprintOf(mapping);
  const next = () => {
    progress.phase = JSM_IMPORT_PHASES[JSM_IMPORT_PHASES.indexOf(progress.phase) + 1]!;
    progress.cursor = {};
  };
  if (progress.phase === 'organizations') {
    log('Organizations…');
    let index = 0;
    for await (const o of s.client.organizations()) {
      if (index++ < (progress.cursor.done ?? 0)) continue;
      await importOrganization(s, o);
      progress.cursor = { done: index };
    }
    next();
    await checkpoint();
  }
  if (progress.phase === 'customers') {
    log('Customers…');
    let index = 0;
    for await (const o of s.client.organizations()) {
      if (index++ < (progress.cursor.done ?? 0)) continue;
      const organizationId = (await findLinks(s.db, s.site, ['organization'], [o.id])).get(o.id)?.localId ?? (await importOrganization(s, o));
      for await (const person of s.client.organizationUsers(o.id)) await importPerson(s, person, 'customer', organizationId, o.name);
      progress.cursor = { done: index };
      await checkpoint();
    }
    for (const [serviceDeskId] of s.mapping.desks) {
      for await (const person of s.client.customers(serviceDeskId)) await importPerson(s, person, 'customer', null);
    }
    await attachDomains(s);
    next();
    await checkpoint();
  }
  if (progress.phase === 'requests') {
    const jql = jqlOf(mapping);
    log(`Requests (${jql})…`);
    progress.requestsTotal ??= await s.client.approximateCount(jql);
    const fields = [...SEARCH_FIELDS, ...(s.organizationField ? [s.organizationField] : [])];
    for (;;) {
      const page = await s.client.searchPage(jql, progress.cursor.pageToken ?? undefined, SEARCH_PAGE, fields);
      const skip = progress.cursor.doneInPage ?? 0;
      for (const [i, issue] of page.issues.entries()) {
        if (i < skip) continue;
        await importRequest(s, issue, mappingFingerprint);
        progress.requestsDone += 1;
        progress.cursor = { pageToken: progress.cursor.pageToken ?? null, doneInPage: i + 1 };
        await checkpoint();
      }
      log(`${progress.requestsDone} / ${progress.requestsTotal ?? '?'} requests`);
      await refreshStatistics(s, progress.requestsDone);
      if (!page.nextPageToken) break;
      progress.cursor = { pageToken: page.nextPageToken, doneInPage: 0 };
    }
    next();
    await checkpoint();
  }
  // counters: each imported key moved its desk's counter with it; nothing is left to do but end.
}

/**
 * The links' table starts empty and grows by the thousand: until the planner's statistics know it,
 * a lookup of a request's comment links scans every link of their kind (the import slowed from 52
 * to 24 requests a second over 10,000 in the benchmark, autovacuum off). Analyzed when the number
 * of requests imported passes 500, 1,000, 2,000… — a dozen times for a million, each well under a
 * second. A dry run, inside its transaction, leaves the statistics alone.
 */
async function refreshStatistics(s: ImportSession, requestsDone: number): Promise<void> {
  if (s.dryRun || requestsDone < 500) return;
  const crossed = Math.floor(Math.log2(requestsDone / 500));
  if (crossed === s.statisticsRefreshedAt) return;
  s.statisticsRefreshedAt = crossed;
  await s.db.execute(sql`analyze ${jsmLink}`);
}
