/**
 * A throwaway PostgreSQL cluster of a test's own (initdb and pg_ctl of the Debian packages, in a
 * temporary folder, on a free port), which the test may stop and start again under load. As root,
 * the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

export type PgCluster = {
  url: string;
  port: number;
  /** Stops the server: `fast` ends every session with 57P01, `immediate` kills it without a word (crash recovery on the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): void;
  /** The server's log, for a failure message. */
  log(): string;
};

/** The newest installed PostgreSQL's bin folder, or a clear error naming the packages that provide it. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error(`No initdb and pg_ctl under ${root}/*/bin: install the PostgreSQL server (apt-get install postgresql) to run this test.`);
  }
  return path.join(root, versions[0]!, 'bin');
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    owner = { uid, gid };
    chownSync(dir, uid, gid);
  }
  // Asynchronous, so the test's own clients go on sending requests while the server stops and starts.
  const run = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(path.join(bin, tool), args, { cwd: dir, encoding: 'utf8', timeout: 120_000, ...(owner ?? {}) }, (error, stdout, stderr) => {
        if (!error) return resolve();
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
        reject(new Error(`${tool} ${args.join(' ')} failed (${error.message}):\n${stdout}\n${stderr}\n${log}`));
      });
    });
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--encoding', 'UTF8', '--locale', 'C']);
  // fsync off: the operating system survives every stop here, so nothing written is lost, and it is quicker.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: (mode) => run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']),
    start: () => run('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']),
    destroy: () => {
      spawnSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { cwd: dir, timeout: 60_000, ...(owner ?? {}) });
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  await cluster.start();
  return cluster;
}
