import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync } from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { ManualClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrateDatabase, openDatabase } from '../src/server/db/client.ts';
import { ensureBaseCatalog } from '../src/server/features/catalog/base-catalog.ts';
import { ensureSlaDefaults } from '../src/server/features/sla/policies.ts';
import { caseArb, operationsOf, toRequest } from './generate.ts';
import { poolsOf } from './fuzz.ts';
import { seedWorld, ORIGIN } from './world.ts';
const database = await openDatabase({ pglite: await PGlite.create() });
await migrateDatabase(database); await ensureBaseCatalog(database.db); await ensureSlaDefaults(database.db);
const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'f-')), AUTH_SECRET: 'fuzz-secret-that-is-long-enough-0123456789', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', TRUST_PROXY: 'true' });
const app = await buildApp({ config, database, clock: new ManualClock('2026-03-10T09:00:00Z'), logger: false });
await app.ready();
const world = await seedWorld(app);
const doc = (await app.inject({ url: '/api/openapi.json' })).json();
const ops = operationsOf(doc); const pools = poolsOf(world);
for (const name of process.argv.slice(2)) {
  const op = ops.find((o) => `${o.method} ${o.path}` === name)!;
  for (const c of fc.sample(caseArb(doc, op, pools), { seed: 5, numRuns: 8 })) {
    const r = toRequest({ ...c, mutation: null, caller: 'admin' }, world.cookies.admin, ORIGIN);
    const res = await app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload });
    console.log(res.statusCode, r.method, r.url.slice(0, 200), r.payload?.slice(0, 200), '→', res.body.slice(0, 200));
  }
}
await app.close();
