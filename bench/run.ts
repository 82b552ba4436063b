/**
 * `npm run bench`: the agent workspace at scale (issue 4). Seeds requests into a fresh PostgreSQL
 * database (1,000,000) and into PGlite (100,000), serves the real app on 127.0.0.1, logs in an agent
 * through the API and measures, over HTTP: the main queue page, filtered queue pages, full-text
 * search, the request page, the queue counts, and request creation at concurrency 1 and 16. Prints
 * p50/p95 (and requests/s for creation) as a table and as JSON, with the machine; it also re-runs
 * every SELECT of each read path under EXPLAIN ANALYZE and reports any sequential scan of a large
 * table. Figures and what they show: BENCHMARKS.md.
 *
 * Options (environment):
 *   BENCH_DATABASE_URL  PostgreSQL database to (re)create   postgres://postgres@127.0.0.1:5432/guichet_bench
 *   BENCH_ROWS          requests seeded into PostgreSQL     1000000
 *   BENCH_PGLITE_ROWS   requests seeded into PGlite         100000
 *   BENCH_SKIP_POSTGRES / BENCH_SKIP_PGLITE = 1             skip one side
 *   BENCH_REUSE = 1     keep the seeded databases after the run, and reuse those of an earlier run with
 *                       as many requests instead of seeding again (otherwise both are dropped at the end)
 *   BENCH_SAMPLES       measured calls per read scenario    200
 *   BENCH_CREATIONS     requests created at concurrency 16  2000
 *   BENCH_OUT           also write the JSON to this file
 *   BENCH_LOG_LEVEL     the server's log level (silent)
 *   BENCH_ONLY          only the scenarios whose name contains one of these words (comma list);
 *                       also `npm run bench -- --only sla`
 *   BENCH_SLA_CLOCKS, BENCH_SLA_SIZES, BENCH_SLA_DATABASE_URL   the SLA entries (bench/sla.ts): clocks
 *                       of the pure deadline benchmark, open requests per sweep run, its database.
 *                       Asked for alone (--only sla), the workspace databases are not seeded.
 *   BENCH_INBOUND_DATABASE_URL, BENCH_INBOUND_ROWS, BENCH_INBOUND_MESSAGES, BENCH_INBOUND_CONCURRENCY
 *                       the "inbound mail" entry (bench/inbound.ts): its database, requests seeded
 *                       (100000), replies received (2000), deliveries at once (6). Asked for alone
 *                       (`npm run bench -- --only inbound`), the workspace databases are not seeded.
 *   BENCH_JSM_REQUESTS, BENCH_JSM_COMMENTS, BENCH_JSM_DATABASE_URL, BENCH_JSM_PGLITE_REQUESTS
 *                       the "jsm import" entry (bench/jsm-import.ts): requests imported from a fake JSM
 *                       Cloud (10000) with their comments (5 each), its PostgreSQL database (created and
 *                       dropped), requests imported into PGlite (2000; 0 skips it); BENCH_JSM_PROFILE=1
 *                       also times every SQL statement of the PostgreSQL run. Asked for alone
 *                       (`npm run bench -- --only "jsm import"`), the workspace databases are not seeded.
 *   BENCH_STARTS        second starts timed by the "first load" entry (bench/first-load.ts)   3
 *   BENCH_LIGHTHOUSE=0  the "first load" entry without Lighthouse
 *                       `npm run bench -- --only "first load"` runs that entry alone (no seeding).
 */
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrateDatabase, openDatabase, type Database } from '../src/server/db/client.ts';
import { ensureBaseCatalog } from '../src/server/features/catalog/base-catalog.ts';
import type { LoadJob } from './load-worker.ts';
import { benchDeadlines, benchSweep } from './sla.ts';
import { benchInbound, type InboundResult } from './inbound.ts';
import { benchFirstLoad, firstLoadSummary } from './first-load.ts';
import { benchJsmImport, jsmImportSummary, type JsmImportRun } from './jsm-import.ts';
import { loginClient, sequential, type Client, type Stats } from './measure.ts';
import { bigTables, captureQueries, type PlanReport, type QueryTarget } from './plans.ts';
import { BENCH_AGENT_EMAIL, finishSeed, planFor, prepareSeed, secondaryIndexesQuery, seedPeople, seedRequests, type Exec, type SeedPlan } from './seed.ts';

