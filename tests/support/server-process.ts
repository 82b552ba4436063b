/**
 * A Guichet server (or `npm start`) in a process of its own, as a person starts it: for the newcomer test
 * and the first-load benchmark. The process leads its own process group, so stopping it also stops what
 * npm started under it (the shell, then node).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { configSchema } from '../../src/server/config.ts';

export type ServerProcess = {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM to the whole group, SIGKILL to what is left of it after `graceMs`; resolves with how the leader exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * The environment of a person's shell: none of Guichet's settings, nor what npm, Vitest or a test run put
 * into this process's environment (npm_config_*, NODE_ENV=test, NODE_OPTIONS, TEST_DATABASE_URL…).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped = new Set([
    ...Object.keys(configSchema.shape),
    'NODE_OPTIONS',
    'NODE_ENV',
    'INIT_CWD',
    'TEST_DATABASE_URL',
    'REQUIRE_BROWSER',
    'REQUIRE_IMAP',
    'GUICHET_TEST_DB',
  ]);
  for (const [key, value] of Object.entries(process.env)) {
    if (dropped.has(key) || /^(npm_|VITEST|TINYPOOL)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function spawnServer(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ServerProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      // Let the pipes drain before the caller reads the output.
      setImmediate(() => resolve({ code, signal }));
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    child,
    output: () => out,
    exited,
    hasExited: () => done,
    async stop(graceMs = 30_000) {
      signalGroup('SIGTERM');
      // Wait for the whole group, not just npm: the server closes its database on SIGTERM, and a
      // second start on the same data directory must not find it half-closed.
      const deadline = performance.now() + graceMs;
      while (groupAlive() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (groupAlive()) signalGroup('SIGKILL');
      return exited;
    },
  };
}

/**
 * Polls `${baseUrl}/api/health` until it answers 200 (waiting on another process, not on a rule) and
 * returns how long that took from `since`. Fails early, with the process's output, if it exits.
 */
export async function waitForHealth(server: ServerProcess, baseUrl: string, options: { timeoutMs: number; since?: number }): Promise<number> {
  const since = options.since ?? performance.now();
  const deadline = since + options.timeoutMs;
  while (performance.now() < deadline) {
    if (server.hasExited()) throw new Error(`the server exited before answering /api/health:\n${server.output()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return performance.now() - since;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no answer from ${baseUrl}/api/health within ${options.timeoutMs} ms:\n${server.output()}`);
}
