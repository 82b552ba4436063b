/**
 * Boots the real entry point, `node src/server/main.ts`, the way `npm start` does: Vitest compiles
 * what Node's type stripping refuses, so only this proves the server starts under plain Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { configSchema } from '../src/server/config.ts';
import { DEMO_PASSWORD } from '../src/server/demo/seed-demo.ts';
import { freePort } from './support/free-port.ts';

const root = path.resolve(import.meta.dirname, '..');
const onPostgres = process.env.GUICHET_TEST_DB === 'postgres';

type Started = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const running = new Set<ChildProcess>();
const tmpDirs: string[] = [];

function tmpDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-main-'));
  tmpDirs.push(dir);
  return dir;
}

/** Starts main.ts with only the given Guichet settings (none inherited from the environment running the tests). */
function startMain(env: Record<string, string>): Started {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete base[key];
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, ['src/server/main.ts'], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      // Let the pipes drain before the caller reads the output.
      setImmediate(() => resolve({ code, signal }));
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls /api/health until it answers 200: waiting on another process, not on a business rule. */
async function waitUntilHealthy(started: Started, baseUrl: string, timeoutMs = 60_000) {
  let exited = false;
  void started.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`main.ts exited before answering.\nstdout:\n${started.stdout()}\nstderr:\n${started.stderr()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`main.ts did not answer /api/health within ${timeoutMs} ms.\nstdout:\n${started.stdout()}\nstderr:\n${started.stderr()}`);
}

/** On PostgreSQL, an empty database of its own: main.ts migrates it from scratch. */
async function emptyPostgresDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `guichet_t_${inject('runId')}_main_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

describe('node src/server/main.ts', () => {
  it(`starts${onPostgres ? ' on PostgreSQL without the demo accounts, saying how to create an administrator' : ' on its embedded database, prints the demo logins'}, serves the web app, and stops cleanly on SIGTERM`, {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const env: Record<string, string> = { PORT: String(port), DATA_DIR: tmpDir(), LOG_LEVEL: 'warn' };
    if (onPostgres) env.DATABASE_URL = await emptyPostgresDatabase();
    const started = startMain(env);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(started, baseUrl);

    expect(started.stdout()).toContain(`Guichet is running on http://localhost:${port}`);
    if (onPostgres) {
      // A real deployment: the demo accounts, whose password is in the README, are not created.
      expect(started.stdout()).not.toContain('admin@guichet.demo');
      expect(started.stdout()).toContain('npm run admin:create -- --email');
      const demoLogIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://localhost:${port}` },
        body: JSON.stringify({ email: 'admin@guichet.demo', password: DEMO_PASSWORD }),
      });
      expect(demoLogIn.status).toBe(401);
    } else {
      expect(started.stdout()).toContain('admin@guichet.demo');
    }

    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<!doctype html>/i);
    // The built app when there is a build (npm start makes one; the browser tests' setup too), else the page saying how to make it.
    if (existsSync(path.join(root, 'dist/web/index.html'))) {
      expect(html).toMatch(/<script type="module"[^>]* src="\/assets\//);
      expect(html).not.toContain('The web app is not built');
    } else {
      expect(html).toContain('The web app is not built');
    }

    started.child.kill('SIGTERM');
    const { code, signal } = await started.exited;
    expect({ code, signal, stderr: started.stderr() }).toMatchObject({ code: 0, signal: null });
  });

  it('refuses a bad configuration, naming every bad setting at once, without a stack trace', async () => {
    const started = startMain({ PORT: 'abc', HOST: '', SMTP_URL: 'http://x', DATA_DIR: tmpDir() });
    const { code } = await started.exited;
    expect(code).not.toBe(0);
    const stderr = started.stderr();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('SMTP_URL');
    expect(stderr).not.toContain('HOST');
    expect(stderr).not.toContain('    at ');
  });

  it('says plainly when the PostgreSQL server cannot be reached, without a stack trace', async () => {
    const started = startMain({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nope', DATA_DIR: tmpDir() });
    const { code } = await started.exited;
    expect(code).not.toBe(0);
    const stderr = started.stderr();
    expect(stderr).toContain('Cannot reach the PostgreSQL server');
    expect(stderr).not.toContain('    at ');
  });
});