const env = process.env;
const options = {
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/guichet_bench',
  rows: Number(env.BENCH_ROWS ?? 1_000_000),
  pgliteRows: Number(env.BENCH_PGLITE_ROWS ?? 100_000),
  skipPostgres: env.BENCH_SKIP_POSTGRES === '1',
  skipPglite: env.BENCH_SKIP_PGLITE === '1',
  reuse: env.BENCH_REUSE === '1',
  samples: Number(env.BENCH_SAMPLES ?? 200),
  creations: Number(env.BENCH_CREATIONS ?? 2000),
  out: env.BENCH_OUT,
  /** Only the scenarios whose name contains one of these (comma list), e.g. "creation". */
  only: [...(env.BENCH_ONLY?.split(',') ?? []), ...argOnly()].map((s) => s.trim()).filter(Boolean),
  /** The SLA sweep's database (created and dropped by the run). */
  slaDatabaseUrl: env.BENCH_SLA_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/guichet_bench_sla',
  /** Clocks of the pure deadline benchmark, and open requests of the sweep benchmark (comma list). */
  slaClocks: Number(env.BENCH_SLA_CLOCKS ?? 1_000_000),
  slaSizes: (env.BENCH_SLA_SIZES ?? '10000,1000000').split(',').map(Number),
  /** The inbound mail entry: its database (created and dropped), requests, replies and concurrent deliveries. */
  inboundDatabaseUrl: env.BENCH_INBOUND_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/guichet_bench_inbound',
  inboundRows: Number(env.BENCH_INBOUND_ROWS ?? 100_000),
  inboundMessages: Number(env.BENCH_INBOUND_MESSAGES ?? 2000),
  inboundConcurrency: Number(env.BENCH_INBOUND_CONCURRENCY ?? 6),
  /** The JSM import entry: requests and comments per request imported, its database (created and dropped), requests imported into PGlite (0: none). */
  jsmRequests: Number(env.BENCH_JSM_REQUESTS ?? 10_000),
  jsmComments: Number(env.BENCH_JSM_COMMENTS ?? 5),
  jsmDatabaseUrl: env.BENCH_JSM_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/guichet_bench_jsm',
  jsmPgliteRequests: Number(env.BENCH_JSM_PGLITE_REQUESTS ?? 2000),
  /** Second `npm start`s timed by the first-load entry. */
  starts: Number(env.BENCH_STARTS ?? 3),
  lighthouse: env.BENCH_LIGHTHOUSE !== '0',
};
/** `npm run bench -- --only sla` (or --only=sla,search): the same as BENCH_ONLY. */
function argOnly(): string[] {
  const args = process.argv.slice(2);
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '--only' && args[i + 1]) values.push(...args[i + 1]!.split(','));
    else if (arg.startsWith('--only=')) values.push(...arg.slice(7).split(','));
  });
  return values;
}
/** The SLA entries (bench/sla.ts) are named "sla …", the first load "first load", inbound mail "inbound mail", the JSM import "jsm import"; asked for alone, the workspace databases are not seeded. */
const standaloneOnly = () =>
  options.only.length > 0 && options.only.every((o) => o.startsWith('sla') || o.startsWith('first') || o.startsWith('inbound') || o.startsWith('jsm'));
const wanted = (name: string) => options.only.length === 0 || options.only.some((o) => name.includes(o));
const PASSWORD = 'Bench-password-0123';
const started = performance.now();
const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

/* ---------------- seeding ---------------- */

async function alreadySeeded(query: (text: string) => Promise<{ rows: unknown[] }>, rows: number): Promise<boolean> {
  try {
    const result = await query(`select rows from bench_meta`);
    return (result.rows[0] as { rows: number } | undefined)?.rows === rows;
  } catch {
    return false;
  }
}

/** A new version of every open request, as a day of work leaves them. */
const touchOpenRequests = `update ticket set status = status where status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party')`;

