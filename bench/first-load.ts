/**
 * "first load" (issue 13): what a person's browser downloads and how fast the pages come, and how long
 * a second `npm start` takes on the embedded database.
 *
 * - start: `npm start` on a new data directory (builds the web app if stale, creates and seeds the
 *   database), stopped, then started again `BENCH_STARTS` times: time from the command to /api/health's
 *   first 200;
 * - JavaScript transferred (compressed, on the wire, as Chromium's DevTools report it: encodedDataLength)
 *   for /login and for the customer home (the demo customer, logged in), each on a cold cache;
 * - Lighthouse (mobile preset, the default config): performance and accessibility on /login, and
 *   accessibility on the other public pages.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { chromium, type BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/server/demo/seed-demo.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HOST_RESOLVER_RULES } from '../tests/support/chromium.ts';
import { freePort } from '../tests/support/free-port.ts';
import { cleanEnv, spawnServer, waitForHealth } from '../tests/support/server-process.ts';

const root = path.resolve(import.meta.dirname, '..');
const PUBLIC_PAGES = ['/login', '/signup', '/forgot-password', '/escalation'];
/** The issue's targets. */
export const FIRST_LOAD_TARGETS = { jsBytes: 200_000, lighthousePerformance: 90, secondStartMs: 5_000, lighthouseAccessibility: 95 };

/** Bytes as DevTools counts them (encodedDataLength: compressed body and response headers); `jsBodyBytes` without the headers. */
type Transfer = {
  jsBytes: number;
  jsBodyBytes: number;
  jsFiles: number;
  allBytes: number;
  requests: number;
  files: { url: string; bytes: number; headerBytes: number; encoding: string }[];
};
export type FirstLoadReport = {
  firstStartMs: number;
  secondStartMs: number[];
  pages: Record<string, Transfer>;
  lighthouse: Record<
    string,
    { performance: number | null; accessibility: number | null; failedAccessibilityAudits: string[]; metrics: Record<string, number> }
  >;
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

export async function benchFirstLoad(log: (message: string) => void, options: { starts: number; lighthouse: boolean }): Promise<FirstLoadReport> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-first-load-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // HOST is loopback, so the loopback origins are trusted as well as BASE_URL (localhost).
  const env = cleanEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' });
  const start = async () => {
    const t0 = performance.now();
    const server = spawnServer(npm, ['start'], { cwd: root, env });
    try {
      return { server, ms: await waitForHealth(server, origin, { timeoutMs: 300_000, since: t0 }) };
    } catch (error) {
      await server.stop();
      throw error;
    }
  };
  try {
    log('first load: first `npm start` (web build if stale, new embedded database, demo data)');
    const first = await start();
    log(`  first start: ${Math.round(first.ms)} ms`);
    await first.server.stop();
    const secondStartMs: number[] = [];
    let running = null as Awaited<ReturnType<typeof start>>['server'] | null;
    for (let i = 0; i < options.starts; i++) {
      const again = await start();
      secondStartMs.push(Math.round(again.ms));
      log(`  second start #${i + 1}: ${Math.round(again.ms)} ms`);
      if (i < options.starts - 1) await again.server.stop();
      else running = again.server;
    }
    try {
      const pages = await measureTransfers(origin, log);
      const lh = options.lighthouse ? await runLighthouse(origin, log) : {};
      return { firstStartMs: Math.round(first.ms), secondStartMs, pages, lighthouse: lh };
    } finally {
      await running?.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Loads `url` in a new page of `context` (a cold cache) and adds up what went over the wire, as DevTools counts it. */
async function transferOf(context: BrowserContext, url: string, ready: (page: import('playwright-core').Page) => Promise<unknown>): Promise<Transfer> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const responses = new Map<string, { url: string; type: string; encoding: string; headerBytes: number }>();
  const finished: { id: string; bytes: number }[] = [];
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    // What had arrived when the response started: its headers.
    responses.set(event.requestId, {
      url: event.response.url,
      type: event.type ?? '',
      encoding: headers['content-encoding'] ?? 'identity',
      headerBytes: event.response.encodedDataLength,
    });
  });
  cdp.on('Network.loadingFinished', (event) => finished.push({ id: event.requestId, bytes: event.encodedDataLength }));
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(url, { waitUntil: 'networkidle' });
  await ready(page);
  await page.waitForLoadState('networkidle');
  await page.close();
  const files = finished.flatMap((f) => {
    const response = responses.get(f.id);
    return response ? [{ ...response, bytes: f.bytes }] : [];
  });
  const js = files.filter((f) => f.type === 'Script' || /\.m?js(\?|$)/.test(f.url));
  return {
    jsBytes: js.reduce((sum, f) => sum + f.bytes, 0),
    jsBodyBytes: js.reduce((sum, f) => sum + f.bytes - f.headerBytes, 0),
    jsFiles: js.length,
    allBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    requests: files.length,
    files: files.map((f) => ({ url: new URL(f.url).pathname, bytes: f.bytes, headerBytes: f.headerBytes, encoding: f.encoding })),
  };
}

