/**
 * A first visit: what the browser downloads. The web app's files go as the build compressed them
 * (brotli and gzip copies, chosen by Accept-Encoding), API answers over 1 KB are compressed on the fly,
 * and the first pages download only their own code (page-specific libraries come with their pages).
 * Builds the web app for real (vite.config.ts, into a folder of its own), serves it through app.inject.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { build, type Plugin } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { MAX_PARAM_LENGTH } from '../src/server/http/input-checks.ts';
import { ManualClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { openTestDatabase } from './support/test-app.ts';

const root = path.resolve(import.meta.dirname, '..');
let webRoot = '';
let dataDir = '';
let app: FastifyInstance;
let closeDatabase: () => Promise<void>;

type Chunk = { fileName: string; facadeModuleId: string | null; imports: string[]; moduleIds: string[] };
const chunks = new Map<string, Chunk>();
/** The chunks of the build and what each imports statically, as the bundler wrote them. */
const chunkGraph: Plugin = {
  name: 'test:chunk-graph',
  generateBundle(_options, bundle) {
    for (const output of Object.values(bundle)) {
      if (output.type !== 'chunk') continue;
      chunks.set(output.fileName, { fileName: output.fileName, facadeModuleId: output.facadeModuleId, imports: output.imports, moduleIds: output.moduleIds });
    }
  },
};

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(os.tmpdir(), 'guichet-web-'));
  // Vitest sets NODE_ENV=test, which would give a development build of React: build as `npm start` does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'silent', plugins: [chunkGraph], build: { outDir: webRoot, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-test-'));
  const database = await openTestDatabase();
  closeDatabase = async () => {
    await database.close();
    await database.drop();
  };
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: 'test-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent' });
  app = await buildApp({ config, database, clock: new ManualClock(new Date()), logger: false, webRoot });
  await app.ready();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await closeDatabase?.();
  for (const dir of [webRoot, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const builtFiles = () =>
  readdirSync(webRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(webRoot, path.join(entry.parentPath, entry.name)));

/** The scripts index.html loads, as it names them. */
function pageScripts(): string[] {
  const html = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script type="module"[^>]* src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  if (scripts.length === 0) throw new Error(`no module script in index.html:\n${html}`);
  return scripts;
}
/** The largest of them (well over 1 KB, so it has compressed copies). */
const entryScript = () => pageScripts().sort((a, b) => statSync(path.join(webRoot, b)).size - statSync(path.join(webRoot, a)).size)[0]!;

const varies = (res: LightMyRequestResponse) =>
  String(res.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/);

function decoded(res: LightMyRequestResponse): Buffer {
  const body = res.rawPayload;
  if (res.headers['content-encoding'] === 'br') return brotliDecompressSync(body);
  if (res.headers['content-encoding'] === 'gzip') return gunzipSync(body);
  return body;
}

describe('the web build', () => {
  it('has a brotli and a gzip copy of every text file over 1 KB, and of none under', () => {
    const files = builtFiles();
    const text = files.filter((f) => /\.(js|css|html|svg|json)$/.test(f));
    expect(text.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
    for (const file of text) {
      const original = readFileSync(path.join(webRoot, file));
      const copies = [`${file}.br`, `${file}.gz`].filter((copy) => files.includes(copy));
      if (original.length < 1024) {
        expect(copies, file).toEqual([]);
        continue;
      }
      expect(copies, file).toHaveLength(2);
      expect(brotliDecompressSync(readFileSync(path.join(webRoot, `${file}.br`))).equals(original), file).toBe(true);
      expect(gunzipSync(readFileSync(path.join(webRoot, `${file}.gz`))).equals(original), file).toBe(true);
      expect(statSync(path.join(webRoot, `${file}.br`)).size).toBeLessThan(original.length);
    }
  });
});

/** The files a page needs before it shows: its chunk and everything they import statically. */
function downloadsOf(...starts: Chunk[]): Chunk[] {
  const seen = new Map<string, Chunk>();
  const visit = (chunk: Chunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const file of chunk.imports) visit(chunks.get(file)!);
  };
  starts.forEach(visit);
  return [...seen.values()];
}
const chunkOf = (source: string) => {
  const chunk = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith(source));
  if (!chunk) throw new Error(`no chunk for ${source}`);
  return chunk;
};
/** What goes over the wire to a browser that accepts brotli: the .br copy, or the file itself when it has none. */
const brotliBytes = (files: Chunk[]) =>
  files.reduce((sum, chunk) => {
    const copy = path.join(webRoot, `${chunk.fileName}.br`);
    return sum + statSync(existsSync(copy) ? copy : path.join(webRoot, chunk.fileName)).size;
  }, 0);
const PAGE_SPECIFIC = /node_modules[\\/](recharts|d3-[a-z-]+|marked|dompurify|zod)[\\/]/;

describe('what the first pages download', () => {
  // The app, its French texts (the default language) and, for the home, the home page.
  const login = () => downloadsOf(...pageScripts().map((src) => chunks.get(src.slice(1))!), chunkOf('src/web/i18n/portal/fr.ts'));
  const home = () => downloadsOf(...login(), chunkOf('src/web/features/home/home-page.tsx'));
  const sizes = (files: Chunk[]) => files.map((c) => `${c.fileName} ${brotliBytes([c])}`).join('\n');

  it('the log-in page: at most 200 kB of JavaScript, compressed', () => {
    expect(brotliBytes(login()), sizes(login())).toBeLessThanOrEqual(200_000);
  });

  // A customer's home (brotli bodies, as the build writes them): the app, the portal's texts and the home.
  it('the home: at most 200 kB of JavaScript, compressed', () => {
    expect(brotliBytes(home()), sizes(home())).toBeLessThanOrEqual(200_000);
  });

  it("the staff's texts and home, a request's follow-up texts and the confirmation toasts come after the first page: neither the log-in page nor a customer's home downloads them", () => {
    const late = [
      /src[\\/]web[\\/]i18n[\\/]staff[\\/]/,
      /src[\\/]web[\\/]i18n[\\/]follow-up[\\/]/,
      /src[\\/]web[\\/]features[\\/]home[\\/]staff-home\.tsx$/,
      /node_modules[\\/]@mantine[\\/]notifications[\\/]esm[\\/]Notifications\.mjs$/,
    ];
    for (const files of [login(), home()]) {
      const ids = files.flatMap((c) => c.moduleIds);
      for (const pattern of late)
        expect(
          ids.filter((id) => pattern.test(id)),
          String(pattern),
        ).toEqual([]);
    }
    // They exist, in chunks of their own.
    for (const pattern of late)
      expect(
        [...chunks.values()].some((c) => c.moduleIds.some((id) => pattern.test(id))),
        String(pattern),
      ).toBe(true);
  });

  it('neither the log-in page nor the home downloads the charts, Markdown or schema libraries; the pages that use them do', () => {
    for (const files of [login(), home()]) {
      expect(files.flatMap((c) => c.moduleIds).filter((id) => PAGE_SPECIFIC.test(id))).toEqual([]);
    }
    const flex = downloadsOf(chunkOf('src/web/features/flex/flex-page.tsx')).flatMap((c) => c.moduleIds);
    expect(flex.some((id) => /node_modules[\\/]recharts[\\/]/.test(id))).toBe(true);
    const request = downloadsOf(chunkOf('src/web/features/requests/request-page.tsx')).flatMap((c) => c.moduleIds);
    expect(request.some((id) => /node_modules[\\/]marked[\\/]/.test(id))).toBe(true);
  });

  it('each language comes in a file of its own: the log-in page downloads one', () => {
    const texts = login()
      .flatMap((c) => c.moduleIds)
      .filter((id) => /src[\\/]web[\\/]i18n[\\/](.+[\\/])?(fr|de|en)\.ts$/.test(id));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((id) => /fr\.ts$/.test(id))).toBe(true);
  });
});

