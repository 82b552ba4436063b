// First, before anything else is evaluated: an older Node.js that can load this file is told, in one line, what it needs.
import '../../scripts/check-node-version.cjs';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './clock.ts';
import { DatabaseUnavailableError, migrateDatabase, openDatabase } from './db/client.ts';
import { innermostMessage, isDatabaseUnavailable } from './db/pg-errors.ts';
import { buildApp } from './app.ts';
import { ensureBaseCatalog } from './features/catalog/base-catalog.ts';
import { ensureSlaDefaults } from './features/sla/policies.ts';
import { queueCountdownBackfill } from './features/lifecycle/backfill-countdowns.job.ts';
import { createBoss, createQueues } from './jobs/boss.ts';
import { DEMO_PASSWORD, DEMO_USERS, hasDemoAccounts, seedDemo } from './demo/seed-demo.ts';
import { startWorkers } from './workers.ts';
import { startSmtpReceiver, type SmtpReceiverHandle } from './features/inbound/smtp-receiver.ts';
import { hasAdministrator } from './features/users/create-admin.ts';

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  await ensureBaseCatalog(database.db);
  await ensureSlaDefaults(database.db, systemClock.now());
  const boss = createBoss(database, { databaseUrl: config.databaseUrl });
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  await boss.start();
  await createQueues(boss);
  // Once in the life of a database (a later start finds it queued): the worker below does it.
  await queueCountdownBackfill(boss);

  const app = await buildApp({ config, database, clock: systemClock, boss });
  const workers = await startWorkers(boss, app.ctx, {
    // While the database is away the sweep fails every few seconds and resumes by itself once it is back: one line each, no query.
    onMailError: (error) =>
      isDatabaseUnavailable(error)
        ? app.log.warn(`mail delivery sweep: database unavailable (${innermostMessage(error)})`)
        : app.log.error(error, 'mail delivery sweep failed'),
    imapLog: app.log,
  });
  const seeded = config.demoData ? await seedDemo(app.ctx) : false;
  // The built-in SMTP receiver, for an MTA forwarding the reply and desk addresses' mail (INBOUND_SMTP_PORT).
  const smtpReceiver: SmtpReceiverHandle | null =
    config.inboundSmtpPort === undefined ? null : await startSmtpReceiver(app.ctx, { port: config.inboundSmtpPort, host: config.inboundSmtpHost });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: stopping`);
    await smtpReceiver?.stop();
    await workers.stop();
    await app.close();
    await boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}/db` : 'PostgreSQL';
  const lines = [`Guichet is running on ${config.baseUrl} (${where}).`];
  if (seeded) {
    lines.push(`Demo data loaded. Log in with any of these (password: ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) lines.push(`  ${u.role.padEnd(8)} ${u.email}`);
  } else if (config.demoData && (await hasDemoAccounts(app.ctx.db))) {
    lines.push(`Demo logins (if unchanged): ${DEMO_USERS.map((u) => u.email).join(', ')} — password ${DEMO_PASSWORD}`);
  }
  if (!seeded && !(await hasAdministrator(app.ctx.db))) {
    if (!config.demoData && config.databaseUrl) lines.push('No demo data on PostgreSQL (DEMO_DATA=true loads it into an empty database).');
    lines.push('No administrator yet. Create the first one with: npm run admin:create -- --email you@example.com');
  }
  if (smtpReceiver) lines.push(`Receiving e-mail by SMTP on ${config.inboundSmtpHost}:${smtpReceiver.port}.`);
  if (!config.smtpUrl) lines.push('No SMTP_URL: e-mails are printed here and kept in Administration → Outbox.');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    console.error(`Guichet cannot start.\n${error.message}`);
  } else {
    console.error('Guichet cannot start:', error);
  }
  process.exit(1);
});
