import type { PgBoss } from 'pg-boss';
import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Database, Db } from './db/client.ts';
import type { Auth } from './features/accounts/auth.ts';
import type { MailDeps } from './features/mail/enqueue-mail.ts';

/** What every command, job and route receives: built once by `buildApp`, read by the features. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  auth: Auth;
  mail: MailDeps;
  boss: PgBoss | null;
};
