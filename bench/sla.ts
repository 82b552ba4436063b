/**
 * The SLA entries of `npm run bench` (run them alone with `npm run bench -- --only sla`):
 *
 * 1. Deadline computation, pure: 1,000,000 clocks started at instants spread over two years, with
 *    DESIGN's targets — `addBusinessTime` (the deadline) and `thresholdsOf` (75 %, target and twice
 *    the target, what every clock change stores). Operations per second and total time.
 * 2. One SLA sweep on PostgreSQL with 10,000 and then 1,000,000 open requests under SLA (two clocks
 *    each, every running clock in the sweep's partial indexes with a future instant), and a few due
 *    clocks: the sweep's time with those due clocks and with none, and the EXPLAIN ANALYZE of the
 *    sweep's select per threshold. Its cost must follow the due clocks, not the open requests.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { ManualClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrateDatabase, openDatabase } from '../src/server/db/client.ts';
import { ensureBaseCatalog } from '../src/server/features/catalog/base-catalog.ts';
import { createBusinessCalendar } from '../src/server/features/calendar/business-calendar.ts';
import { thresholdsOf } from '../src/server/features/sla/clock-math.ts';
import { ensureSlaDefaults } from '../src/server/features/sla/policies.ts';
import { getSlaReport, reportQuery } from '../src/server/features/sla/sla-report.ts';
import { dueClocksQuery, runSlaSweep, type Threshold } from '../src/server/features/sla/sweep.job.ts';

type Log = (message: string) => void;

/** DESIGN.md §2 targets in business minutes: engagement and resolution per criticality. */
const TARGET_MINUTES = [60, 480, 240, 1440, 480, 4800, 960, 9600];

/** A deterministic pseudo-random sequence (the same clocks on every run). */
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export type PureResult = { name: string; clocks: number; totalMs: number; perSecond: number };

export function benchDeadlines(count: number, log: Log): PureResult[] {
  const calendar = createBusinessCalendar({});
  const random = lcg(42);
  const base = Date.parse('2026-01-01T00:00:00Z');
  const starts = new Float64Array(count);
  const targets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = base + Math.floor(random() * 2 * 365 * 86_400_000);
    targets[i] = TARGET_MINUTES[i % TARGET_MINUTES.length]! * 60_000;
  }
  // Warm-up: the JIT, and the calendar's per-year tables (holidays of 2026–2028).
  for (let i = 0; i < Math.min(count, 20_000); i++) calendar.addBusinessTime(starts[i]!, targets[i]!);
  const results: PureResult[] = [];
  let checksum = 0;
  let t0 = performance.now();
  for (let i = 0; i < count; i++) checksum += calendar.addBusinessTime(starts[i]!, targets[i]!).getTime() % 7;
  let ms = performance.now() - t0;
  results.push({ name: 'deadline (addBusinessTime)', clocks: count, totalMs: Math.round(ms), perSecond: Math.round((count / ms) * 1000) });
  t0 = performance.now();
  for (let i = 0; i < count; i++) checksum += thresholdsOf(calendar, [{ from: starts[i]!, to: null }], targets[i]! / 60_000, false).deadline!.getTime() % 7;
  ms = performance.now() - t0;
  results.push({ name: '75 % + deadline + twice (thresholdsOf)', clocks: count, totalMs: Math.round(ms), perSecond: Math.round((count / ms) * 1000) });
  for (const r of results) log(`  ${r.name}: ${r.clocks.toLocaleString('en')} clocks in ${r.totalMs} ms (${r.perSecond.toLocaleString('en')}/s)`);
  if (checksum < 0) log('unreachable');
  return results;
}

export type ReportResult = { range: string; medianMs: number; rows: number; plan: string[] };

export type SweepResult = {
  /** The SLA report over the judged engagement clocks of the same data. */
  report: ReportResult[];
  openRequests: number;
  runningClocks: number;
  due: Record<Threshold, number>;
  /** Median of the runs, in ms. */
  sweepWithDueMs: number;
  sweepWithNoneDueMs: number;
  handled: Record<Threshold, number>;
  plans: Record<Threshold, string[]>;
};

const DUE: Record<Threshold, number> = { warning: 100, breach: 20, level3: 5 };
const NOW = new Date('2026-06-15T10:00:00Z');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Open requests lo..hi in progress, each with its engagement judged (stopped on a day of the last
 * 365, one in seven breached, with its stop event) and its resolution
 * running: deadlines and twice-the-target instants between 2 and 60 days ahead; a third already
 * warned (75 % passed hours ago, as at-risk requests are), the others' warnings 1–20 days ahead.
 */
