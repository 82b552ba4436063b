/**
 * The server lives through PostgreSQL restarts under load. The real entry point, `node src/server/main.ts`,
 * runs on a throwaway cluster of this test's own while two dozen clients open requests, reply and log
 * time (each creation with an Idempotency-Key, as the web app sends them) and read lists; the cluster is
 * stopped (fast, then immediate, in turn) and started again ten times. Every answer is a success, or a
 * 503 `service.database_unavailable` with Retry-After that the client sends again (or 409 while the same
 * key is still being handled); never a 500 or a dropped connection. The process never dies, every
 * acknowledged creation exists exactly once afterwards, and mail and pg-boss jobs resume.
 *
 * Recovery times are printed (BENCHMARKS.md, "Database restarts"), not asserted: the bound here only
 * says that the server works again at all.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/server/demo/seed-demo.ts';
import { freePort } from './support/free-port.ts';
import { startPgCluster, type PgCluster } from './support/pg-cluster.ts';
import { cleanEnv, spawnServer, waitForHealth, type ServerProcess } from './support/server-process.ts';
import { startSmtpReceiver, type SmtpReceiver } from './support/smtp.ts';

const root = path.resolve(import.meta.dirname, '..');
const RESTARTS = 10;
/** How long the server may take to work again after the database is back before the test calls it broken (measured times go to BENCHMARKS.md). */
const WORKS_AGAIN_WITHIN_MS = 30_000;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Polls until `check` returns a value: waiting on other processes and sockets, not on a business rule. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
const percentile = (values: number[], p: number) => Math.round([...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * values.length) - 1)] ?? NaN);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Session = { email: string; cookie: string };