/**
 * Loads the requests with the secondary indexes dropped (building an index once is much faster than
 * maintaining it row by row), by `workers` sessions in parallel, then rebuilds them and analyzes.
 */
async function seed(
  plan: SeedPlan,
  workers: Exec[],
  queryRows: (text: string) => Promise<unknown[]>,
  passwordHash: string,
  options: { superuser: boolean; chunk: number; maintenanceWorkMem: string },
) {
  const [first] = workers;
  const exec = first!;
  const indexes = (await queryRows(secondaryIndexesQuery)) as { name: string; definition: string }[];
  for (const index of indexes) await exec(`drop index "${index.name}"`);
  for (const w of workers) await prepareSeed(w, options);
  await seedPeople(exec, plan, passwordHash);
  const chunks: [number, number][] = [];
  for (let lo = 1; lo <= plan.rows; lo += options.chunk) chunks.push([lo, Math.min(plan.rows, lo + options.chunk - 1)]);
  let done = 0;
  await Promise.all(
    workers.map(async (w) => {
      for (let c = chunks.shift(); c; c = chunks.shift()) {
        await seedRequests(w, plan, c[0], c[1]);
        done += c[1] - c[0] + 1;
        if (done % (options.chunk * 4) === 0 || done === plan.rows) log(`  ${done.toLocaleString('en')} requests with their messages and history`);
      }
    }),
  );
  await finishSeed(exec, plan);
  log(`  building ${indexes.length} indexes`);
  // The GIN indexes are the longest: started first, so the others fill the other sessions meanwhile.
  const queue = [...indexes].sort((a, b) => Number(b.definition.includes('USING gin')) - Number(a.definition.includes('USING gin')));
  await Promise.all(
    workers.map(async (w) => {
      await w(`set maintenance_work_mem = '${options.maintenanceWorkMem}'`);
      for (let index = queue.shift(); index; index = queue.shift()) await w(index.definition);
    }),
  );
  log('  vacuum and analyze');
  await exec(`vacuum (analyze) ticket, ticket_message, ticket_event, "user", organization`);
  // A live helpdesk changes its open requests all day, so their pages are rarely "all visible" and
  // index-only scans over them (the queue counts) still visit the table. Rewrite them once, so the
  // figures are not flattered by a freshly vacuumed table.
  await exec(touchOpenRequests);
  await exec(`analyze ticket`);
  // No autovacuum in the middle of a measurement: the queue counts are measured in this state, then
  // after an explicit VACUUM (the two ends of what autovacuum leaves in production).
  await exec(`alter table ticket set (autovacuum_enabled = false)`);
  await exec(`create table if not exists bench_meta (rows int not null, seeded_at timestamptz not null)`);
  await exec(`delete from bench_meta`);
  await exec(`insert into bench_meta values (${plan.rows}, now())`);
}

/* ---------------- scenarios ---------------- */

/** `variants`: how many different calls `path` cycles through (each is checked under EXPLAIN); `before`: run first, unmeasured. */
type Scenario = { name: string; path: (i: number) => string; variants: number; before?: () => Promise<unknown> };
type Result = { name: string; stats: Stats; plan?: PlanReport };

