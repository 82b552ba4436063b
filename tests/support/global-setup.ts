import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from '../../src/server/db/client.ts';
import { ensureBaseCatalog } from '../../src/server/features/catalog/base-catalog.ts';
import { ensureSlaDefaults } from '../../src/server/features/sla/policies.ts';
import { createBoss } from '../../src/server/jobs/boss.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
    runId: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

/** Migrates one database once; every test file then starts from a copy of it. */
export default async function setup(project: TestProject) {
  const tmp = path.join(root, '.vitest-tmp');
  mkdirSync(tmp, { recursive: true });

  const pglite = await PGlite.create();
  const database = await openDatabase({ pglite });
  await migrateDatabase(database);
  await ensureBaseCatalog(database.db);
  await ensureSlaDefaults(database.db);
  const boss = createBoss(database);
  await boss.start();
  await boss.stop({ graceful: false, close: false });
  const dump = await pglite.dumpDataDir('gzip');
  const templateFile = path.join(tmp, `pglite-template-${process.pid}.tar.gz`);
  writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', templateFile);

  let postgresTemplate: string | null = null;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    postgresTemplate = `guichet_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${postgresTemplate}`);
    await admin.query(`create database ${postgresTemplate}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${postgresTemplate}`;
    const pgDatabase = await openDatabase({ databaseUrl: templateUrl.toString(), poolSize: 2 });
    await migrateDatabase(pgDatabase);
    await ensureBaseCatalog(pgDatabase.db);
    await ensureSlaDefaults(pgDatabase.db);
    const pgBoss = createBoss(pgDatabase, { databaseUrl: templateUrl.toString() });
    await pgBoss.start();
    await pgBoss.stop({ graceful: false });
    await pgDatabase.close();
    await admin.end();
  }
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('runId', String(process.pid));

  return async () => {
    if (url && postgresTemplate) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [
        `guichet_t_${process.pid}_%`,
        postgresTemplate,
      ]);
      for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
      await admin.end();
    }
  };
}