describe('PostgreSQL restarts under load', () => {
  it(`keeps the server up through ${RESTARTS} restarts: 503 with Retry-After meanwhile, nothing acknowledged lost or doubled, mail and jobs resume`, {
    timeout: 300_000,
  }, async () => {
    const cluster: PgCluster = await startPgCluster();
    cleanups.push(() => cluster.destroy());
    const smtp: SmtpReceiver = await startSmtpReceiver();
    cleanups.push(() => smtp.stop());
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const server: ServerProcess = spawnServer(process.execPath, ['src/server/main.ts'], {
      cwd: root,
      env: cleanEnv({
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: cluster.url,
        DEMO_DATA: 'true',
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'true',
        MAIL_SEND_TIMEOUT_SECONDS: '5',
      }),
    });
    cleanups.push(() => server.stop(10_000));
    await waitForHealth(server, baseUrl, { timeoutMs: 120_000 });
    const db = () => new pg.Client({ connectionString: cluster.url });

    /** What the clients saw that a client could not act on: any of it fails the test. */
    const unexpected: string[] = [];
    const seen = { ok: 0, unavailable: 0, inProgress: 0 };
    /** How long each 503 took to come back (ms): an outage is answered at once, not after a hang. */
    const unavailableMs: number[] = [];

    /**
     * One request as a well-behaved client sends it: on 503 with Retry-After (or 409 for a key still
     * in flight) it waits as told and sends the same request again, Idempotency-Key included.
     */
    async function send(session: Session | null, method: string, url: string, body?: unknown): Promise<{ status: number; json: any } | null> {
      const key = method === 'POST' ? randomUUID() : undefined;
      for (;;) {
        let res: Response;
        const sentAt = performance.now();
        try {
          res = await fetch(`${baseUrl}${url}`, {
            method,
            headers: {
              origin: baseUrl,
              ...(session ? { cookie: session.cookie } : {}),
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
              ...(key ? { 'idempotency-key': key } : {}),
            },
            body: body !== undefined ? JSON.stringify(body) : undefined,
            // Far longer than any answer should take: an outage is answered at once, not by hanging.
            signal: AbortSignal.timeout(20_000),
          });
        } catch (error) {
          unexpected.push(`${method} ${url}: no answer (${(error as Error).message})`);
          return null;
        }
        const text = await res.text();
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        if (res.ok) {
          seen.ok++;
          return { status: res.status, json };
        }
        const retryable =
          (res.status === 503 && (json?.code === 'service.database_unavailable' || (url === '/api/health' && json?.database === 'down'))) ||
          (res.status === 409 && json?.code === 'idempotency.in_progress');
        if (!retryable || !(retryAfter > 0)) {
          unexpected.push(`${method} ${url}: ${res.status} retry-after=${res.headers.get('retry-after')} ${text.slice(0, 300)}`);
          return null;
        }
        if (res.status === 503) {
          seen.unavailable++;
          unavailableMs.push(performance.now() - sentAt);
        } else seen.inProgress++;
        if (url === '/api/health') return { status: res.status, json };
        await sleep(retryAfter * 1000);
      }
    }

    const signIn = async (email: string, i: number): Promise<Session> => {
      const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': `10.7.0.${i + 1}` },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      expect(res.status, `${email} signs in`).toBe(200);
      return {
        email,
        cookie: res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      };
    };
    const customers = [await signIn('claire.dubois@alpina-industrie.ch', 0), await signIn('jonas.meier@helvetia-logistik.ch', 1)];
    const agent = await signIn('agent@guichet.demo', 2);
    const catalog = await send(customers[0]!, 'GET', '/api/catalog');
    const assistanceId: string = catalog!.json.desks.find((d: any) => d.slug === 'support').requestTypes.find((t: any) => t.slug === 'assistance').id;

    /** Everything a client was told was created, by kind, with the unique text it carries. */
    const acknowledged = { ticket: [] as string[], message: [] as string[], timeEntry: [] as string[] };
    /** Everything sent, acknowledged or not: none may exist twice. */
    const attempted = { ticket: [] as string[], message: [] as string[], timeEntry: [] as string[] };
    const ticketsOf = new Map<Session, string[]>(customers.map((c) => [c, []]));

    const openTicket = async (customer: Session) => {
      const summary = `Restart ${randomUUID()}`;
      attempted.ticket.push(summary);
      const res = await send(customer, 'POST', '/api/requests', {
        requestTypeId: assistanceId,
        summary,
        description: 'Opened while the database restarts.',
        criticality: 'medium',
      });
      if (res?.status === 201) {
        acknowledged.ticket.push(summary);
        ticketsOf.get(customer)!.push(res.json.key);
        return res.json.key as string;
      }
      return null;
    };
    const anyTicket = (customer?: Session) => {
      const keys = customer ? ticketsOf.get(customer)! : [...ticketsOf.values()].flat();
      return keys.length ? keys[Math.floor(Math.random() * keys.length)]! : null;
    };
    const reply = async (session: Session, key: string) => {
      const body = `Reply ${randomUUID()}`;
      attempted.message.push(body);
      const res = await send(session, 'POST', `/api/requests/${key}/messages`, { body });
      if (res?.status === 201) acknowledged.message.push(body);
    };
    const logTime = async (key: string) => {
      const description = `Time ${randomUUID()}`;
      attempted.timeEntry.push(description);
      const workedOn = new Date().toISOString().slice(0, 10);
      const res = await send(agent, 'POST', `/api/requests/${key}/time-entries`, { minutes: 15, workedOn, description, billable: false });
      if (res?.status === 201) acknowledged.timeEntry.push(description);
    };
    for (const customer of customers) await openTicket(customer);

    let stopping = false;
    const loops: Promise<void>[] = [];
    const loop = (work: () => Promise<unknown>) =>
      loops.push(
        (async () => {
          while (!stopping) await work();
        })(),
      );
    for (let i = 0; i < 8; i++) loop(() => openTicket(customers[i % 2]!));
    for (let i = 0; i < 6; i++)
      loop(async () => {
        const customer = customers[i % 2]!;
        const key = anyTicket(customer);
        if (key) await reply(customer, key);
      });
    for (let i = 0; i < 4; i++)
      loop(async () => {
        const key = anyTicket();
        if (key) await reply(agent, key);
      });
    for (let i = 0; i < 4; i++)
      loop(async () => {
        const key = anyTicket();
        if (key) await logTime(key);
      });
    for (let i = 0; i < 2; i++) loop(() => send(customers[i]!, 'GET', '/api/requests'));
    loop(async () => {
      await send(null, 'GET', '/api/health');
      await sleep(50);
    });

    /** Fails at once, with its output, when the server process is gone (the bug this test is about). */
    const alive = () => {
      if (server.hasExited()) throw new Error(`the server died:\n${server.output().slice(-6000)}`);
    };
    const recoveries: { mode: string; healthMs: number; creationMs: number; outage503: number }[] = [];
    try {
      for (let i = 0; i < RESTARTS; i++) {
        const before = seen.ok;
        await until(
          'requests succeeding before the restart',
          () => {
            alive();
            return seen.ok >= before + 20 ? true : undefined;
          },
          60_000,
        );
        const mode = i % 2 === 0 ? 'fast' : 'immediate';
        const unavailableBefore = seen.unavailable;
        await cluster.stop(mode);
        // The clients are answered 503 while the database is away (waiting on sockets, with a generous bound).
        await until(
          'a 503 during the outage',
          () => {
            alive();
            return seen.unavailable > unavailableBefore ? true : undefined;
          },
          30_000,
        );
        await cluster.start();
        const back = performance.now();
        alive();
        const healthMs = await until(
          'health again',
          async () => {
            alive();
            return (await send(null, 'GET', '/api/health'))?.status === 200 ? performance.now() - back : undefined;
          },
          WORKS_AGAIN_WITHIN_MS,
        );
        const creationMs = await until(
          'a creation again',
          async () => {
            alive();
            const started = performance.now();
            const res = await fetch(`${baseUrl}/api/requests`, {
              method: 'POST',
              headers: { origin: baseUrl, cookie: customers[0]!.cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
              body: JSON.stringify({ requestTypeId: assistanceId, summary: `Probe ${randomUUID()}`, description: 'Is it back?', criticality: 'low' }),
            });
            if (res.status === 201) return started - back;
            if (res.status !== 503 || !res.headers.get('retry-after')) unexpected.push(`probe: ${res.status} ${await res.text()}`);
            return undefined;
          },
          WORKS_AGAIN_WITHIN_MS,
        );
        recoveries.push({ mode, healthMs: Math.round(healthMs), creationMs: Math.round(creationMs), outage503: seen.unavailable - unavailableBefore });
      }
    } finally {
      stopping = true;
      await Promise.all(loops);
    }
    console.log(
      `Recovery after each restart (ms from pg_ctl start returning):\n${recoveries.map((r, i) => `  ${i + 1}. ${r.mode.padEnd(9)} health ${r.healthMs}, first creation sent at ${r.creationMs}; 503s seen ${r.outage503}`).join('\n')}\n` +
        `503 answered in ${percentile(unavailableMs, 0.5)} ms (median), ${percentile(unavailableMs, 0.99)} ms (99th percentile), ${percentile(unavailableMs, 1)} ms (slowest)\n` +
        `answers: ${seen.ok} ok, ${seen.unavailable} × 503, ${seen.inProgress} × 409 in progress; created ${acknowledged.ticket.length} requests, ${acknowledged.message.length} replies, ${acknowledged.timeEntry.length} time entries`,
    );

    expect(unexpected).toEqual([]);
    // The failed queries are logged without their parameters: no session token in the server's output.
    for (const session of [...customers, agent]) {
      const token = decodeURIComponent(/session_token=([^;]+)/.exec(session.cookie)![1]!).split('.')[0]!;
      expect(server.output().includes(token), `${session.email}'s session token in the log`).toBe(false);
    }
    expect(server.hasExited(), server.output()).toBe(false);
    expect(recoveries).toHaveLength(RESTARTS);
    expect(acknowledged.message.length).toBeGreaterThan(0);
    expect(acknowledged.timeEntry.length).toBeGreaterThan(0);

    // Every acknowledged creation exists exactly once; nothing sent exists twice.
    const client = db();
    await client.connect();
    cleanups.push(() => client.end());
    const counts = async (sql: string, texts: string[]) => {
      const { rows } = await client.query<{ text: string; n: number }>(sql, [texts]);
      return new Map(rows.map((r) => [r.text, Number(r.n)]));
    };
    const checks = [
      ['ticket', 'select summary as text, count(*) as n from ticket where summary = any($1) group by summary'],
      ['message', 'select body as text, count(*) as n from ticket_message where body = any($1) group by body'],
      ['timeEntry', 'select description as text, count(*) as n from time_entry where description = any($1) group by description'],
    ] as const;
    for (const [kind, sql] of checks) {
      const found = await counts(sql, attempted[kind]);
      expect(
        acknowledged[kind].filter((text) => found.get(text) !== 1),
        `${kind}: acknowledged but not there exactly once`,
      ).toEqual([]);
      expect(
        [...found].filter(([, n]) => n > 1),
        `${kind}: there twice`,
      ).toEqual([]);
    }

    // After the last restart: an agent's reply is mailed to the customer through the outbox and a pg-boss job.
    const lastBack = new Date();
    const key = ticketsOf.get(customers[0]!)![0]!;
    const res = await send(agent, 'POST', `/api/requests/${key}/messages`, { body: `After the restarts ${randomUUID()}` });
    expect(res?.status).toBe(201);
    await until(
      'every outbox message sent',
      async () => {
        const { rows } = await client.query<{ pending: number; total: number }>(
          "select count(*) filter (where status <> 'sent') as pending, count(*) as total from outbox",
        );
        return Number(rows[0]!.pending) === 0 && Number(rows[0]!.total) > 0 ? true : undefined;
      },
      120_000,
      250,
    );
    await until(
      'a mail job run by pg-boss after the restarts',
      async () => {
        const { rows } = await client.query("select 1 from pgboss.job where name = 'mail.deliver' and state = 'completed' and created_on >= $1 limit 1", [
          lastBack,
        ]);
        return rows.length ? true : undefined;
      },
      60_000,
      250,
    );
    const { rows: outbox } = await client.query<{ id: string; to: string }>('select id, "to" from outbox');
    const received = new Map<string, number>();
    for (const m of smtp.messages) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
    const messageIds = new Set(outbox.map((m) => `<${m.id}@localhost>`));
    expect(
      outbox.filter((m) => !received.has(`<${m.id}@localhost>`)),
      'outbox messages never received',
    ).toEqual([]);
    expect(
      smtp.messages.filter((m) => !messageIds.has(m.messageId)).map((m) => m.messageId),
      'messages that are no outbox row',
    ).toEqual([]);
    expect(server.hasExited(), server.output()).toBe(false);
  });
});
