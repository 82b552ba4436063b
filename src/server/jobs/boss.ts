import { PgBoss, fromPglite } from 'pg-boss';
import type { Clock as BossClock } from 'pg-boss';
import type { Database } from '../db/client.ts';
import { JOBS } from './registry.ts';

/** Creates pg-boss on the same database as the app: PGlite through its adapter, or a PostgreSQL pool. */
export function createBoss(database: Database, options: { databaseUrl?: string | undefined; clock?: BossClock } = {}): PgBoss {
  const common = { schema: 'pgboss', ...(options.clock ? { clock: options.clock } : {}) };
  if (database.kind === 'pglite') {
    return new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' });
  }
  // As the app's pool: a worker waits at most 3 s for a connection to a server that does not answer, then polls again.
  return new PgBoss({ ...common, connectionString: options.databaseUrl!, max: 4, connectionTimeoutMillis: 3000 });
}

export { QUEUES } from './registry.ts';

/**
 * Queues must exist before send or work. Idempotent; the definitions' options are applied to queues
 * created by an earlier version too (pg-boss keeps a queue's options from its creation).
 */
export async function createQueues(boss: PgBoss): Promise<void> {
  for (const job of JOBS) {
    await boss.createQueue(job.name, job.queue);
    await boss.updateQueue(job.name, job.queue);
  }
}
