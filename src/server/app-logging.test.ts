/**
 * What the server writes to its console: requests at debug only (not two info lines each), errors at
 * error, and, without SMTP, each held e-mail as a person reads it (real lines, a link to click).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { ManualClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { openTestDatabase, TEST_ORIGIN } from '../../tests/support/test-app.ts';

type LogLine = { level: number; msg: string; [key: string]: unknown };

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let dataDir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-logging-'));
});
afterAll(async () => {
  await database.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The real app at a log level, writing to a captured output, with a route that fails. */
async function appLoggingAt(level: string) {
  let output = '';
  const config = loadConfig({
    DATA_DIR: dataDir,
    AUTH_SECRET: 'logging-secret-that-is-long-enough-0123456',
    BASE_URL: TEST_ORIGIN,
    PORT: '3000',
    LOG_LEVEL: level,
    TRUST_PROXY: 'true',
  });
  const app = await buildApp({ config, database, clock: new ManualClock(new Date()), output: { write: (text: string) => (output += text) } });
  app.get('/api/test-failure', { config: { access: 'public' } }, async () => {
    throw new Error('disk on fire');
  });
  await app.ready();
  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { app, output: () => output, lines };
}

let counter = 0;
const signUp = (app: Awaited<ReturnType<typeof appLoggingAt>>['app'], email: string) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    headers: { origin: TEST_ORIGIN, 'x-forwarded-for': `10.66.0.${++counter}` },
    payload: { name: 'Newcomer', email, password: 'A-strong-password-1', language: 'en', callbackURL: '/verify-email/done' },
  });

describe('the console of the server', () => {
  it('at info: no line per request, errors at error, and a held e-mail printed readably with its link on a line of its own', async () => {
    const { app, output, lines } = await appLoggingAt('info');
    try {
      for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/nope' })).statusCode).toBe(404);
      const email = `newcomer-${Date.now()}@example.ch`;
      expect((await signUp(app, email)).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/test-failure' })).statusCode).toBe(500);

      const requestLines = lines().filter((l) => l.level <= 30 && /request/.test(l.msg));
      expect(requestLines).toEqual([]);
      const errors = lines().filter((l) => l.level === 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ msg: 'request failed', err: { message: 'disk on fire' } });

      const text = output();
      const start = text.indexOf('E-mail held in the outbox');
      const mail = text.slice(start, text.indexOf('\n{', start));
      expect(mail).toMatch(new RegExp(`\\nTo: ${email.replace(/[.]/g, '\\.')}\\nSubject: .+\\n\\n`));
      expect(mail).toMatch(/ http:\/\/localhost:3000\/api\/auth\/verify-email\?token=[^\s"\\]+\n/);
      // Real line breaks, not a JSON string with escaped ones.
      expect(mail).not.toContain('\\n');
      expect(lines().some((l) => JSON.stringify(l).includes('verify-email?token='))).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('at debug: one line per request, with its method, address, status and time', async () => {
    const { app, lines } = await appLoggingAt('debug');
    try {
      await app.inject({ url: '/api/health' });
      await app.inject({ url: '/api/nope' });
      const requests = lines().filter((l) => l.msg === 'request completed');
      expect(requests.map((l) => [l.level, l.method, l.url, l.statusCode])).toEqual([
        [20, 'GET', '/api/health', 200],
        [20, 'GET', '/api/nope', 404],
      ]);
      expect(requests.every((l) => typeof l.responseTime === 'number')).toBe(true);
      expect(lines().some((l) => l.msg === 'incoming request')).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('at warn: nothing about requests or held e-mails', async () => {
    const { app, output } = await appLoggingAt('warn');
    try {
      await app.inject({ url: '/api/health' });
      expect((await signUp(app, `quiet-${Date.now()}@example.ch`)).statusCode).toBe(200);
      expect(output()).toBe('');
    } finally {
      await app.close();
    }
  });
});
