/**
 * `npm run import:jsm` (issue 18) as an administrator runs it, as another process, against the fake
 * JSM Cloud: the first run writes the proposed mapping and stops; with the mapping completed, a dry
 * run prints what would happen and writes nothing; the import prints its report; the same command
 * again changes nothing. On the embedded database, or on PostgreSQL in the postgres project.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsmMapping } from '#shared/jsm-import-api.ts';
import { configSchema } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { FAKE_JSM_EMAIL, FAKE_JSM_TOKEN, sampleWorld, startJsmServer, type JsmServerControl } from '../../../../tests/support/jsm-server.ts';
import { openTestDatabase, TEST_ORIGIN } from '../../../../tests/support/test-app.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const CLI = 'src/server/features/jsm-import/import-jsm-cli.ts';
const onPostgres = process.env.GUICHET_TEST_DB === 'postgres';

let dir: string;
let jsm: JsmServerControl;
let databaseUrl: string | undefined;
let dropDatabase: () => Promise<void> = async () => {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-import-jsm-'));
  writeFileSync(path.join(dir, 'token'), `${FAKE_JSM_TOKEN}\n`);
  jsm = await startJsmServer(sampleWorld());
  if (onPostgres) {
    const database = await openTestDatabase();
    databaseUrl = database.url;
    await database.close();
    dropDatabase = database.drop;
  }
});
afterAll(async () => {
  await jsm?.close();
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

/** The command with only these Guichet settings (none inherited from the environment running the tests). */
function importJsm(...args: string[]): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete base[key];
  delete base.NODE_OPTIONS;
  const env = {
    ...base,
    DATA_DIR: path.join(dir, 'data'),
    AUTH_SECRET: 'import-jsm-secret-that-is-long-enough-0123',
    BASE_URL: TEST_ORIGIN,
    LOG_LEVEL: 'silent',
    JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1',
    ATTACHMENT_MAX_MB: '1',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const child = spawn(process.execPath, [path.join(root, CLI), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => setImmediate(() => resolve({ code, stdout, stderr }))));
}

const common = () => ['--site', jsm.url, '--email', FAKE_JSM_EMAIL, '--token-file', path.join(dir, 'token')];

describe('npm run import:jsm', () => {
  it('refuses bad input naming the option, before touching anything', async () => {
    const missing = await importJsm('--site', jsm.url, '--email', FAKE_JSM_EMAIL);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--token-file is required');
    const site = await importJsm('--site', 'http://10.1.2.3', '--email', FAKE_JSM_EMAIL, '--token-file', path.join(dir, 'token'));
    expect(site.code).toBe(2);
    expect(site.stderr).toContain('--site');
  });

  it('proposes a mapping file and stops; imports with the completed mapping; a second run changes nothing', { timeout: 180_000 }, async () => {
    const proposal = await importJsm(...common());
    expect(proposal.code, proposal.stderr).toBe(3);
    expect(proposal.stdout).toContain('jsm-mapping.json');
    expect(proposal.stdout).toContain('unmapped request_type: Get IT help');
    const mapping = JSON.parse(readFileSync(path.join(dir, 'jsm-mapping.json'), 'utf8')) as JsmMapping;
    expect(mapping.serviceDesks.find((sd) => sd.projectKey === 'SUP')?.desk).toBe('support');

    // Left as proposed, the mapping stops the import with the list.
    const refused = await importJsm(...common(), '--mapping', 'jsm-mapping.json');
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('nothing was imported');

    for (const rt of mapping.requestTypes) rt.requestType ??= rt.serviceDeskId === '1' ? 'assistance' : 'project-request';
    for (const sla of mapping.slas) sla.clock ??= 'ignore';
    writeFileSync(path.join(dir, 'jsm-mapping.json'), JSON.stringify(mapping));

    const dry = await importJsm(...common(), '--mapping', 'jsm-mapping.json', '--dry-run');
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing was written) completed: 6 request(s)');
    expect(dry.stdout).toMatch(/request\s+6\s+0\s+0\s+0/);

    const first = await importJsm(...common(), '--mapping', 'jsm-mapping.json');
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/request\s+6\s+0\s+0\s+0/);
    expect(first.stderr).toContain('6 / 6 requests');

    const second = await importJsm(...common(), '--mapping', 'jsm-mapping.json');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/request\s+0\s+0\s+6\s+0/);

    const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: path.join(dir, 'data') });
    try {
      const keys = (await database.db.select({ key: ticket.key }).from(ticket)).map((r) => r.key).sort();
      expect(keys).toEqual(['CON-1', 'CON-2', 'SUP-1', 'SUP-2', 'SUP-3', 'SUP-5']);
    } finally {
      await database.close();
    }
  });
});