async function scenarios(db: Database['db'], client: Client) {
  const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;
  const one = async <T>(query: ReturnType<typeof sql>) => rows<T>(await db.execute(query))[0]!;
  const { support } = await one<{ support: string }>(sql`select id as support from desk where slug = 'support'`);
  const { flex } = await one<{ flex: string }>(sql`select id as flex from request_type where slug = 'solva-flex'`);
  const { assistance } = await one<{ assistance: string }>(sql`select id as assistance from request_type where slug = 'assistance'`);
  // The largest organization (the seed skews sizes towards the first ones).
  const { org } = await one<{ org: string }>(sql`select organization_id as org from ticket group by organization_id order by count(*) desc limit 1`);
  const keys = rows<{ key: string }>(await db.execute(sql`select key from ticket tablesample system (2) limit 2000`)).map((r) => r.key);
  const { customers } = await one<{ customers: number }>(sql`select count(*)::int as customers from "user" where role = 'customer' and id like 'c-%'`);
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();

  let cursor: string | null = null;
  const queuePage: Scenario = {
    name: 'queue page (all open, by last change; pages 1–5)',
    path: (i) => `/api/requests?queue=all_open&sort=updated&limit=50${i % 5 !== 0 && cursor ? `&cursor=${cursor}` : ''}`,
    variants: 2,
  };
  const filters = [
    `queue=unassigned&deskId=${support}&criticality=critical,high&sort=criticality`,
    `queue=all_open&requestTypeId=${flex}&sort=created`,
    `queue=mine&sort=updated`,
    `queue=waiting_customer&deskId=${support}&updatedTo=${threeDaysAgo}&sort=updated`,
    `scope=desks&organizationId=${org}&status=closed,canceled&sort=updated`,
    `queue=recently_resolved&sort=updated`,
    `scope=desks&criticality=critical&createdFrom=${new Date(Date.now() - 365 * 86_400_000).toISOString()}&sort=created`,
  ];
  const slaLists = [
    'queue=sla_at_risk',
    'queue=sla_breached&sort=sla_deadline',
    'queue=all_open&sort=sla_deadline',
    `queue=unassigned&deskId=${support}&sort=sla_deadline`,
  ];
  // Frequent and rare words, words that go together (which the planner takes for rare), a phrase, an error code.
  const searches = [
    'facture',
    'Rechnung gedruckt',
    'invoice export',
    'E4711',
    'imprimante réseau',
    'Nachtlauf abgebrochen',
    'month-end closing',
    'fiches de paie',
    'invoices printing',
    '"nightly batch"',
  ];
  return {
    reads: [
      queuePage,
      { name: 'filtered queue page (7 filter sets)', path: (i: number) => `/api/requests?${filters[i % filters.length]}&limit=50`, variants: filters.length },
      {
        name: 'full-text search (10 queries, fr/de/en)',
        path: (i: number) => `/api/requests?scope=desks&q=${encodeURIComponent(searches[i % searches.length]!)}&limit=50`,
        variants: searches.length,
      },
      {
        // The SLA queues start from the running clocks; the deadline sort walks them, then the requests without one (seed.ts seeds no clock: that second part is what is measured here).
        name: 'SLA queues and SLA deadline sort (4 variants)',
        path: (i: number) => `/api/requests?${slaLists[i % slaLists.length]}&limit=50`,
        variants: slaLists.length,
      },
      { name: 'request page', path: (i: number) => `/api/requests/${keys[(i * 7919) % keys.length]}`, variants: 1 },
      {
        name: 'queue counts (every open request changed since the last VACUUM)',
        path: () => `/api/queues`,
        variants: 1,
        before: async () => {
          await db.execute(sql`vacuum ticket`);
          await db.execute(sql.raw(touchOpenRequests));
        },
      },
      { name: 'queue counts (after VACUUM)', path: () => `/api/queues`, variants: 1, before: () => db.execute(sql`vacuum ticket`) },
    ] satisfies Scenario[],
    afterRead: (name: string, body: unknown) => {
      if (name === queuePage.name) cursor = (body as { nextCursor: string | null }).nextCursor;
    },
    creationBody,
    creation: (i: number) => client.post('/api/requests', creationBody(i)),
  };
  function creationBody(i: number) {
    return {
      requestTypeId: assistance,
      reporterId: `c-${(i * 104_729) % customers}`,
      summary: `Benchmark: la facture ${i} ne s’imprime plus`,
      description: 'Depuis la mise à jour, l’impression des factures échoue avec une erreur de connexion. Nous avons redémarré le poste sans succès.',
      criticality: (['low', 'medium', 'high', 'critical'] as const)[i % 4],
    };
  }
}

