/**
 * No notification is lost when the server dies mid-delivery: the real entry point, `node src/server/main.ts`,
 * sends to a real SMTP server that stalls after reading a message; the process is killed with SIGKILL
 * while it waits for the answer, started again on the same database, and every message of the outbox
 * arrives, each under the one Message-ID of its outbox row. And a SIGKILL in the middle of creations
 * (replies of a customer and of an agent, time entries, each with an Idempotency-Key) loses nothing
 * acknowledged: what was unanswered is sent again with its key and exists once, and each agent reply
 * is mailed to the customer under one Message-ID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { configSchema } from '../src/server/config.ts';
import { DEMO_PASSWORD } from '../src/server/demo/seed-demo.ts';
import { IN_FLIGHT_TAKEOVER_MS } from '../src/server/features/idempotency/idempotency.ts';
import { freePort } from './support/free-port.ts';
import { startSmtpReceiver, type SmtpReceiver } from './support/smtp.ts';

const root = path.resolve(import.meta.dirname, '..');
const onPostgres = process.env.GUICHET_TEST_DB === 'postgres';

type Started = { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };
const running = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

function startMain(env: Record<string, string>): Started {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete base[key];
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, ['src/server/main.ts'], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      setImmediate(() => resolve({ code, signal }));
    });
  });
  return { child, output: () => out, exited };
}

/** Polls until `check` returns a value: waiting on other processes and sockets, not on a business rule. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function waitUntilHealthy(started: Started, baseUrl: string) {
  let exited = false;
  void started.exited.then(() => (exited = true));
  await until(
    `main.ts answering /api/health\n${started.output()}`,
    async () => {
      if (exited) throw new Error(`main.ts exited before answering:\n${started.output()}`);
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    90_000,
    250,
  );
}

async function emptyPostgresDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `guichet_t_${inject('runId')}_crash_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: base });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

type OutboxItem = { id: string; to: string; status: string; attempts: number };

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('mail delivery across a crash', () => {
  let smtp: SmtpReceiver | undefined;
  afterAll(async () => {
    await smtp?.stop();
  });

  it(`delivers every message after a SIGKILL in the middle of a delivery${onPostgres ? ' (PostgreSQL)' : ' (embedded database)'}, each under one Message-ID`, {
    timeout: 240_000,
  }, async () => {
    smtp = await startSmtpReceiver();
    smtp.stall();
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SMTP_URL: smtp.url,
      TRUST_PROXY: 'true',
      // A short send timeout, so the killed process's claim (three times as long) runs out quickly.
      MAIL_SEND_TIMEOUT_SECONDS: '2',
    };
    // The demo administrator reads the outbox; on PostgreSQL the demo data is loaded only when asked for.
    if (onPostgres) Object.assign(env, { DATABASE_URL: await emptyPostgresDatabase(), DEMO_DATA: 'true' });
    const baseUrl = `http://localhost:${port}`;

    const first = startMain(env);
    await waitUntilHealthy(first, baseUrl);
    const emails = Array.from({ length: 4 }, (_, i) => `crash-${i}-${randomUUID().slice(0, 8)}@example.test`);
    for (const email of emails) {
      const res = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: baseUrl,
          'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`,
        },
        body: JSON.stringify({ name: 'Crash Test', email, password: 'A-strong-password-1', language: 'en' }),
      });
      expect(res.status).toBe(200);
    }

    // A message has been read to its end by the SMTP server, which has not answered: kill the sender now.
    await until('a delivery stalled in the SMTP server', () => (smtp!.stalled() > 0 ? true : undefined), 30_000, 10);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(smtp.messages).toHaveLength(0);
    smtp.unstall();

    const second = startMain(env);
    await waitUntilHealthy(second, baseUrl);
    const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': '10.8.0.1' },
      body: JSON.stringify({ email: 'admin@guichet.demo', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    const items = await until(
      'every outbox message sent',
      async () => {
        const res = await fetch(`${baseUrl}/api/admin/outbox?limit=100`, { headers: { cookie, origin: baseUrl } });
        const page = (await res.json()) as { items: OutboxItem[] };
        return page.items.length >= emails.length && page.items.every((m) => m.status === 'sent') ? page.items : undefined;
      },
      90_000,
      250,
    );
    second.child.kill('SIGTERM');
    await second.exited;

    for (const email of emails) expect(items.filter((m) => m.to === email)).toHaveLength(1);
    const messageIdOf = (id: string) => `<${id}@localhost>`;
    for (const item of items) {
      const received = smtp.messages.filter((m) => m.messageId === messageIdOf(item.id));
      // Every notification arrived; a re-send after the crash could only repeat the same Message-ID.
      expect(received.length, `${item.to} received`).toBeGreaterThanOrEqual(1);
      for (const m of received) expect(m.rcptTo).toEqual([item.to]);
    }
    // Nothing arrived under a Message-ID that is not one outbox row's, and no recipient got two different ones.
    const known = new Set(items.map((m) => messageIdOf(m.id)));
    expect(smtp.messages.filter((m) => !known.has(m.messageId))).toEqual([]);
    for (const email of emails) expect(new Set(smtp.messages.filter((m) => m.rcptTo.includes(email)).map((m) => m.messageId)).size).toBe(1);
  });

  it(`loses no reply or time entry acknowledged before a SIGKILL during creations, and mails each reply once${onPostgres ? ' (PostgreSQL)' : ' (embedded database)'}`, {
    timeout: 360_000,
  }, async () => {
    const receiver = await startSmtpReceiver();
    cleanups.push(() => receiver.stop());
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SMTP_URL: receiver.url,
      TRUST_PROXY: 'true',
      MAIL_SEND_TIMEOUT_SECONDS: '2',
    };
    if (onPostgres) Object.assign(env, { DATABASE_URL: await emptyPostgresDatabase(), DEMO_DATA: 'true' });
    const baseUrl = `http://localhost:${port}`;

    const first = startMain(env);
    await waitUntilHealthy(first, baseUrl);
    const signIn = async (email: string, ip: string) => {
      const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': ip },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      expect(res.status, email).toBe(200);
      return res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
    const customer = await signIn('claire.dubois@alpina-industrie.ch', '10.8.1.1');
    const agent = await signIn('agent@guichet.demo', '10.8.1.2');
    const catalog = (await (await fetch(`${baseUrl}/api/catalog`, { headers: { cookie: customer } })).json()) as {
      desks: { slug: string; requestTypes: { slug: string; id: string }[] }[];
    };
    const requestTypeId = catalog.desks.find((d) => d.slug === 'support')!.requestTypes.find((t) => t.slug === 'assistance')!.id;

    type Creation = {
      kind: 'customer reply' | 'agent reply' | 'time entry';
      cookie: string;
      url: string;
      body: Record<string, unknown>;
      text: string;
      idempotencyKey: string;
    };
    const post = (c: Pick<Creation, 'cookie' | 'url' | 'body' | 'idempotencyKey'>) =>
      fetch(`${baseUrl}${c.url}`, {
        method: 'POST',
        headers: { cookie: c.cookie, origin: baseUrl, 'content-type': 'application/json', 'idempotency-key': c.idempotencyKey },
        body: JSON.stringify(c.body),
      });
    const opened = await post({
      cookie: customer,
      url: '/api/requests',
      idempotencyKey: randomUUID(),
      body: { requestTypeId, summary: 'Crash during replies', description: 'Replies and time while the server dies.', criticality: 'medium' },
    });
    expect(opened.status).toBe(201);
    const { key } = (await opened.json()) as { key: string };

    const acknowledged: Creation[] = [];
    /** Sent when the process died: no answer, so the client does not know; it sends them again, same key. */
    const unanswered: Creation[] = [];
    const make = (kind: Creation['kind']): Creation => {
      const text = `${kind} ${randomUUID()}`;
      const idempotencyKey = randomUUID();
      if (kind === 'time entry') {
        return {
          kind,
          cookie: agent,
          url: `/api/requests/${key}/time-entries`,
          text,
          idempotencyKey,
          body: { minutes: 10, workedOn: new Date().toISOString().slice(0, 10), description: text, billable: false },
        };
      }
      return { kind, cookie: kind === 'agent reply' ? agent : customer, url: `/api/requests/${key}/messages`, text, idempotencyKey, body: { body: text } };
    };
    let killed = false;
    const creator = async (kind: Creation['kind']) => {
      while (!killed) {
        const creation = make(kind);
        const res = await post(creation).catch(() => null);
        if (!res) {
          unanswered.push(creation);
          return;
        }
        expect(res.status, `${creation.kind}: ${await res.clone().text()}`).toBe(201);
        acknowledged.push(creation);
      }
    };
    const creators = (['customer reply', 'agent reply', 'time entry', 'agent reply', 'time entry', 'customer reply'] as const).map((kind) => creator(kind));
    // Creations are under way on every kind (waiting on sockets): kill the server in the middle of them.
    await until(
      'creations of every kind acknowledged',
      () =>
        ['customer reply', 'agent reply', 'time entry'].every((k) => acknowledged.some((c) => c.kind === k)) && acknowledged.length >= 12 ? true : undefined,
      60_000,
      5,
    );
    first.child.kill('SIGKILL');
    killed = true;
    expect((await first.exited).signal).toBe('SIGKILL');
    await Promise.all(creators);
    // Each creator had a request on its way (they send without a pause): the kill came in the middle of creations.
    expect(unanswered.length).toBeGreaterThan(0);

    const second = startMain(env);
    await waitUntilHealthy(second, baseUrl);
    // The unanswered ones are sent again with their key: each is created then, or was already (its answer
    // replayed). A key the killed process had claimed is answered 409 with Retry-After until it is taken
    // over (IN_FLIGHT_TAKEOVER_MS): the client waits as told.
    for (const creation of unanswered) {
      const res = await until(
        `${creation.kind} sent again`,
        async () => {
          const res = await post(creation);
          if (res.status === 409 && Number(res.headers.get('retry-after')) > 0) return undefined;
          return res;
        },
        IN_FLIGHT_TAKEOVER_MS + 60_000,
        1000,
      );
      expect([200, 201], `${creation.kind} sent again: ${await res.clone().text()}`).toContain(res.status);
    }
    const all = [...acknowledged, ...unanswered];

    const detail = (await (await fetch(`${baseUrl}/api/requests/${key}`, { headers: { cookie: agent } })).json()) as { messages: { body: string }[] };
    const entries = (await (await fetch(`${baseUrl}/api/requests/${key}/time-entries`, { headers: { cookie: agent } })).json()) as {
      entries: { description: string }[];
    };
    const texts = [...detail.messages.map((m) => m.body), ...entries.entries.map((e) => e.description)];
    for (const creation of all)
      expect(
        texts.filter((t) => t === creation.text),
        `${creation.kind} ${creation.text}`,
      ).toHaveLength(1);

    // Every agent reply is mailed to the customer, under one Message-ID (a delivery cut by the kill is sent again under the same one).
    const agentReplies = all.filter((c) => c.kind === 'agent reply');
    const mailsOf = (text: string) => receiver.messages.filter((m) => m.text.includes(text.split(' ').at(-1)!));
    await until('every agent reply mailed', () => (agentReplies.every((c) => mailsOf(c.text).length > 0) ? true : undefined), 90_000, 250);
    for (const creation of agentReplies) {
      const mails = mailsOf(creation.text);
      expect(new Set(mails.map((m) => m.messageId)).size, `${creation.text}: mails`).toBe(1);
      for (const m of mails) expect(m.rcptTo).toEqual(['claire.dubois@alpina-industrie.ch']);
    }
    // Customers' replies and time entries mail no customer: nothing else carries a creation's text.
    for (const creation of all.filter((c) => c.kind !== 'agent reply')) {
      expect(
        mailsOf(creation.text).filter((m) => m.rcptTo.includes('claire.dubois@alpina-industrie.ch')),
        creation.text,
      ).toEqual([]);
    }
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
