/**
 * The app killed while it processes an e-mail: the real entry point (`node src/server/main.ts`) with
 * its SMTP receiver, on PostgreSQL. The reply is stored, then its processing waits on the request's
 * row (locked here by another session); the process is killed with SIGKILL there. Started again, the
 * message is still `received`; the MTA's retry of the same message is a duplicate; the sweep posts
 * it once. (On PostgreSQL only: the lock is taken from a second connection to the server.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv, spawnServer, waitForHealth, type ServerProcess } from '../../../../tests/support/server-process.ts';
import { freePort } from '../../../../tests/support/free-port.ts';
import { signedReplyAddress } from '../mail/reply-address.ts';
import { inboundSweepJob } from './sweep.job.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const SECRET = 'inbound-crash-test-secret-0123456789abcdef';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Polls until `check` gives a value: waiting on another process and the database, not on a business rule. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function emptyDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `guichet_t_${inject('runId')}_inbound_crash_${randomUUID().slice(0, 8)}`;
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

describe('an e-mail being processed when the app is killed', () => {
  it('is posted once after the restart, and the MTA’s retry of it is a duplicate', { timeout: 300_000 }, async () => {
    const databaseUrl = await emptyDatabase();
    const [port, smtpPort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-inbound-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = cleanEnv({
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'true',
      AUTH_SECRET: SECRET,
      MAIL_REPLY_TO: 'support@guichet.test',
      INBOUND_SMTP_PORT: String(smtpPort),
      LOG_LEVEL: 'warn',
    });
    const baseUrl = `http://localhost:${port}`;
    const start = async () => {
      const server = spawnServer(process.execPath, ['src/server/main.ts'], { cwd: root, env });
      cleanups.push(() => server.stop(5000));
      await waitForHealth(server, baseUrl, { timeoutMs: 120_000 });
      return server;
    };
    const db = new pg.Client({ connectionString: databaseUrl });
    const locker = new pg.Client({ connectionString: databaseUrl });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    cleanups.push(() => transport.close());

    const first: ServerProcess = await start();
    await db.connect();
    await locker.connect();
    cleanups.push(
      () => db.end(),
      () => locker.end().catch(() => {}),
    );
    const [request] = (
      await db.query<{ id: string; key: string; email: string }>(
        `select t.id, t.key, u.email from ticket t join "user" u on u.id = t.reporter_id
         where t.status in ('open', 'qualified', 'in_progress', 'waiting_customer') order by t.key limit 1`,
      )
    ).rows;
    expect(request).toBeDefined();
    const messageId = `<${randomUUID()}@client.test>`;
    const body = `Written just before the crash ${randomUUID()}.`;
    const mail = {
      from: request!.email,
      to: signedReplyAddress('support@guichet.test', SECRET, request!.key, request!.email),
      subject: `Re: [${request!.key}]`,
      text: body,
      messageId,
    };

    // The request's row is locked elsewhere: the reply, once stored, waits there to be posted.
    await locker.query('begin');
    await locker.query('select id from ticket where id = $1 for update', [request!.id]);
    const delivery = transport.sendMail(mail).then(
      () => 'answered',
      () => 'cut off',
    );
    await until('the reply stored and its processing waiting on the request', async () => {
      const stored = await db.query('select status from inbound_message where message_id = $1', [messageId.toLowerCase()]);
      const waiting = await db.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return stored.rows[0]?.status === 'received' && waiting.rowCount ? true : undefined;
    });
    process.kill(-first.child.pid!, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // The MTA never got its answer: it keeps the message and will send it again.
    expect(await delivery).toBe('cut off');
    await locker.query('rollback');
    const posted = async () => (await db.query('select id from ticket_message where ticket_id = $1 and body = $2', [request!.id, body])).rows;
    expect(await posted()).toEqual([]);
    expect((await db.query('select status from inbound_message where message_id = $1', [messageId.toLowerCase()])).rows).toEqual([{ status: 'received' }]);

    // The killed process's lease (5 minutes) is over: moved in the database, as tests move time.
    await db.query(`update inbound_message set claimed_until = now() - interval '1 second' where message_id = $1`, [messageId.toLowerCase()]);
    await start();
    // The MTA's retry: answered, and the same message stays one.
    await transport.sendMail(mail);
    expect((await db.query('select count(*)::int as n from inbound_message where message_id = $1', [messageId.toLowerCase()])).rows).toEqual([{ n: 1 }]);
    // The sweep (every minute) runs now: queued here, worked by the restarted server.
    const boss = new PgBoss({ schema: 'pgboss', connectionString: databaseUrl, supervise: false, schedule: false, migrate: false });
    await boss.start();
    cleanups.push(() => boss.stop({ graceful: false }));
    await boss.send(inboundSweepJob.name, {});
    const rows = await until('the reply posted by the sweep', async () => ((await posted()).length ? posted() : undefined), 90_000);
    expect(rows).toHaveLength(1);
    expect((await db.query('select status, attempts from inbound_message where message_id = $1', [messageId.toLowerCase()])).rows).toEqual([
      { status: 'processed', attempts: 2 },
    ]);
    // Another sweep finds nothing left: posted once.
    await boss.send(inboundSweepJob.name, {});
    await until('the second sweep done', async () => {
      const done = await db.query(`select 1 from pgboss.job where name = $1 and state = 'completed'`, [inboundSweepJob.name]);
      return (done.rowCount ?? 0) >= 2 ? true : undefined;
    });
    expect(await posted()).toHaveLength(1);
  });
});
