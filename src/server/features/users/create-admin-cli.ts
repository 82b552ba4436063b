/**
 * `npm run admin:create -- --email <address> [--name <name>] [--link]`: the first administrator of a
 * real deployment (on PostgreSQL the demo accounts are not loaded). On a terminal the password is
 * asked twice, hidden; with --link, or when standard input is not a terminal, a set-password link is
 * printed instead. An address that already has an account is made administrator. Bad input: one line
 * naming the option, exit code 2; a configuration or database problem: exit code 1.
 * On the embedded database, run it while the server is stopped: PGlite's folder is for one process.
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { emailAddressSchema, personNameSchema } from '#shared/api.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '#shared/domain.ts';
import { buildApp } from '../../app.ts';
import { systemClock } from '../../clock.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { DatabaseUnavailableError, migrateDatabase, openDatabase, type Database } from '../../db/client.ts';
import { user } from '../../db/schema.ts';
import { createAdministrator, SET_PASSWORD_LINK_HOURS } from './create-admin.ts';

const COMMAND = 'admin:create';
const USAGE = 'npm run admin:create -- --email <address> [--name <name>] [--link]';
const PASSWORD_TRIES = 3;

/** Bad input on the command line: one line naming the option, exit code 2. */
class UsageError extends Error {}
class Interrupted extends Error {}

type Options = { email: string; name: string | undefined; link: boolean };

function parseOptions(argv: string[]): Options | 'help' {
  let values: { email?: string | undefined; name?: string | undefined; link?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, name: { type: 'string' }, link: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: ${USAGE})`);
  }
  if (values.help) return 'help';
  if (values.email === undefined) throw new UsageError(`--email is required (usage: ${USAGE})`);
  const email = emailAddressSchema.safeParse(values.email.trim());
  if (!email.success) throw new UsageError(`--email: "${values.email}" is not a valid e-mail address`);
  let name: string | undefined;
  if (values.name !== undefined) {
    const parsed = personNameSchema.safeParse(values.name);
    if (!parsed.success) throw new UsageError('--name: give a name of 1 to 120 characters');
    name = parsed.data;
  }
  return { email: email.data, name, link: values.link === true };
}

/** Reads lines typed on a terminal without echoing them (raw mode), keeping what was typed ahead. */
class HiddenInput {
  private buffer = '';
  private ended = false;
  private wake: (() => void) | null = null;
  private readonly input: NodeJS.ReadStream;
  private readonly onData = (chunk: string) => {
    this.buffer += chunk;
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  constructor(input: NodeJS.ReadStream) {
    this.input = input;
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.resume();
  }

  async line(prompt: string, output: NodeJS.WriteStream): Promise<string> {
    output.write(prompt);
    let line = '';
    for (;;) {
      while (this.buffer.length > 0) {
        const char = [...this.buffer][0]!;
        this.buffer = this.buffer.slice(char.length);
        if (char === '\r' || char === '\n') {
          output.write('\n');
          return line;
        }
        if (char === '\u0003' || (char === '\u0004' && line === '')) {
          output.write('\n');
          throw new Interrupted();
        }
        if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
        else if (char >= ' ') line += char;
      }
      if (this.ended) throw new Interrupted();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  close() {
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.setRawMode(false);
    this.input.pause();
  }
}

/** The password, typed twice without echo; refused (exit code 2) after three unusable tries. */
async function askPassword(email: string): Promise<string> {
  const input = new HiddenInput(process.stdin);
  try {
    for (let attempt = 1; attempt <= PASSWORD_TRIES; attempt++) {
      const first = await input.line(`Password for ${email} (${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not shown): `, process.stderr);
      if (first.length < PASSWORD_MIN || first.length > PASSWORD_MAX) {
        process.stderr.write(`The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.\n`);
        continue;
      }
      const second = await input.line('The same password again: ', process.stderr);
      if (second !== first) {
        process.stderr.write('The two passwords differ.\n');
        continue;
      }
      return first;
    }
  } finally {
    input.close();
  }
  throw new UsageError(`password: no usable password after ${PASSWORD_TRIES} tries (run it again, or add --link to print a set-password link)`);
}

async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(
      `Usage: ${USAGE}\n\nCreates an administrator (or makes the account of that address one).\n` +
        `On a terminal the password is asked; with --link, or without a terminal, a set-password link valid ${SET_PASSWORD_LINK_HOURS} hours is printed.\n` +
        'On the embedded database (no DATABASE_URL), stop the server first: only one process may open it.',
    );
    return 0;
  }
  const config = loadConfig();
  let database: Database | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateDatabase(database);
    app = await buildApp({ config, database, clock: systemClock, logger: false });
    const [existing] = await database.db.select({ role: user.role }).from(user).where(eq(user.email, options.email));

    // An existing account keeps its password unless --link asks for a new one.
    const terminal = process.stdin.isTTY === true;
    const printLink = options.link || (!existing && !terminal);
    if (!options.link && !terminal && !existing)
      console.log('Standard input is not a terminal: printing a set-password link instead of asking for a password.');
    const password = existing || printLink ? undefined : await askPassword(options.email);

    const result = await createAdministrator(app.ctx, { email: options.email, name: options.name, password, link: printLink });
    switch (result.outcome) {
      case 'created':
        console.log(`Administrator created: ${result.email}.`);
        break;
      case 'promoted':
        console.log(
          `${result.email} already had an account (${result.previousRole}): it is now an administrator` +
            `${result.reactivated ? ', and active again (it was deactivated)' : ''}.`,
        );
        break;
      case 'already_admin':
        console.log(`${result.email} is already an administrator: nothing changed.`);
        break;
    }
    if (result.setPasswordLink) {
      console.log(`Open this link within ${SET_PASSWORD_LINK_HOURS} hours to choose the password (it works once):\n  ${result.setPasswordLink.url}`);
    } else if (password) {
      console.log(`Log in at ${config.baseUrl}/login with this address and the password you typed.`);
    } else {
      console.log('The password of the account is unchanged (add --link to print a set-password link).');
    }
    return 0;
  } finally {
    await app?.close();
    await database?.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${COMMAND}: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof Interrupted) {
    console.error(`${COMMAND}: interrupted, nothing changed.`);
    process.exitCode = 130;
  } else if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    console.error(`${COMMAND}: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(`${COMMAND} failed:`, error);
    process.exitCode = 1;
  }
}