async function measure(kind: 'PostgreSQL' | 'PGlite', database: Database, origin: string): Promise<Result[]> {
  // Runs against a kept database would otherwise meet the log-in rate limit of the previous ones.
  await database.db.execute(sql`delete from rate_limit`);
  const client = await loginClient(origin, BENCH_AGENT_EMAIL, PASSWORD);
  const s = await scenarios(database.db, client);
  const results: Result[] = [];
  const target: QueryTarget = database.kind === 'postgres' ? database.pool : (database.pglite as unknown as QueryTarget);
  const capture = captureQueries(target);
  const tables = await bigTables(target);
  for (const scenario of s.reads) {
    if (!wanted(scenario.name)) continue;
    await scenario.before?.();
    const stats = await sequential(options.samples, 20, async (i) => {
      const res = await client.get(scenario.path(i));
      s.afterRead(scenario.name, res.body);
      return res;
    });
    const statements = [];
    for (let i = 0; i < scenario.variants; i++) {
      statements.push(...(await capture.during(async () => s.afterRead(scenario.name, (await client.get(scenario.path(i))).body))));
    }
    const plan = await capture.explain(statements, tables);
    results.push({ name: scenario.name, stats, plan });
    log(
      `  ${kind} ${scenario.name}: p50 ${stats.p50} ms, p95 ${stats.p95} ms${plan?.seqScans.length ? ` — SEQUENTIAL SCANS: ${plan.seqScans.join('; ')}` : ''}`,
    );
  }
  if (!wanted('request creation')) return results;
  const c1 = await sequential(Math.min(200, options.creations), 10, (i) => s.creation(i), 201, { perSecond: true });
  // The SQL statements of one creation (the session's and the checks' included), for the record.
  const creationStatements = (await capture.during(() => s.creation(150_000))).length;
  results.push({ name: 'request creation, concurrency 1', stats: c1, plan: { statements: creationStatements, executionMs: 0, indexes: [], seqScans: [] } });
  log(`  ${kind} creation c=1: ${c1.perSecond}/s, p50 ${c1.p50} ms, p95 ${c1.p95} ms, ${creationStatements} SQL statements per creation`);
  // Concurrent load comes from another thread, so the client's own work does not wait on the server's event loop.
  const load = (n: number, offset: number) =>
    new Promise<Stats>((resolve, reject) => {
      const job: LoadJob = {
        origin,
        cookie: client.cookie,
        n,
        concurrency: 16,
        requests: Array.from({ length: n }, (_, i) => ({ method: 'POST' as const, path: '/api/requests', body: s.creationBody(offset + i), expected: 201 })),
      };
      const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: job });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await load(64, 100_000);
  const c16 = await load(options.creations, 200_000);
  results.push({ name: 'request creation, concurrency 16', stats: c16 });
  log(`  ${kind} creation c=16: ${c16.perSecond}/s, p50 ${c16.p50} ms, p95 ${c16.p95} ms`);
  return results;
}