async function seedOpen(client: pg.Client, lo: number, hi: number) {
  await client.query(
    `with t as (
      insert into ticket (key, desk_id, request_type_id, organization_id, reporter_id, created_by_id, summary, description, criticality, status, created_at, updated_at, customer_updated_at, status_changed_at, qualified_at)
      select 'SUP-' || g, d.id, rt.id, o.id, 'bench-sla-customer', 'bench-sla-customer', 'Bench request ' || g, 'Bench', (array['critical','high','medium','low'])[1 + g % 4], 'in_progress',
             $1::timestamptz - interval '1 day', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '20 hours'
      from generate_series(${lo}, ${hi}) g
      cross join (select id from desk where slug = 'support') d
      cross join (select id from request_type where slug = 'assistance') rt
      cross join (select id from organization where name = 'Bench SLA') o
      returning id, criticality, created_at, qualified_at, substr(key, 5)::int as n
    ), c as (
    insert into sla_clock (ticket_id, kind, cycle, policy_id, criticality, target_minutes, started_at, stopped_at, outcome, warn_at, warned_at, deadline, level3_at)
    select t.id, k.kind, 1, p.id, t.criticality, 240, t.created_at,
           case when k.kind = 'engagement' then $1::timestamptz - (t.n % 365) * interval '1 day' - interval '20 hours' end,
           case when k.kind = 'engagement' and t.n % 7 = 0 then 'breached' when k.kind = 'engagement' then 'met' end,
           case when k.kind = 'resolution' and t.n % 3 = 0 then $1::timestamptz - (1 + (t.n % 10)) * interval '1 hour'
                when k.kind = 'resolution' then $1::timestamptz + (1 + (t.n % 20)) * interval '1 day' end,
           case when k.kind = 'resolution' and t.n % 3 = 0 then $1::timestamptz - (1 + (t.n % 10)) * interval '1 hour' end,
           case when k.kind = 'resolution' then $1::timestamptz + (2 + (t.n % 30)) * interval '1 day' end,
           case when k.kind = 'resolution' then $1::timestamptz + (4 + (t.n % 60)) * interval '1 day' end
    from t
    cross join (values ('engagement'), ('resolution')) k(kind)
    cross join (select id from sla_policy where request_type_id = (select id from request_type where slug = 'assistance') order by version desc limit 1) p
    returning id, kind, stopped_at, outcome
    )
    insert into sla_clock_event (clock_id, at, kind, details)
    select id, stopped_at, 'stop', jsonb_build_object('outcome', outcome, 'elapsedMinutes', 10 + (extract(epoch from stopped_at)::bigint / 60) % 400)
    from c where kind = 'engagement'`,
    [NOW],
  );
}

/** Makes a few clocks due (in the past, notice not sent), the same ones each time. */
async function makeDue(client: pg.Client) {
  await client.query(
    `update sla_clock set warn_at = $1::timestamptz - interval '5 minutes', warned_at = null
    where id in (select c.id from sla_clock c join ticket t on t.id = c.ticket_id where c.kind = 'resolution' and t.key in (select 'SUP-' || g from generate_series(1, ${DUE.warning}) g))`,
    [NOW],
  );
  await client.query(
    `update sla_clock set warned_at = $1::timestamptz - interval '1 hour', deadline = $1::timestamptz - interval '5 minutes', breach_notified_at = null
    where id in (select c.id from sla_clock c join ticket t on t.id = c.ticket_id where c.kind = 'resolution' and t.key in (select 'SUP-' || g from generate_series(${DUE.warning + 1}, ${DUE.warning + DUE.breach}) g))`,
    [NOW],
  );
  await client.query(
    `update sla_clock set warned_at = $1::timestamptz - interval '3 hours', breach_notified_at = $1::timestamptz - interval '2 hours', deadline = $1::timestamptz - interval '2 hours', level3_at = $1::timestamptz - interval '5 minutes', level3_notified_at = null
    where id in (select c.id from sla_clock c join ticket t on t.id = c.ticket_id where c.kind = 'resolution' and t.key in (select 'SUP-' || g from generate_series(${DUE.warning + DUE.breach + 1}, ${DUE.warning + DUE.breach + DUE.level3}) g))`,
    [NOW],
  );
}

