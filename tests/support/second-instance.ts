import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { buildApp } from '../../src/server/app.ts';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { createBoss, createQueues } from '../../src/server/jobs/boss.ts';
import type { TestApp } from './test-app.ts';

export type SecondInstance = { database: Database; boss: PgBoss; app: FastifyInstance; close(): Promise<void> };

/**
 * A second server instance on the test app's PostgreSQL database, with its own pool and pg-boss,
 * and the same clock (two machines whose clocks agree): for the tests of several instances.
 */
export async function startSecondInstance(t: TestApp): Promise<SecondInstance> {
  const url = (t.database as { url?: string }).url;
  if (!url) throw new Error('A second instance needs the PostgreSQL test database (TEST_DATABASE_URL).');
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  const boss = createBoss(database, { databaseUrl: url });
  await boss.start();
  await createQueues(boss);
  const app = await buildApp({ config: t.config, database, clock: t.clock, boss, logger: false });
  await app.ready();
  return {
    database,
    boss,
    app,
    close: async () => {
      await app.close();
      await boss.stop({ graceful: false }).catch(() => {});
      await database.close();
    },
  };
}
