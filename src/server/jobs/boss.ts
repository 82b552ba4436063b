import { PgBoss, fromPglite } from 'pg-boss';
import type { Clock as BossClock } from 'pg-boss';
import type { Database } from '../db/client.ts';

/** Creates pg-boss on the same database as the app: PGlite through its adapter, or a PostgreSQL pool. */
export function createBoss(database: Database, options: { databaseUrl?: string | undefined; clock?: BossClock } = {}): PgBoss {
  const common = { schema: 'pgboss', ...(options.clock ? { clock: options.clock } : {}) };
  if (database.kind === 'pglite') {
    return new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' });
  }
  // As the app's pool: a worker waits at most 3 s for a connection to a server that does not answer, then polls again.
  return new PgBoss({ ...common, connectionString: options.databaseUrl!, max: 4, connectionTimeoutMillis: 3000 });
}

export const QUEUES = {
  mailDeliver: 'mail.deliver',
  slaSweep: 'sla.sweep',
  flexBilling: 'flex.billing',
  lifecycleSweep: 'lifecycle.sweep',
  uploadSweep: 'attachments.sweep',
  idempotencySweep: 'idempotency.sweep',
} as const;

/** Queues must exist before send or work. Idempotent. */
export async function createQueues(boss: PgBoss): Promise<void> {
  // SMTP failures are counted and spaced by the outbox itself (mail/deliver-mail.ts); these retries only cover a handler that threw (database away).
  await boss.createQueue(QUEUES.mailDeliver, { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 });
  // A sweep that fails is simply done again by the next one: no retries, and old sweeps expire quickly.
  await boss.createQueue(QUEUES.slaSweep, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
  // The monthly billing run; a failed run is retried (it is idempotent: only unbilled time is billed).
  await boss.createQueue(QUEUES.flexBilling, { retryLimit: 3, retryDelay: 60, expireInSeconds: 900 });
  await boss.createQueue(QUEUES.lifecycleSweep, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
  await boss.createQueue(QUEUES.uploadSweep, { retryLimit: 0, expireInSeconds: 600, deleteAfterSeconds: 3600 });
  await boss.createQueue(QUEUES.idempotencySweep, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 });
}
