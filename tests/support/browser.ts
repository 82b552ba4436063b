/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the real app listening over HTTP.
 * Without /usr/bin/chromium the tests are reported as skipped, unless REQUIRE_BROWSER=1 (CI), which makes it a failure.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { PgBoss } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { AppContext } from '../../src/server/context.ts';
import { systemClock, type Clock } from '../../src/server/clock.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { createBoss, createQueues } from '../../src/server/jobs/boss.ts';
import { createTransport } from '../../src/server/features/mail/deliver-mail.ts';
import { startMailWorker } from '../../src/server/features/mail/deliver-mail.job.ts';
import { account, organization, organizationDomain, user } from '../../src/server/db/schema.ts';
import type { Language, Role } from '../../src/shared/domain.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { freePort } from './free-port.ts';
import { openTestDatabase, randomIp, TEST_PASSWORD } from './test-app.ts';

export { CHROMIUM_PATH };
export const browserAvailable = existsSync(CHROMIUM_PATH);
const browserRequired = process.env.REQUIRE_BROWSER === '1';
const root = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(root, 'test-results');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * `describe` for tests that need Chromium. Without it: skipped, with the reason in the name;
 * with REQUIRE_BROWSER=1: one failing test that says what is missing.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserAvailable) {
    describe(name, fn);
  } else if (browserRequired) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} does not exist: install it (apt-get install -y chromium).`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${CHROMIUM_PATH} not found; REQUIRE_BROWSER=1 makes this a failure]`, fn);
  }
}

export type BrowserServer = {
  baseUrl: string;
  app: FastifyInstance;
  ctx: AppContext;
  config: Config;
  boss: PgBoss | null;
  close(): Promise<void>;
};

/**
 * The real app on a fresh test database, listening on 127.0.0.1 and an ephemeral port, with BASE_URL set to
 * that very origin (links in e-mails and the trusted origins match what the browser sees).
 * With `smtpUrl`, mail is delivered by the pg-boss worker over SMTP.
 * The app trusts X-Forwarded-For (TRUST_PROXY), as behind the production proxy: every person made by
 * `newPerson` sends their own address, so each one meets the rate limits as a client of their own.
 */
export async function startServerForBrowser(options: { smtpUrl?: string; env?: Record<string, string>; clock?: Clock } = {}): Promise<BrowserServer> {
  const database = await openTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-browser-'));
  let boss: PgBoss | null = null;
  let app: FastifyInstance | null = null;
  const cleanUp = async () => {
    if (app) await app.close();
    if (boss) await boss.stop({ graceful: false }).catch(() => {});
    await database.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const clock = options.clock ?? systemClock;
    if (options.smtpUrl) {
      boss = createBoss(database, { databaseUrl: database.url });
      await boss.start();
      await createQueues(boss);
    }
    // BASE_URL names the port, so the port is chosen before the app is built; should another
    // process take it in between, start over with another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const config = loadConfig({
        PORT: String(port),
        HOST: '127.0.0.1',
        BASE_URL: baseUrl,
        DATA_DIR: dataDir,
        AUTH_SECRET: 'browser-test-secret-that-is-long-enough-42',
        LOG_LEVEL: 'silent',
        TRUST_PROXY: 'true',
        ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
        ...options.env,
      });
      app = await buildApp({ config, database, clock, boss, logger: false });
      try {
        await app.listen({ port, host: '127.0.0.1' });
      } catch (error) {
        await app.close();
        app = null;
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
        throw error;
      }
      if (boss && options.smtpUrl) {
        await startMailWorker(
          boss,
          { db: database.db, clock, transport: createTransport(options.smtpUrl), mailFrom: config.mailFrom, baseUrl: config.baseUrl },
          { pollingIntervalSeconds: 0.5 },
        );
      }
      const started = app;
      return { baseUrl, app: started, ctx: started.ctx, config, boss, close: cleanUp };
    }
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
}

export type PageLog = {
  /** Every console message, in order. */
  console: { type: string; text: string }[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Console messages reporting a Content Security Policy violation. */
  cspViolations(): string[];
};

const fileSafe = (name: string) =>
  name
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 150) || 'page';

/**
 * Runs `fn` on a new page of `context`. On failure, saves a full-page screenshot to test-results/
 * (named after the test, and `as` when given) before rethrowing; the context is always closed.
 */
