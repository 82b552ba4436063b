import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/test-app.ts';

type Operation = { operationId?: string; summary?: string; security?: Record<string, string[]>[] };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  servers?: { url: string }[];
  components: { securitySchemes: Record<string, Record<string, unknown>> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const root = path.resolve(import.meta.dirname, '../../..');

/** Redocly CLI's lint (the recommended rules of redocly.yaml) on the document: its totals and problems, from its JSON report. */
function redoclyLint(doc: Document) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-openapi-lint-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/@redocly/cli/bin/cli.js'),
        'lint',
        file,
        '--config',
        path.join(root, 'redocly.yaml'),
        '--format=json',
        '--max-problems=1000',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    if (!run.stdout.trim().startsWith('{')) throw new Error(`redocly lint gave no report (exit ${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  let operations: { name: string; path: string; method: string; operation: Operation }[];
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
    operations = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${p}`, path: p, method, operation })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives every operation a unique camelCase operationId and a summary', () => {
    expect(operations.length).toBeGreaterThan(100);
    const seen = new Map<string, string>();
    for (const { name, operation } of operations) {
      expect(operation.operationId, `${name} has an operationId`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(seen.get(operation.operationId!), `${name}: operationId ${operation.operationId} is also used by`).toBeUndefined();
      seen.set(operation.operationId!, name);
      expect(operation.summary?.trim(), `${name} has a summary`).toBeTruthy();
    }
  });

  it('keeps the operationIds clients are generated with', () => {
    const idOf = (method: string, p: string) => doc.paths[p]?.[method]?.operationId;
    expect(idOf('get', '/api/requests')).toBe('listRequests');
    expect(idOf('post', '/api/requests')).toBe('createRequest');
    expect(idOf('get', '/api/requests/{key}')).toBe('getRequest');
    expect(idOf('patch', '/api/requests/{key}')).toBe('updateRequest');
    expect(idOf('post', '/api/requests/{key}/messages')).toBe('createMessage');
    expect(idOf('post', '/api/requests/{key}/transitions')).toBe('transitionRequest');
    expect(idOf('post', '/api/requests/{key}/qualify')).toBe('qualifyRequest');
    expect(idOf('post', '/api/attachments')).toBe('uploadAttachment');
    expect(idOf('get', '/api/catalog')).toBe('getCatalog');
    expect(idOf('get', '/api/me')).toBe('getMe');
  });

  it('describes the session cookie and bearer tokens, and which operations need either', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'guichet.session_token' });
    expect(doc.servers?.[0]?.url).toBe('http://localhost:3000');
    let checked = 0;
    for (const route of t.app.routeCatalog) {
      const operation = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) continue; // the reference page and the document itself are not operations
      checked += 1;
      const name = `${route.method} ${route.url} (${route.access})`;
      if (route.access === 'public') expect(operation.security, name).toEqual([]);
      else if (!route.apiTokens) expect(operation.security, name).toEqual([{ session: [] }]);
      else expect(operation.security, name).toEqual([{ session: [] }, { bearerAuth: [] }]);
    }
    expect(checked).toBe(operations.length);
  });

  it("passes Redocly's recommended lint with no error", () => {
    const report = redoclyLint(doc);
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});