describe('serving the web app', () => {
  it.each([
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
    [undefined, undefined],
  ])('sends a script to Accept-Encoding %s as %s, from the build, with Vary: Accept-Encoding and the long cache', async (accept, encoding) => {
    const script = entryScript();
    const res = await app.inject({ method: 'GET', url: script, headers: accept === undefined ? {} : { 'accept-encoding': accept } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(varies(res)).toContain('accept-encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // A script is not a document: no CSP nor frame options on it, but nosniff and the resource policy.
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    const original = readFileSync(path.join(webRoot, script));
    // The copy written at build time, not compressed again on the way.
    const sent =
      encoding === 'br' ? readFileSync(path.join(webRoot, `${script}.br`)) : encoding === 'gzip' ? readFileSync(path.join(webRoot, `${script}.gz`)) : original;
    expect(res.rawPayload.equals(sent)).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(sent.length);
    expect(decoded(res).equals(original)).toBe(true);
  });

  it('sends the app page for a page address (the SPA fallback) and for /, never cached, varying on Accept-Encoding', async () => {
    const page = readFileSync(path.join(webRoot, 'index.html'));
    for (const url of ['/', '/requests/SUP-1', '/admin/organizations?x=1']) {
      for (const accept of ['br', 'gzip', 'identity']) {
        const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': accept } });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(/^text\/html/);
        expect(res.headers['cache-control'], url).toBe('no-cache');
        expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
        expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
        expect(varies(res), url).toContain('accept-encoding');
        // Compressed exactly when the build wrote a copy (index.html may be under 1 KB).
        const copy = accept === 'identity' ? false : existsSync(path.join(webRoot, `index.html.${accept === 'br' ? 'br' : 'gz'}`));
        expect(res.headers['content-encoding'], `${url} ${accept}`).toBe(copy ? accept : undefined);
        expect(decoded(res).equals(page), url).toBe(true);
      }
    }
  });

  it('answers an /api address no route matches in the API’s shape, never from the build: a 404, or a 400 naming the limit for a path parameter longer than the router reads (found by the fuzzer)', async () => {
    for (const url of ['/api/no-such-thing', '/api/assets/index.html', '/api']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ code: 'route.not_found' });
    }
    const long = await app.inject({ method: 'GET', url: `/api/requests/SUP-1/attachments/${'x'.repeat(MAX_PARAM_LENGTH + 1)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'validation.too_long', limit: MAX_PARAM_LENGTH });
  });

  it('answers a missing build file with a 404, not the app page', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/gone-1234.js', headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route.not_found' });
  });
});

describe('API answers', () => {
  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
  ])('compresses a large JSON answer (the OpenAPI document) for Accept-Encoding %s', async (accept, encoding) => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { 'accept-encoding': accept } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    if (encoding) expect(varies(res)).toContain('accept-encoding');
    const body = decoded(res);
    expect(body.length).toBeGreaterThan(1024);
    if (encoding) expect(res.rawPayload.length).toBeLessThan(body.length / 3);
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ openapi: '3.1.0' });
  });

  it('leaves a JSON answer under 1 KB as it is', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toMatchObject({ status: 'ok' });
  });
});
