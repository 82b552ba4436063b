/**
 * `npm run admin:create`, run for real as a child process against a database of its own (a PGlite
 * data folder, or a PostgreSQL database in the postgres project), then checked through the app: the
 * printed link sets the password, the typed password logs in, the account is an administrator.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import { configSchema, loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { account, auditLog, organization, user } from '../../db/schema.ts';
import { call, cookieHeader, openTestDatabase, TEST_ORIGIN } from '../../../../tests/support/test-app.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const CLI = 'src/server/features/users/create-admin-cli.ts';
const onPostgres = process.env.GUICHET_TEST_DB === 'postgres';
const SECRET = 'admin-create-secret-that-is-long-enough-0123';

let dataDir: string;
let databaseUrl: string | undefined;
let dropDatabase: () => Promise<void> = async () => {};
const env = (): Record<string, string> => ({
  DATA_DIR: dataDir,
  AUTH_SECRET: SECRET,
  BASE_URL: TEST_ORIGIN,
  LOG_LEVEL: 'silent',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-admin-create-'));
  if (onPostgres) {
    const database = await openTestDatabase();
    databaseUrl = database.url;
    await database.close();
    dropDatabase = database.drop;
  }
});
afterAll(async () => {
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a command with only the given Guichet settings (none inherited from the environment running the tests). */
function run(command: string, args: string[], options: { input?: (stdout: () => string, write: (text: string) => void) => Promise<void> } = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete base[key];
  delete base.NODE_OPTIONS;
  const child = spawn(command, args, { cwd: root, env: { ...base, ...env() }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => setImmediate(() => resolve(code))));
  const typing = options.input
    ? options.input(
        () => stdout + stderr,
        (text) => child.stdin.write(text),
      )
    : Promise.resolve(child.stdin.end());
  return Promise.all([exited, typing]).then(([code]) => ({ code, stdout, stderr }));
}
const adminCreate = (...args: string[]) => run(process.execPath, [CLI, ...args]);

/** Waits for a prompt of the child process (another process: polling is the only way). */
async function until(what: string, done: () => boolean, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The app on the database the command wrote to (PGlite is one process at a time: open after the command, close before the next). */
async function withApp<T>(use: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...env(), PORT: '3000', TRUST_PROXY: 'true' });
  const database = await openDatabase({ databaseUrl, dataDir });
  const app = await buildApp({ config, database, clock: new ManualClock(new Date()), logger: false });
  try {
    return await use(app);
  } finally {
    await app.close();
    await database.close();
  }
}

let ipCounter = 0;
const signIn = (app: FastifyInstance, email: string, password: string) =>
  call(app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password }, headers: { 'x-forwarded-for': `10.77.0.${++ipCounter}` } });

async function meAfterLogIn(app: FastifyInstance, email: string, password: string) {
  const res = await signIn(app, email, password);
  expect(res.statusCode, res.body).toBe(200);
  const me = await call(app, { url: '/api/me', cookie: cookieHeader(res) });
  expect(me.statusCode).toBe(200);
  return { ...(me.json() as { id: string; role: string; name: string; organization: unknown }), cookie: cookieHeader(res) };
}

