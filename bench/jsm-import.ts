/**
 * The "jsm import" entry of `npm run bench` (alone: `npm run bench -- --only "jsm import"`): requests
 * imported per second from Jira Service Management Cloud (issue 18) — 10,000 requests with 5
 * comments each by default — through the whole engine (`runImport`: organizations, customers, then
 * the requests with their comments, history and SLA cycles), against the fake JSM Cloud of the
 * tests (tests/support/jsm-server.ts, `generatedWorld`) served on 127.0.0.1 with JSM's real page
 * sizes (service desk API 50, platform 100, search 100; the importer asks 50 per search page).
 *
 * Measured: the wall time of the requests phase and of the whole run, requests/s and comments/s;
 * then a second run with nothing changed in JSM (every request found unchanged), its requests/s;
 * and the HTTP calls made to JSM per request (from the fake's log). The fake runs in this process:
 * its own CPU (answering, serialising JSON) is inside the figures, as JSM's latency is not.
 * The counts are checked at the end (tickets = n, messages = n × comments, the second run changed
 * nothing), so a broken import gives an error rather than a figure.
 *
 * Options (environment): BENCH_JSM_REQUESTS (10000), BENCH_JSM_COMMENTS (5), BENCH_JSM_DATABASE_URL
 * (created and dropped), BENCH_JSM_PGLITE_REQUESTS (2000; 0 skips PGlite), BENCH_JSM_PROFILE=1 (on
 * PostgreSQL, also times every SQL statement of the first run: statements per request and the
 * costliest, with their count and total time; the figures are then a little slower).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import type { JsmMapping } from '#shared/jsm-import-api.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrateDatabase, openDatabase, type Database } from '../src/server/db/client.ts';
import { jsmImport, ticket, ticketMessage } from '../src/server/db/schema.ts';
import { ensureBaseCatalog } from '../src/server/features/catalog/base-catalog.ts';
import { createJsmClient } from '../src/server/features/jsm-import/jsm-client.ts';
import { createImport, startImport, updateMapping } from '../src/server/features/jsm-import/jsm-imports.ts';
import { runImport } from '../src/server/features/jsm-import/run-import.ts';
import { FAKE_JSM_EMAIL, FAKE_JSM_TOKEN, generatedWorld, startJsmServer } from '../tests/support/jsm-server.ts';
import { profile, wrapQueries } from './statement-profile.ts';

type Log = (message: string) => void;

export type JsmImportRun = {
  database: string;
  requests: number;
  comments: number;
  /** First run: the requests phase (search pages, requests with their comments) and the whole run (with organizations and customers). */
  requestsPhaseSeconds: number;
  wholeRunSeconds: number;
  requestsPerSecond: number;
  commentsPerSecond: number;
  /** HTTP calls to JSM during the first run: all, and per request. */
  httpCalls: number;
  httpCallsPerRequest: number;
  httpCallsByKind: Record<string, number>;
  /** Second run, nothing changed in JSM. */
  secondRunSeconds: number;
  secondRunRequestsPerSecond: number;
  secondRunHttpCallsPerRequest: number;
  /** CPU time of this Node process (importer and fake JSM) per request of the first run, in ms. */
  nodeCpuMsPerRequest: number;
  tickets: number;
  messages: number;
  /** With BENCH_JSM_PROFILE=1 (PostgreSQL): SQL statements per request of the first run, and the costliest (total ms). */
  statementsPerRequest?: number;
  statements?: { text: string; calls: number; totalMs: number; avgMs: number }[];
};

/** The proposal completed as the tests do (jsm-import.test.ts `completed`): every request type and SLA mapped. */
function completed(mapping: JsmMapping): JsmMapping {
  return {
    ...mapping,
    requestTypes: mapping.requestTypes.map((rt) => ({
      ...rt,
      requestType: rt.requestType ?? (rt.serviceDeskId === '1' ? (rt.name.includes('Flex') ? 'solva-flex' : 'assistance') : 'project-request'),
    })),
    slas: mapping.slas.map((s) => ({ ...s, clock: s.clock ?? 'ignore' })),
  };
}

/** The kind of a JSM call, from its path: what dominates the calls per request. */
function kindOf(path: string): string {
  const p = path.split('?')[0]!;
  return p
    .replace(/(?<!\/api)\/\d+(?=\/|$)/g, '/{id}')
    .replace(/\/[A-Z]+-\d+(?=\/|$)/g, '/{key}')
    .replace(/\/gen-cust-\d+/g, '/{account}');
}