/* ---------------- targets ---------------- */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function serve(database: Database, seedWith: ((hash: string) => Promise<void>) | null) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    AUTH_SECRET: 'benchmark-secret-that-is-long-enough-0123',
    BASE_URL: origin,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'silent',
    DEMO_DATA: 'false',
  });
  // Mail is held in the outbox (no SMTP); BENCH_LOG_LEVEL=error shows the server's errors.
  const app = await buildApp({ config, database, clock: systemClock, boss: null, logger: env.BENCH_LOG_LEVEL !== undefined });
  if (seedWith) await seedWith(await (await app.ctx.auth.$context).password.hash(PASSWORD));
  await app.listen({ port, host: '127.0.0.1' });
  return {
    origin,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function benchPostgres() {
  const url = new URL(options.databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a database (letters, digits, _): ${name}`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const exists = (await admin.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1;
  let reuse = false;
  if (exists && options.reuse) {
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    reuse = await alreadySeeded((text) => probe.query(text), options.rows);
    await probe.end();
  }
  if (!reuse) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  const settings: Record<string, string> = {};
  for (const setting of ['shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections'])
    settings[setting] = (await admin.query(`show ${setting}`)).rows[0][setting];
  await admin.end();

  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrateDatabase(database);
  await ensureBaseCatalog(database.db);
  const workers = Array.from({ length: Math.max(2, os.availableParallelism()) }, () => new pg.Client({ connectionString: url.toString() }));
  let seedSeconds: number | null = null;
  const server = await serve(
    database,
    reuse
      ? null
      : async (hash) => {
          log(`PostgreSQL ${version}: seeding ${options.rows.toLocaleString('en')} requests into ${name} (${workers.length} sessions)`);
          const t0 = performance.now();
          await Promise.all(workers.map((w) => w.connect()));
          const execs: Exec[] = workers.map((w) => (text) => w.query(text));
          const queryRows = async (text: string) => (await workers[0]!.query(text)).rows;
          await seed(planFor(options.rows, Math.floor(Date.now() / 1000) - 300), execs, queryRows, hash, {
            superuser: true,
            chunk: 25_000,
            maintenanceWorkMem: '1GB',
          });
          await Promise.all(workers.map((w) => w.end()));
          seedSeconds = Math.round((performance.now() - t0) / 1000);
          log(`  seeded in ${seedSeconds} s`);
        },
  );
  if (reuse) log(`PostgreSQL ${version}: reusing ${options.rows.toLocaleString('en')} requests in ${name}`);
  try {
    const results = await measure('PostgreSQL', database, server.origin);
    return { database: `PostgreSQL ${version}`, settings, requests: options.rows, seedSeconds, poolSize: 10, results };
  } finally {
    await server.close();
    await database.close();
    if (!options.reuse) {
      // A few GB: not left behind unless asked for (BENCH_REUSE=1).
      const cleanup = new pg.Client({ connectionString: adminUrl.toString() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    }
  }
}

async function benchPglite() {
  const dir = path.join(os.tmpdir(), `guichet-bench-pglite-${options.pgliteRows}`);
  let reuse = false;
  if (existsSync(dir) && options.reuse) {
    const probe = await PGlite.create(dir);
    reuse = await alreadySeeded((text) => probe.query(text), options.pgliteRows);
    await probe.close();
  }
  if (!reuse) rmSync(dir, { recursive: true, force: true });
  const pglite = await PGlite.create(dir);
  const version = (await pglite.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '';
  const database = await openDatabase({ pglite });
  await migrateDatabase(database);
  await ensureBaseCatalog(database.db);
  let seedSeconds: number | null = null;
  const server = await serve(
    database,
    reuse
      ? null
      : async (hash) => {
          log(`PGlite ${version}: seeding ${options.pgliteRows.toLocaleString('en')} requests into ${dir}`);
          const t0 = performance.now();
          const exec: Exec = (text) => pglite.exec(text);
          const queryRows = async (text: string) => (await pglite.query(text)).rows;
          await seed(planFor(options.pgliteRows, Math.floor(Date.now() / 1000) - 300), [exec], queryRows, hash, {
            superuser: true,
            chunk: 10_000,
            maintenanceWorkMem: '256MB',
          });
          seedSeconds = Math.round((performance.now() - t0) / 1000);
          log(`  seeded in ${seedSeconds} s`);
        },
  );
  if (reuse) log(`PGlite: reusing ${options.pgliteRows.toLocaleString('en')} requests in ${dir}`);
  try {
    const results = await measure('PGlite', database, server.origin);
    return { database: `PGlite ${version}`, requests: options.pgliteRows, seedSeconds, dataDir: dir, results };
  } finally {
    await server.close();
    await database.close();
    if (!options.reuse) rmSync(dir, { recursive: true, force: true });
  }
}

/* ---------------- report ---------------- */

const TARGETS: Record<string, { p95?: number; perSecond?: number }> = {
  'queue page (all open, by last change; pages 1–5)': { p95: 50 },
  'filtered queue page (7 filter sets)': { p95: 50 },
  'full-text search (10 queries, fr/de/en)': { p95: 150 },
  'request page': { p95: 30 },
  'request creation, concurrency 16': { perSecond: 300 },
};

async function main() {
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    /** Other work on the machine skews the figures: the load average when the run started. */
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
  log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
  );
  type Run = { database: string; requests: number; seedSeconds: number | null; results: Result[] } & Record<string, unknown>;
  const runs: Run[] = [];
  if (!standaloneOnly()) {
    if (!options.skipPostgres) runs.push(await benchPostgres());
    if (!options.skipPglite) runs.push(await benchPglite());
  }
  const sla: Record<string, unknown> = {};
  if (wanted('sla deadlines')) {
    log(`SLA: deadline computation for ${options.slaClocks.toLocaleString('en')} clocks (pure)`);
    sla.deadlines = benchDeadlines(options.slaClocks, log);
  }
  if (wanted('sla sweep') && !options.skipPostgres) {
    log(`SLA: one sweep with ${options.slaSizes.map((n) => n.toLocaleString('en')).join(' and ')} open requests`);
    sla.sweep = await benchSweep(options.slaDatabaseUrl, options.slaSizes, log);
  }

  let inbound: InboundResult | null = null;
  if (wanted('inbound mail') && !options.skipPostgres) {
    inbound = await benchInbound(
      options.inboundDatabaseUrl,
      { rows: options.inboundRows, messages: options.inboundMessages, concurrency: options.inboundConcurrency, profile: env.BENCH_INBOUND_PROFILE === '1' },
      log,
    );
  }

  const jsmImport: JsmImportRun[] | null = wanted('jsm import')
    ? await benchJsmImport(
        options.jsmDatabaseUrl,
        {
          requests: options.jsmRequests,
          comments: options.jsmComments,
          pgliteRequests: options.skipPglite ? 0 : options.jsmPgliteRequests,
          skipPostgres: options.skipPostgres,
          profile: env.BENCH_JSM_PROFILE === '1',
        },
        log,
      )
    : null;

  const firstLoad = wanted('first load') ? await benchFirstLoad(log, { starts: options.starts, lighthouse: options.lighthouse }) : null;

  const report = {
    date: new Date().toISOString(),
    machine,
    samples: options.samples,
    runs,
    ...(Object.keys(sla).length ? { sla } : {}),
    ...(firstLoad ? { firstLoad } : {}),
    ...(inbound ? { inbound } : {}),
    ...(jsmImport ? { jsmImport } : {}),
  };
  console.log('\n## Results\n');
  if (runs.length) {
    const names = [...new Set(runs.flatMap((r) => r.results.map((x) => x.name)))];
    const header = ['scenario', ...runs.map((r) => `${r.database}, ${r.requests.toLocaleString('en')} requests`)];
    const cell = (s: Stats | undefined, name: string, onPostgres: boolean) => {
      if (!s) return '—';
      const target = TARGETS[name];
      const ok = !onPostgres || !target ? '' : target.p95 !== undefined ? (s.p95 < target.p95 ? ' ✓' : ' ✗') : s.perSecond! > target.perSecond! ? ' ✓' : ' ✗';
      return `p50 ${s.p50} ms · p95 ${s.p95} ms${s.perSecond !== undefined ? ` · ${s.perSecond}/s` : ''}${ok}`;
    };
    const lines = [
      header,
      header.map(() => '---'),
      ...names.map((n) => [n, ...runs.map((r) => cell(r.results.find((x) => x.name === n)?.stats, n, r.database.startsWith('PostgreSQL')))]),
    ];
    for (const line of lines) console.log(`| ${line.join(' | ')} |`);
    const scans = runs.flatMap((r) => r.results.flatMap((x) => (x.plan ? x.plan.seqScans.map((s) => `${x.name}: ${s}`) : [])));
    console.log(
      scans.length
        ? `\nSequential scans of large tables:\n${scans.join('\n')}`
        : '\nEXPLAIN ANALYZE of every SELECT of every variant of each read path: no sequential scan of a table of 5,000 rows or more.',
    );
  }
  if (firstLoad) console.log(`\n${firstLoadSummary(firstLoad).join('\n')}`);
  if (inbound) {
    const s = inbound.stats;
    console.log(
      `\ninbound mail (${inbound.database}, ${inbound.requests.toLocaleString('en')} requests, ${inbound.messages} replies from ${inbound.senders} senders, concurrency ${inbound.concurrency}): ` +
        `${s.perSecond} messages/s${s.perSecond! >= 100 ? ' ✓' : ' ✗'} (target ≥ 100/s) · p50 ${s.p50} ms · p95 ${s.p95} ms · max ${s.max} ms`,
    );
  }
  if (jsmImport) console.log(`\n${jsmImportSummary(jsmImport).join('\n')}`);
  console.log('\n## JSON\n');
  console.log(JSON.stringify(report, null, 2));
  if (options.out) writeFileSync(options.out, JSON.stringify(report, null, 2));
  log('done');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
