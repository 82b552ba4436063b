import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { desc, eq } from 'drizzle-orm';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { ManualClock } from '../../src/server/clock.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { account, organization, organizationDomain, outbox, user } from '../../src/server/db/schema.ts';
import { createBoss, createQueues } from '../../src/server/jobs/boss.ts';
import type { Language, Role } from '../../src/shared/domain.ts';

export const TEST_ORIGIN = 'http://localhost:3000';
export const TEST_PASSWORD = 'Correct-horse-battery-9';

/** A fresh database for one test file: a copy of the migrated template, on PGlite or PostgreSQL. */
export async function openTestDatabase(): Promise<Database & { url?: string; drop(): Promise<void> }> {
  if (process.env.GUICHET_TEST_DB === 'postgres') {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `guichet_t_${inject('runId')}_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
    return {
      ...database,
      url: url.toString(),
      drop: async () => {
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteTemplate'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  const database = await openDatabase({ pglite });
  return { ...database, drop: async () => {} };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a fresh database, with a manual clock and, on request, real mail delivery over SMTP. */
export async function createTestApp(options: { smtpUrl?: string; env?: Record<string, string>; clockStart?: string; jobs?: boolean } = {}) {
  const database = await openTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-test-'));
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    AUTH_SECRET: 'test-secret-that-is-long-enough-0123456789',
    BASE_URL: TEST_ORIGIN,
    PORT: '3000',
    LOG_LEVEL: 'silent',
    // Tests stand behind a "proxy" so each simulated client has its own IP for the rate limits.
    TRUST_PROXY: 'true',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const clock = new ManualClock(options.clockStart ?? new Date());
  let boss: PgBoss | null = null;
  // jobs: pg-boss without SMTP (background jobs such as the SLA sweep; mail stays held in the outbox).
  if (options.smtpUrl || options.jobs) {
    boss = createBoss(database, { databaseUrl: database.url });
    await boss.start();
    await createQueues(boss);
  }
  const app = await buildApp({ config, database, clock, boss, logger: false });
  await app.ready();
  return {
    app,
    ctx: app.ctx,
    db: database.db,
    database,
    clock,
    config,
    boss,
    async close() {
      await app.close();
      // close: its pool must end before the database is dropped (a forced drop would kill its connections).
      if (boss) await boss.stop({ graceful: false }).catch(() => {});
      await database.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** app.inject with the portal's Origin and an optional session cookie. */
export function call(
  app: FastifyInstance,
  opts: { method?: InjectOptions['method']; url: string; cookie?: string; body?: unknown; headers?: Record<string, string> },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: opts.method ?? 'GET',
    url: opts.url,
    headers: { origin: TEST_ORIGIN, ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { payload: opts.body as InjectOptions['payload'] } : {}),
  });
}

let counter = 0;
export const uniqueDomain = () => `org-${randomUUID().slice(0, 8)}-${++counter}.test`;
export const uniqueEmail = (domain = uniqueDomain()) => `user-${randomUUID().slice(0, 8)}@${domain}`;

export async function createOrganization(t: TestApp, name = 'Test Org', domains: string[] = [uniqueDomain()]) {
  const [org] = await t.db.insert(organization).values({ name }).returning();
  if (domains.length) await t.db.insert(organizationDomain).values(domains.map((domain) => ({ domain, organizationId: org!.id })));
  return { ...org!, domains };
}

/**
 * TEST_PASSWORD's hash, computed once per test file (each file has its own module): scrypt is slow on
 * purpose, and a file creates dozens of users. Every user of the file shares it, salt included.
 */
let testPasswordHash: Promise<string> | undefined;
const hashOfTestPassword = async (t: TestApp) => (testPasswordHash ??= (await t.ctx.auth.$context).password.hash(TEST_PASSWORD));

/** A verified user with a password, inserted directly. */
export async function createUser(t: TestApp, opts: { role?: Role; organizationId?: string | null; email?: string; name?: string; language?: Language } = {}) {
  const id = randomUUID();
  const email = opts.email ?? uniqueEmail();
  const hash = await hashOfTestPassword(t);
  const now = t.clock.now();
  await t.db.insert(user).values({
    id,
    name: opts.name ?? 'Test User',
    email,
    emailVerified: true,
    role: opts.role ?? 'customer',
    language: opts.language ?? 'en',
    organizationId: opts.organizationId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await t.db.insert(account).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash, createdAt: now, updatedAt: now });
  return { id, email, password: TEST_PASSWORD };
}

/** Logs in through better-auth and returns the Cookie header to send. */
export const randomIp = () => `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${1 + Math.floor(Math.random() * 250)}`;

export async function login(t: TestApp, email: string, password = TEST_PASSWORD, ip = randomIp()): Promise<string> {
  const res = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password }, headers: { 'x-forwarded-for': ip } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  return cookieHeader(res);
}

export function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

export async function loginAs(t: TestApp, role: Role, organizationId: string | null = null) {
  const u = await createUser(t, { role, organizationId });
  return { ...u, cookie: await login(t, u.email) };
}

/** The last message the outbox holds for an address. */
export async function lastMailTo(t: TestApp, to: string) {
  const [row] = await t.db.select().from(outbox).where(eq(outbox.to, to)).orderBy(desc(outbox.createdAt)).limit(1);
  return row;
}

export const linkIn = (text: string) => {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
};