export async function benchSweep(databaseUrl: string, sizes: number[], log: Log): Promise<{ database: string; results: SweepResult[] }> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`the SLA bench database must be named with letters, digits, _: ${name}`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  await admin.end();

  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  const client = new pg.Client({ connectionString: url.toString() });
  const results: SweepResult[] = [];
  try {
    await migrateDatabase(database);
    await ensureBaseCatalog(database.db);
    await ensureSlaDefaults(database.db, NOW);
    await client.connect();
    await client.query(`insert into organization (name, created_at, updated_at) values ('Bench SLA', now(), now())`);
    await client.query(`insert into "user" (id, name, email, email_verified, role, language, organization_id, created_at, updated_at)
      select 'bench-sla-customer', 'Bench Customer', 'customer@bench-sla.example', true, 'customer', 'fr', id, now(), now() from organization where name = 'Bench SLA'`);
    await client.query(`insert into "user" (id, name, email, email_verified, role, language, created_at, updated_at)
      values ('bench-sla-agent', 'Bench Agent', 'agent@bench-sla.example', true, 'agent', 'en', now(), now())`);
    await client.query(`insert into desk_member (desk_id, user_id) select id, 'bench-sla-agent' from desk where slug = 'support'`);

    const supportId = (await client.query(`select id from desk where slug = 'support'`)).rows[0].id as string;
    const clock = new ManualClock(NOW);
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
    const silent = {
      info() {},
      warn() {},
      error() {},
      debug() {},
      trace() {},
      fatal() {},
      child() {
        return silent;
      },
      level: 'silent',
      silent() {},
    };
    const ctx = {
      db: database.db,
      clock,
      config,
      mail: { clock, log: silent as never, delivery: null, baseUrl: config.baseUrl, replyTo: 'support@bench-sla.example', replySecret: 'bench-secret' },
    };

    let seeded = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      for (let lo = seeded + 1; lo <= size; lo += 100_000) {
        const hi = Math.min(size, lo + 99_999);
        await seedOpen(client, lo, hi);
        if (size > 100_000) log(`  ${hi.toLocaleString('en')} open requests with their clocks`);
      }
      seeded = size;
      await client.query('vacuum (analyze) ticket, sla_clock, sla_clock_event');
      log(`  ${size.toLocaleString('en')} open requests seeded in ${Math.round((performance.now() - t0) / 1000)} s`);
      const running = Number((await client.query(`select count(*) as n from sla_clock where stopped_at is null`)).rows[0].n);

      const withDue: number[] = [];
      const noneDue: number[] = [];
      let handled: Record<Threshold, number> = { warning: 0, breach: 0, level3: 0 };
      for (let run = 0; run < 5; run++) {
        await makeDue(client);
        let t = performance.now();
        handled = await runSlaSweep(ctx);
        withDue.push(performance.now() - t);
        t = performance.now();
        const none = await runSlaSweep(ctx);
        noneDue.push(performance.now() - t);
        if (none.warning + none.breach + none.level3 !== 0) throw new Error('a second sweep found due clocks: notices would be sent twice');
      }
      await makeDue(client);
      const plans = {} as Record<Threshold, string[]>;
      for (const threshold of ['warning', 'breach', 'level3'] as const) {
        await database.db.transaction(async (tx) => {
          const result = await tx.execute(sql`explain (analyze, buffers, costs off, timing off) ${dueClocksQuery(tx, threshold, NOW, 100)}`);
          plans[threshold] = (result as unknown as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']);
        });
      }
      const report: ReportResult[] = [];
      for (const [label, q] of [
        ['one month (2026-05)', { from: '2026-05', to: '2026-05' }],
        ['twelve months (2025-07 to 2026-06)', { from: '2025-07', to: '2026-06' }],
        ['twelve months, one desk', { from: '2025-07', to: '2026-06', deskId: supportId }],
      ] as const) {
        const times: number[] = [];
        let rows = 0;
        for (let run = 0; run < 3; run++) {
          const t = performance.now();
          rows = (await getSlaReport({ db: database.db, clock }, q, 'en')).rows.length;
          times.push(performance.now() - t);
        }
        const explained = await database.db.execute(sql`explain (analyze, buffers, costs off, timing off) ${reportQuery(database.db, q, 'Europe/Zurich')}`);
        const plan = (explained as unknown as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']);
        report.push({ range: label, medianMs: Math.round(median(times)), rows, plan });
        log(`  report, ${label}: ${Math.round(median(times))} ms (${rows} rows)`);
      }
      const result: SweepResult = {
        report,
        openRequests: size,
        runningClocks: running,
        due: DUE,
        sweepWithDueMs: Math.round(median(withDue) * 10) / 10,
        sweepWithNoneDueMs: Math.round(median(noneDue) * 10) / 10,
        handled,
        plans,
      };
      results.push(result);
      log(
        `  sweep, ${size.toLocaleString('en')} open requests (${running.toLocaleString('en')} running clocks): ${result.sweepWithDueMs} ms with ${DUE.warning}+${DUE.breach}+${DUE.level3} due, ${result.sweepWithNoneDueMs} ms with none`,
      );
      for (const line of plans.warning) log(`    ${line}`);
    }
  } finally {
    await client.end().catch(() => {});
    await database.close();
    const cleanup = new pg.Client({ connectionString: adminUrl.toString() });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
  return { database: `PostgreSQL ${version}`, results };
}