async function measureTransfers(origin: string, log: (message: string) => void): Promise<Record<string, Transfer>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const pages: Record<string, Transfer> = {};
    const guest = await browser.newContext({ locale: 'fr-CH' });
    pages['/login'] = await transferOf(guest, `${origin}/login`, (page) => page.locator('input[type="email"], input[name="email"]').first().waitFor());
    await guest.close();

    const customer = DEMO_USERS.find((u) => u.role === 'customer')!;
    const context = await browser.newContext({ locale: 'fr-CH' });
    // The session cookie, without loading any page: the home is then loaded on a cold cache.
    const login = await context.request.post(`${origin}/api/auth/sign-in/email`, {
      data: { email: customer.email, password: DEMO_PASSWORD },
      headers: { origin },
    });
    if (login.status() !== 200) throw new Error(`log-in as ${customer.email} failed: ${login.status()} ${await login.text()}`);
    pages['customer home'] = await transferOf(context, `${origin}/`, async (page) => {
      await page.waitForURL(`${origin}/`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    });
    await context.close();
    for (const [name, t] of Object.entries(pages)) {
      log(
        `  ${name}: JavaScript ${(t.jsBytes / 1000).toFixed(1)} kB in ${t.jsFiles} files (${(t.jsBodyBytes / 1000).toFixed(1)} kB without the response headers); everything ${(t.allBytes / 1000).toFixed(1)} kB in ${t.requests} requests`,
      );
    }
    return pages;
  } finally {
    await browser.close();
  }
}

/** Chromium for Lighthouse, with remote debugging on a port of its own (what chrome-launcher does, with CHROME_PATH=/usr/bin/chromium). */
async function launchForLighthouse(): Promise<{ port: number; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'guichet-lighthouse-'));
  const child = spawn(
    process.env.CHROME_PATH ?? CHROMIUM_PATH,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      HOST_RESOLVER_RULES,
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--mute-audio',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port:\n${err}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${err}`)));
  });
  return {
    port,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function runLighthouse(origin: string, log: (message: string) => void): Promise<FirstLoadReport['lighthouse']> {
  const results: FirstLoadReport['lighthouse'] = {};
  for (const page of PUBLIC_PAGES) {
    const categories = page === '/login' ? ['performance', 'accessibility'] : ['accessibility'];
    // A browser per page: nothing cached or kept from the previous run.
    const chrome = await launchForLighthouse();
    try {
      const result = await lighthouse(`${origin}${page}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories });
      if (!result) throw new Error(`Lighthouse returned nothing for ${page}`);
      const { lhr } = result;
      if (lhr.runtimeError) throw new Error(`Lighthouse on ${page}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const score = (name: string) => {
        const value = lhr.categories[name]?.score;
        return value === null || value === undefined ? null : Math.round(value * 100);
      };
      const failed = (lhr.categories.accessibility?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id]?.score !== null && (lhr.audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => ref.id);
      const metrics: Record<string, number> = {};
      for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
        const value = lhr.audits[id]?.numericValue;
        if (categories.includes('performance') && value !== undefined) metrics[id] = Math.round(value * 1000) / 1000;
      }
      results[page] = {
        performance: categories.includes('performance') ? score('performance') : null,
        accessibility: score('accessibility'),
        failedAccessibilityAudits: failed,
        metrics,
      };
      log(
        `  Lighthouse ${page}: ${categories.map((c) => `${c} ${score(c)}`).join(', ')}${failed.length ? ` (accessibility audits failed: ${failed.join(', ')})` : ''}`,
      );
    } finally {
      await chrome.close();
    }
  }
  return results;
}

export function firstLoadSummary(report: FirstLoadReport): string[] {
  const t = FIRST_LOAD_TARGETS;
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const lines = ['| first load | measured | target |', '| --- | --- | --- |'];
  for (const [name, p] of Object.entries(report.pages)) {
    lines.push(
      `| ${name}: JavaScript transferred | ${(p.jsBytes / 1000).toFixed(1)} kB (${p.jsFiles} files, ${(p.jsBodyBytes / 1000).toFixed(1)} kB without headers; everything ${(p.allBytes / 1000).toFixed(1)} kB) | ≤ 200 kB ${mark(p.jsBytes <= t.jsBytes)} |`,
    );
  }
  for (const [page, r] of Object.entries(report.lighthouse)) {
    if (r.performance !== null)
      lines.push(`| Lighthouse performance (mobile) ${page} | ${r.performance} | ≥ 90 ${mark(r.performance >= t.lighthousePerformance)} |`);
    lines.push(
      `| Lighthouse accessibility ${page} | ${r.accessibility}${r.failedAccessibilityAudits.length ? ` (${r.failedAccessibilityAudits.join(', ')})` : ''} | ≥ 95 ${mark((r.accessibility ?? 0) >= t.lighthouseAccessibility)} |`,
    );
  }
  const second = median(report.secondStartMs);
  lines.push(
    `| second \`npm start\` to /api/health (median of ${report.secondStartMs.length}: ${report.secondStartMs.join(', ')} ms) | ${second} ms | ≤ 5,000 ms ${mark(second <= t.secondStartMs)} |`,
  );
  lines.push(`| first \`npm start\` (new database, demo data) | ${report.firstStartMs} ms | — |`);
  return lines;
}
