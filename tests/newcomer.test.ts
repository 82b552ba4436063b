/**
 * A newcomer's two commands, `npm install && npm start`, in a fresh copy of the project, run by the
 * machine's own Node.js and npm (on Debian: Node.js 20, older than the Node.js 24 Guichet runs on).
 * `npm install` must bring Node.js 24 (the `node` dependency, its install script allowed), the npm
 * scripts must run on it, and where it is missing they must stop at once with one line saying what to do.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.ts';
import { cleanEnv, spawnServer, waitForHealth } from './support/server-process.ts';

const root = path.resolve(import.meta.dirname, '..');
const REQUIRED_MAJOR = Number(readFileSync(path.join(root, '.nvmrc'), 'utf8').trim());
const node24Cache = path.join(os.homedir(), '.cache', 'node24');

/** The PATH a person's shell has: without the project's node_modules/.bin (npm adds them) nor CI's Node 24. */
const personPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => dir && !dir.split(path.sep).includes('node_modules') && !dir.startsWith(node24Cache));

/** The machine's own Node.js: the first `node` on that PATH. */
function machineNode(): string | null {
  for (const dir of personPath) {
    const candidate = path.join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

type Run = { code: number | null; output: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape of terminal colours is what this removes.
const stripColours = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && code === null ? `\n${String(error)}` : ''}` });
    });
  });
}

/** The tracked files as they are in the working tree (uncommitted changes included): what a clone would have, plus the work in progress. */
async function copyProject(to: string): Promise<void> {
  const listed = await run('git', ['ls-files', '-z'], { cwd: root, env: process.env, timeoutMs: 60_000 });
  if (listed.code !== 0) throw new Error(`git ls-files failed:\n${listed.output}`);
  for (const file of listed.output.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue; // deleted in the working tree, or a submodule
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    cpSync(from, path.join(to, file), { verbatimSymlinks: true });
  }
}

const nodeOfMachine = machineNode();
const machineMajor = nodeOfMachine
  ? Number((await run(nodeOfMachine, ['-p', 'process.versions.node'], { cwd: root, env: process.env, timeoutMs: 30_000 })).output.split('.')[0])
  : NaN;

// Minutes on a busy two-core machine: an install, a web build, a new database, a test run.
describe(`npm install && npm start in a fresh copy, with the machine's own Node.js (${nodeOfMachine ?? 'none found'}, major ${machineMajor})`, {
  timeout: 900_000,
}, () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let install: Run = { code: null, output: '' };
  const npm = (args: string[], timeoutMs = 600_000) => run('npm', args, { cwd: dir, env, timeoutMs });

  beforeAll(async () => {
    if (!nodeOfMachine) throw new Error(`No node on PATH outside node_modules and ${node24Cache}: PATH=${process.env.PATH}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-newcomer-'));
    await copyProject(dir);
    env = cleanEnv({ PATH: [path.dirname(nodeOfMachine), ...personPath].join(path.delimiter) });
    // As a person types it; --prefer-offline only spares the registry what npm's cache already holds.
    install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund']);
  }, 900_000);

  // A whole node_modules: long to delete on a busy machine.
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 600_000);

  it(`npm install succeeds and brings Node.js ${REQUIRED_MAJOR}, its install script not blocked, without an engine warning about Guichet itself`, async () => {
    expect(install.code, install.output).toBe(0);
    expect(install.output).not.toMatch(/package: 'guichet@/);
    const bin = await run(path.join(dir, 'node_modules/.bin/node'), ['--version'], { cwd: dir, env, timeoutMs: 30_000 });
    expect(bin.output.trim()).toMatch(new RegExp(`^v${REQUIRED_MAJOR}\\.`));
    // npm 11 blocks the install scripts package.json does not allow, and lists them; an older npm runs them all.
    expect(install.output).not.toMatch(/install-scripts\s+node@/);
    const pending = await npm(['install-scripts', 'ls'], 120_000);
    if (!/unknown command/i.test(pending.output)) {
      expect(pending.code, pending.output).toBe(0);
      expect(pending.output).not.toMatch(/^\s*node@/m);
    }
  });

  it('npm start builds the web app, creates the embedded database and answers /api/health', async () => {
    const port = await freePort();
    const server = spawnServer('npm', ['start'], { cwd: dir, env: { ...env, PORT: String(port), DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' } });
    try {
      await waitForHealth(server, `http://127.0.0.1:${port}`, { timeoutMs: 600_000 });
      const page = await fetch(`http://127.0.0.1:${port}/login`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script type="module"[^>]* src="\/assets\//);
    } finally {
      await server.stop();
    }
    expect(server.output()).toContain(`Guichet is running on http://localhost:${port}`);
  });

  it(`npm test runs the tests on Node.js ${REQUIRED_MAJOR}`, async () => {
    const result = await npm(['test', '--', 'tests/node-version.test.ts', '--project', 'pglite'], 600_000);
    expect(result.code, result.output).toBe(0);
    expect(stripColours(result.output)).toMatch(/Tests\s+2 passed/);
  });

  it.runIf(machineMajor < REQUIRED_MAJOR)(
    `without the Node.js ${REQUIRED_MAJOR} that npm install brings (npm install --ignore-scripts), npm start stops at once with one line naming the version and how to get it`,
    async () => {
      // What --ignore-scripts leaves: the `node` package without its binary, so no node_modules/.bin/node.
      rmSync(path.join(dir, 'node_modules/.bin/node'));
      const result = await npm(['start'], 120_000);
      expect(result.code).not.toBe(0);
      const ours = result.output.split('\n').filter((line) => line.startsWith('Guichet needs'));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toContain(`Node.js ${REQUIRED_MAJOR}`);
      expect(ours[0]).toContain(`this is Node.js v${machineMajor}.`);
      expect(ours[0]).toContain('npm install');
      expect(result.output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|^\s+at /m);
    },
  );
});