async function runOnPage<T>(
  context: BrowserContext,
  fn: (page: Page, log: PageLog, context: BrowserContext) => Promise<T>,
  options: { name?: string; as?: string },
): Promise<T> {
  const page = await context.newPage();
  const log: PageLog = {
    console: [],
    pageErrors: [],
    cspViolations: () => log.console.filter((m) => /Content[ -]Security[ -]Policy/i.test(m.text)).map((m) => m.text),
  };
  page.on('console', (message) => log.console.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => log.pageErrors.push(String(error)));
  try {
    return await fn(page, log, context);
  } catch (error) {
    const base = options.name ?? expect.getState().currentTestName ?? 'page';
    const name = fileSafe(options.as ? `${base} - ${options.as}` : base);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    const saved = await page
      .screenshot({ path: file, fullPage: true, timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (saved && error instanceof Error) error.message += `\n(screenshot: ${path.relative(root, file)}; page: ${page.url()})`;
    throw error;
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * Runs `fn` with a fresh browser context and page. On failure, saves a full-page screenshot to
 * test-results/ (named after the test) before rethrowing; the context is always closed.
 */
export async function withPage<T>(
  browser: Browser,
  fn: (page: Page, log: PageLog) => Promise<T>,
  options: { name?: string; context?: BrowserContextOptions } = {},
): Promise<T> {
  const context = await browser.newContext({ locale: 'fr-CH', ...options.context });
  return runOnPage(context, fn, options);
}

/**
 * A browser context for one simulated person: their own cookies and storage, and their own client
 * address (a random 10.x.y.z in X-Forwarded-For, which the app started by `startServerForBrowser` trusts),
 * so the per-IP rate limits count each person apart, as in production.
 */
export function newPerson(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'fr-CH',
    ...options,
    extraHTTPHeaders: { 'x-forwarded-for': randomIp(), ...options.extraHTTPHeaders },
  });
}

/**
 * `withPage` for a person made by `newPerson`: a fresh context with its own client address, a screenshot
 * on failure (suffixed with `as`, e.g. "admin", so that two people in one test keep theirs apart).
 */
export async function asPerson<T>(
  browser: Browser,
  fn: (page: Page, log: PageLog, context: BrowserContext) => Promise<T>,
  options: { as?: string; name?: string; context?: BrowserContextOptions } = {},
): Promise<T> {
  return runOnPage(await newPerson(browser, options.context), fn, options);
}

/** Logs in through the log-in page, in French, and waits until the app shows the signed-in person's menu. */
export async function logIn(page: Page, server: BrowserServer, email: string, password: string): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByTestId('page-login').waitFor();
  await page.getByLabel(fr.fields.email, { exact: true }).fill(email);
  await page.getByLabel(fr.fields.password, { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname !== '/login');
  // The address changes when the navigation starts. The router navigates in a transition, which keeps
  // the log-in page on screen while the next page's code loads, and the layout closes the phone menu
  // once the new page is there: wait for that page, not only for the address.
  await page.locator('[data-testid^="page-"]:not([data-testid="page-login"])').first().waitFor();
  await page.getByTestId('user-menu').waitFor();
}

/* ---- Seeding: only what a person could not do in the interface ---- */

export const uniqueSuffix = () => randomUUID().slice(0, 8);

/** An organization with its e-mail domains, inserted directly. */
export async function seedOrganization(server: BrowserServer, name: string, domains: string[] = []) {
  const db = server.ctx.db;
  const [org] = await db.insert(organization).values({ name }).returning();
  if (domains.length) await db.insert(organizationDomain).values(domains.map((domain) => ({ domain, organizationId: org!.id })));
  return { ...org!, domains };
}

/** A verified user with a password (TEST_PASSWORD unless given), inserted directly. */
export async function seedUser(
  server: BrowserServer,
  opts: { email: string; name: string; role?: Role; organizationId?: string | null; language?: Language; password?: string },
) {
  const { db, auth, clock } = server.ctx;
  const id = randomUUID();
  const password = opts.password ?? TEST_PASSWORD;
  const hash = await (await auth.$context).password.hash(password);
  const now = clock.now();
  await db.insert(user).values({
    id,
    name: opts.name,
    email: opts.email,
    emailVerified: true,
    role: opts.role ?? 'customer',
    language: opts.language ?? 'fr',
    organizationId: opts.organizationId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await db.insert(account).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash, createdAt: now, updatedAt: now });
  return { id, email: opts.email, name: opts.name, password };
}
