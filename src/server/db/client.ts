import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { trackCommits } from './after-commit.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction on it: commands take this so callers choose. */
export type DbOrTx = Db | Tx;

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Database = { kind: 'pglite'; db: Db; pglite: PGlite; close(): Promise<void> } | { kind: 'postgres'; db: Db; pool: pg.Pool; close(): Promise<void> };

export class DatabaseUnavailableError extends Error {}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite in `dataDir/db`. */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string; pglite?: PGlite; poolSize?: number }): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // While the server is away a request waits at most this long for a connection before it is answered 503.
      connectionTimeoutMillis: 3000,
    });
    pool.on('error', () => {
      /* an idle client dropped: the pool replaces it */
    });
    // pg-pool listens for 'error' on a client only while it is idle: a connection that dies while checked
    // out (a restart of PostgreSQL in the middle of a transaction, 57P01) would emit an unheard 'error' and
    // end the process. The statement in progress rejects with the same error, and the pool discards a
    // client that had one when it is released, so this listener has nothing else to do.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new DatabaseUnavailableError(`Cannot reach the PostgreSQL server at ${redact(options.databaseUrl)}: ${(error as Error).message}`);
    }
    const db = trackCommits(drizzlePg(pool, { schema }) as unknown as Db);
    return { kind: 'postgres', db, pool, close: () => pool.end() };
  }
  let pglite = options.pglite;
  if (!pglite) {
    if (!options.dataDir) throw new Error('openDatabase needs a databaseUrl, a dataDir or a pglite instance');
    const dir = path.join(options.dataDir, 'db');
    mkdirSync(dir, { recursive: true });
    try {
      pglite = await PGlite.create(dir);
    } catch (error) {
      throw new DatabaseUnavailableError(`Cannot open the embedded database in ${dir}: ${(error as Error).message}`);
    }
  }
  const instance = pglite;
  const db = trackCommits(drizzlePglite(instance, { schema }) as unknown as Db);
  return { kind: 'pglite', db, pglite: instance, close: () => instance.close() };
}

const MIGRATION_LOCK = 4_202_611;

/** Applies pending migrations; on PostgreSQL under an advisory lock so instances starting together don't collide. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(drizzlePglite(database.pglite), { migrationsFolder });
    return;
  }
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