async function importOnce(database: Database, n: number, comments: number, label: string, log: Log, profiled = false): Promise<JsmImportRun> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-jsm-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    AUTH_SECRET: 'benchmark-secret-that-is-long-enough-0123',
    BASE_URL: 'https://guichet.bench.example',
    MAIL_FROM: 'Guichet <support@guichet.bench.example>',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1',
  });
  const jsm = await startJsmServer(generatedWorld(n, comments), { pageSize: { servicedesk: 50, platform: 100, search: 100 } });
  try {
    await migrateDatabase(database);
    await ensureBaseCatalog(database.db);
    const ctx = { db: database.db, clock: systemClock, config, boss: null };
    const draft = await createImport(ctx, null, { site: jsm.url, email: FAKE_JSM_EMAIL, token: FAKE_JSM_TOKEN });
    const mapped = await updateMapping(ctx, null, draft.id, completed(draft.mapping));
    if (mapped.unmapped.length) throw new Error(`jsm import: the mapping leaves ${JSON.stringify(mapped.unmapped)} unmapped`);

    let requestsStarted = 0;
    let requestsEnded = 0;
    let lastProgress = 0;
    const run = async () => {
      await startImport(ctx, null, draft.id, { dryRun: false });
      jsm.log.length = 0;
      requestsStarted = 0;
      requestsEnded = 0;
      const t0 = performance.now();
      const outcome = await runImport(
        {
          db: database.db,
          clock: systemClock,
          config,
          client: (row, hooks) => createJsmClient({ site: row.site, email: row.email, token: FAKE_JSM_TOKEN, ...hooks }),
          log: (line) => {
            const now = performance.now();
            if (line.startsWith('Requests (')) requestsStarted = now;
            const m = /^(\d+) \/ /.exec(line);
            if (m) {
              requestsEnded = now;
              if (now - lastProgress > 30_000) {
                lastProgress = now;
                log(`  ${label}: ${Number(m[1]).toLocaleString('en')} requests`);
              }
            }
          },
        },
        draft.id,
      );
      const ms = performance.now() - t0;
      const [row] = await database.db.select().from(jsmImport).where(eq(jsmImport.id, draft.id));
      if (outcome !== 'completed') throw new Error(`jsm import: the run ended ${outcome}: ${row?.error ?? ''}`);
      return { ms, requestsMs: requestsEnded - requestsStarted, calls: [...jsm.log], row: row! };
    };

    log(`jsm import (${label}): ${n.toLocaleString('en')} requests with ${comments} comments each, first run`);
    const cpu = process.cpuUsage();
    profile.on = profiled;
    const first = await run();
    profile.on = false;
    const used = process.cpuUsage(cpu);
    const tickets = (await database.db.select({ n: count() }).from(ticket))[0]!.n;
    const messages = (await database.db.select({ n: count() }).from(ticketMessage))[0]!.n;
    if (tickets !== n || messages !== n * comments) {
      throw new Error(`jsm import: ${tickets} tickets and ${messages} messages after the first run, expected ${n} and ${n * comments}`);
    }
    const created = (first.row.counts.request?.created ?? 0) as number;
    if (created !== n) throw new Error(`jsm import: the report says ${created} requests created, expected ${n}`);
    const refused = first.row.refusedTotal;
    log(
      `  first run: ${(first.ms / 1000).toFixed(1)} s (requests phase ${(first.requestsMs / 1000).toFixed(1)} s), ${first.calls.length} calls to JSM, ${refused} refusals`,
    );

    log(`jsm import (${label}): second run, nothing changed`);
    const second = await run();
    const counts = second.row.counts.request ?? { created: 0, updated: 0, unchanged: 0, refused: 0 };
    const ticketsAfter = (await database.db.select({ n: count() }).from(ticket))[0]!.n;
    const messagesAfter = (await database.db.select({ n: count() }).from(ticketMessage))[0]!.n;
    if (counts.unchanged !== n || counts.created !== 0 || counts.updated !== 0 || ticketsAfter !== n || messagesAfter !== n * comments) {
      throw new Error(`jsm import: the second run changed something: ${JSON.stringify(counts)}, ${ticketsAfter} tickets, ${messagesAfter} messages`);
    }
    log(`  second run: ${(second.ms / 1000).toFixed(1)} s (requests phase ${(second.requestsMs / 1000).toFixed(1)} s), ${second.calls.length} calls to JSM`);

    const byKind: Record<string, number> = {};
    for (const c of first.calls) byKind[`${c.method} ${kindOf(c.path)}`] = (byKind[`${c.method} ${kindOf(c.path)}`] ?? 0) + 1;
    const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
    const statements = [...profile.byStatement]
      .map(([text, e]) => ({ text, calls: e.calls, totalMs: Math.round(e.ms), avgMs: round(e.ms / e.calls, 2) }))
      .sort((a, b) => b.totalMs - a.totalMs);
    if (profiled) {
      const total = statements.reduce((sum, e) => sum + e.totalMs, 0);
      const calls = statements.reduce((sum, e) => sum + e.calls, 0);
      log(`  SQL: ${calls} statements (${round(calls / n)} per request), ${total} ms over ${Math.round(first.ms)} ms of wall time; the costliest:`);
      for (const st of statements.slice(0, 20)) log(`    ${String(st.totalMs).padStart(6)} ms ${String(st.calls).padStart(6)}× ${st.avgMs} ms  ${st.text}`);
    }
    return {
      database: label,
      requests: n,
      comments,
      requestsPhaseSeconds: round(first.requestsMs / 1000),
      wholeRunSeconds: round(first.ms / 1000),
      requestsPerSecond: round(n / (first.requestsMs / 1000)),
      commentsPerSecond: round((n * comments) / (first.requestsMs / 1000)),
      httpCalls: first.calls.length,
      httpCallsPerRequest: round(first.calls.length / n, 2),
      httpCallsByKind: Object.fromEntries(Object.entries(byKind).sort((a, b) => b[1] - a[1])),
      secondRunSeconds: round(second.ms / 1000),
      secondRunRequestsPerSecond: round(n / (second.requestsMs / 1000)),
      secondRunHttpCallsPerRequest: round(second.calls.length / n, 2),
      nodeCpuMsPerRequest: round((used.user + used.system) / 1000 / n, 2),
      tickets,
      messages,
      ...(profiled ? { statementsPerRequest: round(statements.reduce((sum, e) => sum + e.calls, 0) / n), statements: statements.slice(0, 25) } : {}),
    };
  } finally {
    await jsm.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchJsmImport(
  databaseUrl: string,
  options: { requests: number; comments: number; pgliteRequests: number; skipPostgres?: boolean; profile?: boolean },
  log: Log,
): Promise<JsmImportRun[]> {
  const runs: JsmImportRun[] = [];
  if (options.profile) wrapQueries();
  if (!options.skipPostgres) {
    const url = new URL(databaseUrl);
    const name = url.pathname.slice(1);
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`the jsm import bench database must be named with letters, digits, _: ${name}`);
    const adminUrl = new URL(url);
    adminUrl.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    await admin.end();
    const database = await openDatabase({ databaseUrl: url.toString() });
    try {
      runs.push(await importOnce(database, options.requests, options.comments, `PostgreSQL ${version}`, log, options.profile));
    } finally {
      await database.close();
      const cleanup = new pg.Client({ connectionString: adminUrl.toString() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    }
  }
  if (options.pgliteRequests > 0) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-jsm-pglite-'));
    const database = await openDatabase({ dataDir: dir });
    try {
      const version = (await database.db.execute(sql`show server_version`)) as unknown as { rows: { server_version: string }[] };
      runs.push(await importOnce(database, options.pgliteRequests, options.comments, `PGlite (PostgreSQL ${version.rows[0]?.server_version ?? '?'})`, log));
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return runs;
}

/** The summary lines of the results. */
export function jsmImportSummary(runs: JsmImportRun[]): string[] {
  return runs.map(
    (r) =>
      `jsm import (${r.database}, ${r.requests.toLocaleString('en')} requests × ${r.comments} comments): ${r.requestsPerSecond} requests/s · ${r.commentsPerSecond} comments/s ` +
      `(requests phase ${r.requestsPhaseSeconds} s, whole run ${r.wholeRunSeconds} s) · second run, nothing changed: ${r.secondRunRequestsPerSecond} requests/s (${r.secondRunSeconds} s) · ` +
      `${r.httpCallsPerRequest} calls to JSM per request (${r.secondRunHttpCallsPerRequest} on the second run) · Node CPU ${r.nodeCpuMsPerRequest} ms per request`,
  );
}
