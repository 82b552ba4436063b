/**
 * `npm run import:jsm -- --site https://<site>.atlassian.net --email <address> --token-file <file>
 * [--mapping <file>] [--dry-run]` (issue 18).
 *
 * Without --mapping, it connects, writes the proposed mapping (jsm-mapping.json, or --mapping-out)
 * and stops: the administrator reviews it, completes what is unmapped, and runs the command again
 * with --mapping. With it, it imports (or, with --dry-run, prints what would be created, updated
 * and refused), printing progress, then the report. The same command run again after an
 * interruption continues where it stopped; run after a completed import, it updates and adds.
 * Exit codes: 0 done; 1 the import failed (run it again to resume) or JSM/the database could not
 * be used; 2 bad input, naming the option; 3 the mapping leaves items unmapped (nothing imported).
 * On the embedded database, stop the server first: PGlite's folder is for one process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { jsmMappingSchema, type JsmImport } from '#shared/jsm-import-api.ts';
import { systemClock } from '../../clock.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { DatabaseUnavailableError, migrateDatabase, openDatabase, type Database } from '../../db/client.ts';
import { jsmImport } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { ensureBaseCatalog } from '../catalog/base-catalog.ts';
import { createImport, getImport, siteOf, startImport, updateMapping } from './jsm-imports.ts';
import { fingerprintOf } from './session.ts';
import { runImport } from './run-import.ts';
import { sealToken } from './token-box.ts';

const COMMAND = 'import:jsm';
const USAGE =
  'npm run import:jsm -- --site https://<site>.atlassian.net --email <address> --token-file <file> [--mapping <file>] [--dry-run] [--mapping-out <file>]';

class UsageError extends Error {}

type Options = { site: string; email: string; tokenFile: string; mapping: string | undefined; mappingOut: string; dryRun: boolean };

function parseOptions(argv: string[]): Options | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        site: { type: 'string' },
        email: { type: 'string' },
        'token-file': { type: 'string' },
        mapping: { type: 'string' },
        'mapping-out': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: ${USAGE})`);
  }
  if (values.help) return 'help';
  for (const name of ['site', 'email', 'token-file'] as const) {
    if (typeof values[name] !== 'string' || !values[name]) throw new UsageError(`--${name} is required (usage: ${USAGE})`);
  }
  if (!z.email().safeParse(values.email).success) throw new UsageError(`--email: "${values.email}" is not a valid e-mail address`);
  return {
    site: values.site as string,
    email: values.email as string,
    tokenFile: values['token-file'] as string,
    mapping: values.mapping as string | undefined,
    mappingOut: (values['mapping-out'] as string | undefined) ?? 'jsm-mapping.json',
    dryRun: values['dry-run'] === true,
  };
}

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--${option}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

async function readMapping(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readText(file, 'mapping'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--mapping: ${file} is not JSON (${(error as Error).message})`);
  }
  const parsed = jsmMappingSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`--mapping: ${file}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

function printReport(report: JsmImport, out: (line: string) => void): void {
  out(`${report.dryRun ? 'Dry run (nothing was written)' : 'Import'} ${report.status}: ${report.requestsDone} request(s) handled.`);
  out('kind          created  updated  unchanged  refused');
  for (const c of report.counts) {
    out(
      `${c.kind.padEnd(12)} ${String(c.created).padStart(8)} ${String(c.updated).padStart(8)} ${String(c.unchanged).padStart(10)} ${String(c.refused).padStart(8)}`,
    );
  }
  if (report.rateLimit.waits) out(`JSM asked to slow down ${report.rateLimit.waits} time(s); waited ${Math.round(report.rateLimit.waitedSeconds)} s.`);
  if (report.refusedTotal) {
    out(`Refused or changed on the way (${report.refusedTotal}):`);
    for (const r of report.refusals) out(`  ${r.kind} ${r.label}: ${r.reason} [${r.code}]`);
    if (report.refusedTotal > report.refusals.length) out(`  … and ${report.refusedTotal - report.refusals.length} more.`);
  }
  if (report.error) out(`Error: ${report.error}`);
}

async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(`Usage: ${USAGE}\n\nImports a Jira Service Management Cloud site into Guichet (see the README, "Leaving Jira Service Management").`);
    return 0;
  }
  const token = (await readText(options.tokenFile, 'token-file')).trim();
  if (!token) throw new UsageError(`--token-file: ${options.tokenFile} is empty`);
  const mapping = options.mapping ? await readMapping(options.mapping) : undefined;
  const config = loadConfig();
  const site = (() => {
    try {
      return siteOf(options.site, config.jsmImportAllowedHosts);
    } catch (error) {
      throw new UsageError(`--site: ${(error as Error).message.replace(/^site: /, '')}`);
    }
  })();
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateDatabase(database);
    // A database the server never started on: its desks and request types, which the mapping names.
    await ensureBaseCatalog(database.db);
    const ctx = { db: database.db, clock: systemClock, config, boss: null };
    const log = (line: string) => process.stderr.write(`${line}\n`);

    // The same command after an interruption: the import it left continues.
    const [interrupted] = await ctx.db
      .select()
      .from(jsmImport)
      .where(and(eq(jsmImport.site, site), inArray(jsmImport.status, ['queued', 'running', 'pausing', 'paused', 'failed'])))
      .orderBy(desc(jsmImport.createdAt))
      .limit(1);
    let id: string;
    if (mapping && interrupted && !interrupted.dryRun && !options.dryRun && fingerprintOf(interrupted.mapping) === fingerprintOf(mapping)) {
      id = interrupted.id;
      log(`Continuing the import started ${interrupted.createdAt.toISOString()} where it stopped.`);
      await ctx.db
        .update(jsmImport)
        .set({ status: 'queued', email: options.email, tokenEncrypted: await sealToken(config.authSecret, token), error: null, updatedAt: systemClock.now() })
        .where(eq(jsmImport.id, id));
    } else {
      const created = await createImport(ctx, null, { site, email: options.email, token });
      id = created.id;
      if (!mapping) {
        await writeFile(options.mappingOut, `${JSON.stringify(created.mapping, null, 2)}\n`);
        console.log(`The proposed mapping is in ${options.mappingOut}. Review it, then run the command again with --mapping ${options.mappingOut}.`);
        for (const u of created.unmapped) console.log(`  unmapped ${u.kind}: ${u.name} (${u.id})`);
        return 3;
      }
      const updated = await updateMapping(ctx, null, id, mapping);
      if (updated.unmapped.length) {
        console.log(`The mapping leaves ${updated.unmapped.length} item(s) unmapped; nothing was imported:`);
        for (const u of updated.unmapped)
          console.log(`  ${u.kind}: ${u.name} (${u.id}) — ${u.reason === 'not_mapped' ? 'not mapped' : 'mapped to something Guichet does not have'}`);
        return 3;
      }
      await startImport(ctx, null, id, { dryRun: options.dryRun });
    }
    const outcome = await runImport({ db: ctx.db, clock: systemClock, config, log }, id);
    printReport(await getImport(ctx, id), (line) => console.log(line));
    if (outcome === 'failed') console.log('Run the same command again to continue where it stopped.');
    return outcome === 'completed' ? 0 : 1;
  } finally {
    await database?.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${COMMAND}: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(`${COMMAND}: ${error.message} [${error.code}]`);
    process.exitCode = error.status < 500 ? 2 : 1;
  } else if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    console.error(`${COMMAND}: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(`${COMMAND} failed:`, error);
    process.exitCode = 1;
  }
}
