/** Writes the OpenAPI document (/api/openapi.json) to a file or standard output, from the app built in memory (no server, no database of its own). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';

const target = process.argv[2];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-openapi-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  AUTH_SECRET: 'openapi-dump-secret-that-is-long-enough-0123',
  BASE_URL: 'http://localhost:3000',
  LOG_LEVEL: 'silent',
});
const database = await openDatabase({ pglite: await PGlite.create() });
const app = await buildApp({ config, database, clock: systemClock, logger: false });
try {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${response.statusCode}`);
  const text = `${JSON.stringify(response.json(), null, 2)}\n`;
  if (target) writeFileSync(target, text);
  else process.stdout.write(text);
} finally {
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