const uniqueAddress = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.ch`;

describe('npm run admin:create', () => {
  it('with --link, creates a verified administrator and prints a set-password link that works once; audited', { timeout: 180_000 }, async () => {
    const email = uniqueAddress('ada');
    const result = await run('npm', ['run', '--silent', 'admin:create', '--', '--email', email.toUpperCase(), '--name', 'Ada Admin', '--link']);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`Administrator created: ${email}.`);
    const link = new URL(/https?:\/\/\S+/.exec(result.stdout)![0]);
    expect(link.origin).toBe(TEST_ORIGIN);

    await withApp(async (app) => {
      // Before the password is set, nobody logs in.
      expect((await signIn(app, email, 'Chosen-password-2026')).statusCode).toBe(401);
      const opened = await call(app, { url: link.pathname + link.search });
      expect(opened.statusCode).toBe(302);
      const target = new URL(opened.headers.location as string, TEST_ORIGIN);
      expect(target.pathname).toBe('/reset-password');
      const token = target.searchParams.get('token')!;
      const set = await call(app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'Chosen-password-2026' } });
      expect(set.statusCode, set.body).toBe(200);
      const again = await call(app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'Another-password-2026' } });
      expect(again.statusCode).toBe(400);

      const me = await meAfterLogIn(app, email, 'Chosen-password-2026');
      expect(me).toMatchObject({ role: 'admin', name: 'Ada Admin', organization: null });
      // An administrator's page answers.
      expect((await call(app, { url: '/api/admin/users', cookie: me.cookie })).statusCode).toBe(200);
      const audit = await call(app, { url: `/api/admin/audit?targetId=${me.id}`, cookie: me.cookie });
      expect(audit.json().items).toMatchObject([{ action: 'user.admin_created', actor: null, targetType: 'user', details: { role: 'admin' } }]);
    });
  });

  it('on a terminal, asks the password twice without showing it, asks again when they differ, and that password logs in', { timeout: 180_000 }, async () => {
    const email = uniqueAddress('bob');
    const password = 'Typed-password-2026';
    // `script` gives the command a real terminal (a pseudo-terminal), as a person typing would.
    const command = [process.execPath, CLI, '--email', email].map((part) => `'${part}'`).join(' ');
    const result = await run('script', ['-qec', command, '/dev/null'], {
      input: async (output, write) => {
        // Type each answer once its prompt has been shown for the nth time.
        const typeAt = async (prompt: string, nth: number, text: string) => {
          await until(`prompt "${prompt}" #${nth}`, () => output().split(prompt).length - 1 >= nth, output);
          write(`${text}\r`);
        };
        await typeAt('Password for ', 1, password);
        await typeAt('The same password again', 1, 'Something-else-2026');
        await typeAt('Password for ', 2, password);
        await typeAt('The same password again', 2, password);
      },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('The two passwords differ.');
    expect(result.stdout).toContain(`Administrator created: ${email}.`);
    expect(result.stdout).not.toContain(password);
    expect(result.stdout).not.toContain('Something-else');
    await withApp(async (app) => {
      expect(await meAfterLogIn(app, email, password)).toMatchObject({ role: 'admin', name: 'Administrator' });
    });
  });

  it('without a terminal and without --link, prints a link instead of waiting for a password', { timeout: 120_000 }, async () => {
    const email = uniqueAddress('carla');
    const result = await adminCreate('--email', email);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('not a terminal');
    expect(result.stdout).toMatch(new RegExp(`${TEST_ORIGIN}/api/auth/reset-password/\\S+`));
  });

  it('makes an existing account an administrator (leaving its organization, active again) and says so, keeping its password', {
    timeout: 120_000,
  }, async () => {
    const email = uniqueAddress('dora');
    const userId = randomUUID();
    await withApp(async (app) => {
      const db = app.ctx.db;
      const [org] = await db.insert(organization).values({ name: 'Customer Co' }).returning();
      const now = new Date();
      await db.insert(user).values({
        id: userId,
        name: 'Dora',
        email,
        emailVerified: true,
        role: 'customer',
        organizationId: org!.id,
        banned: true,
        banReason: 'deactivated',
        createdAt: now,
        updatedAt: now,
      });
      const hash = await (await app.ctx.auth.$context).password.hash('Dora-password-2026');
      await db
        .insert(account)
        .values({ id: randomUUID(), accountId: userId, providerId: 'credential', userId, password: hash, createdAt: now, updatedAt: now });
    });

    const result = await adminCreate('--email', email);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${email} already had an account (customer): it is now an administrator, and active again`);
    expect(result.stdout).toContain('password of the account is unchanged');
    expect(result.stdout).not.toMatch(/https?:\/\//);

    await withApp(async (app) => {
      expect(await meAfterLogIn(app, email, 'Dora-password-2026')).toMatchObject({ id: userId, role: 'admin', organization: null });
      const actions = await app.ctx.db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.targetId, userId));
      expect(actions.map((a) => a.action).sort()).toEqual(['user.organization_changed', 'user.reactivated', 'user.role_changed']);
      expect(actions.every((a) => a.actorId === null)).toBe(true);
    });

    const twice = await adminCreate('--email', email);
    expect(twice.stdout).toContain(`${email} is already an administrator: nothing changed.`);
  });

  it('refuses bad input with one line naming the option and exit code 2, creating nothing', { timeout: 120_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['--email', 'not-an-address'], /--email: "not-an-address" is not a valid e-mail address/],
      [['--name', 'Nobody'], /--email is required/],
      [['--email', uniqueAddress('eve'), '--name', '   '], /--name/],
      [['--email', uniqueAddress('eve'), '--role', 'admin'], /--role/],
    ];
    for (const [args, message] of cases) {
      const result = await adminCreate(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^admin:create: /);
    }
    await withApp(async (app) => {
      const eve = await app.ctx.db.select({ email: user.email }).from(user);
      expect(eve.filter((u) => u.email.startsWith('eve-') || u.email === 'not-an-address')).toEqual([]);
    });
  });
});
