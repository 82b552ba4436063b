/**
 * A real Dovecot IMAP server for tests: Debian's dovecot-imapd, with a configuration of its own in a
 * temporary folder (base dir, state, maildirs, a passwd-file of plain-text passwords), listening on
 * 127.0.0.1 and a free port, plain-text login without TLS. It runs as the user running the tests
 * (root in CI). Without /usr/sbin/dovecot the tests are reported as skipped, unless REQUIRE_IMAP=1
 * (CI), which makes it a failure — as REQUIRE_BROWSER does for Chromium (tests/support/browser.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, it } from 'vitest';
import { freePort } from './free-port.ts';

export const DOVECOT_PATH = '/usr/sbin/dovecot';
export const dovecotAvailable = existsSync(DOVECOT_PATH);
const dovecotRequired = process.env.REQUIRE_IMAP === '1';

/**
 * `describe` for tests that need Dovecot. Without it: skipped, with the reason in the name;
 * with REQUIRE_IMAP=1: one failing test that says what is missing.
 */
export function describeDovecot(name: string, fn: () => void): void {
  if (dovecotAvailable) {
    // Real IMAP sessions on a busy CI machine: bounded waits up to 20 s inside, so more room than the default 30 s.
    describe(name, { timeout: 90_000 }, fn);
  } else if (dovecotRequired) {
    describe(name, () => {
      it('needs Dovecot', () => {
        throw new Error(`REQUIRE_IMAP=1 but ${DOVECOT_PATH} does not exist: install it (apt-get install -y dovecot-imapd).`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${DOVECOT_PATH} not found; REQUIRE_IMAP=1 makes this a failure]`, fn);
  }
}

export type StoredMessage = { uid: number; messageId: string | undefined; subject: string | undefined };

export type Dovecot = {
  host: string;
  port: number;
  /** imap://user:password@127.0.0.1:port/INBOX (the password given, or the user's own), URL-encoded. */
  url(user: string, options?: { password?: string; mailbox?: string }): string;
  /** Adds messages to a user's folder (INBOX unless given), in order, as a mail delivery would. */
  append(user: string, raw: Buffer | string | (Buffer | string)[], folder?: string): Promise<void>;
  /** The messages of a user's folder, in UID order; [] when the folder does not exist. */
  list(user: string, folder?: string): Promise<StoredMessage[]>;
  /** The user's folders. */
  folders(user: string): Promise<string[]>;
  /** Deletes a user's folder and what it holds, as a person cleaning up their mailbox would. */
  deleteFolder(user: string, folder: string): Promise<void>;
  /** How many IMAP sessions the user has open right now (doveadm who). */
  sessions(user: string): Promise<number>;
  /** Ends every IMAP session of the user, as a server restart would (doveadm kick). */
  kick(user: string): Promise<void>;
  /** The server's log, for a failure message. */
  log(): string;
  stop(): Promise<void>;
};

/** A password of each user's own, with characters a URL encodes (not ":", the passwd-file's separator). */
export const passwordOf = (user: string) => `pw/${user}#?%@é`;

function groupName(gid: number): string {
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const [name, , id] = line.split(':');
    if (name && Number(id) === gid) return name;
  }
  throw new Error(`No group with id ${gid} in /etc/group`);
}

function systemUser(name: string): { uid: number; gid: number } | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * Dovecot refuses to run its login process or to store mail as root: as root, it runs as the Debian package's
 * own users (mail stored as `dovecot`); anyone else runs all of it as themselves.
 */
function runAs(): { internalUser: string; loginUser: string; internalGroup: string | null; mail: { uid: number; gid: number } } {
  const me = os.userInfo();
  if (me.uid !== 0) return { internalUser: me.username, loginUser: me.username, internalGroup: groupName(me.gid), mail: { uid: me.uid, gid: me.gid } };
  const dovecot = systemUser('dovecot');
  if (!dovecot || !systemUser('dovenull')) throw new Error('Dovecot as root needs the dovecot and dovenull users of its Debian package');
  return { internalUser: 'dovecot', loginUser: 'dovenull', internalGroup: null, mail: dovecot };
}

function configFor(dir: string, port: number): string {
  const { internalUser, loginUser, internalGroup, mail } = runAs();
  return `# Written by tests/support/dovecot.ts
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internalUser}
${internalGroup ? `default_internal_group = ${internalGroup}` : ''}
default_login_user = ${loginUser}
# New mail is announced during IDLE within a second (inotify usually does it at once).
mailbox_idle_check_interval = 1 secs
first_valid_uid = ${mail.uid}
first_valid_gid = ${mail.gid}
# A wrong password is answered at once (2 s by default, and more for each failure from the same
# address unless it is trusted), so that the test of it stays quick.
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
mail_location = maildir:${dir}/mail/%u
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mail.uid} gid=${mail.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service doveadm {
  inet_listener {
    port = 0
  }
}
`;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`dovecot exited (${child.exitCode ?? child.signalCode})`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) return reject(new Error(`dovecot did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms`));
        setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts a Dovecot of its own with the given users (each with `passwordOf(user)`), or returns null,
 * with the reason in `reason`, when Dovecot is not installed.
 */
export async function startDovecot(options: { users: string[] }): Promise<Dovecot | null> {
  if (!dovecotAvailable) {
    console.warn(`startDovecot: ${DOVECOT_PATH} not found (apt-get install -y dovecot-imapd)`);
    return null;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-dovecot-'));
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub));
  // Dovecot's auth process (its own user, as root) reads the passwd-file: test passwords, readable by all.
  chmodSync(dir, 0o711);
  const { mail } = runAs();
  chownSync(path.join(dir, 'mail'), mail.uid, mail.gid);
  writeFileSync(path.join(dir, 'passwd'), options.users.map((u) => `${u}:{PLAIN}${passwordOf(u)}::::::\n`).join(''), { mode: 0o644 });
  const configFile = path.join(dir, 'dovecot.conf');
  const logFile = path.join(dir, 'dovecot.log');
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  let child: ChildProcess | null = null;
  let port = 0;
  let output = '';
  // Should the test process die without stopping it, the server goes with it.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stopChild = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  // The port is free a moment before Dovecot binds it: should another process take it first, start over.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    writeFileSync(configFile, configFor(dir, port));
    output = '';
    const started = spawn(DOVECOT_PATH, ['-c', configFile, '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitForPort(port, started, 15_000);
      break;
    } catch (error) {
      await stopChild();
      const details = `${output}\n${log().slice(-4000)}`;
      if (attempt < 3 && /in use/i.test(details)) continue;
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Dovecot did not start: ${(error as Error).message}\n${details}`);
    }
  }

  const host = '127.0.0.1';
  const url = (user: string, o: { password?: string; mailbox?: string } = {}) =>
    `imap://${encodeURIComponent(user)}:${encodeURIComponent(o.password ?? passwordOf(user))}@${host}:${port}/${encodeURIComponent(o.mailbox ?? 'INBOX')}`;

  const withClient = async <T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host, port, secure: false, auth: { user, pass: passwordOf(user) }, logger: false, disableAutoIdle: true });
    client.on('error', () => {});
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const doveadm = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const p = spawn('/usr/bin/doveadm', ['-c', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      // doveadm kick exits with 68 when there was nobody to kick.
      p.on('exit', (code) => (code === 0 || code === 68 ? resolve(out) : reject(new Error(`doveadm ${args.join(' ')} exited ${code}: ${err}`))));
    });

  return {
    host,
    port,
    url,
    append: (user, raw, folder = 'INBOX') =>
      withClient(user, async (client) => {
        for (const one of Array.isArray(raw) ? raw : [raw]) await client.append(folder, one);
      }),
    list: (user, folder = 'INBOX') =>
      withClient(user, async (client) => {
        const exists = (await client.list()).some((box) => box.path === folder);
        if (!exists) return [];
        const lock = await client.getMailboxLock(folder, { readOnly: true });
        try {
          const found: StoredMessage[] = [];
          if (client.mailbox && client.mailbox.exists > 0) {
            for await (const message of client.fetch('1:*', { uid: true, envelope: true })) {
              found.push({ uid: message.uid, messageId: message.envelope?.messageId, subject: message.envelope?.subject });
            }
          }
          return found.sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      }),
    folders: (user) => withClient(user, async (client) => (await client.list()).map((box) => box.path).sort()),
    deleteFolder: (user, folder) =>
      withClient(user, async (client) => {
        await client.mailboxDelete(folder);
      }),
    sessions: async (user) =>
      (await doveadm(['who', '-1', user]))
        .split('\n')
        .slice(1)
        .filter((line) => line.trim()).length,
    kick: async (user) => {
      await doveadm(['kick', user]);
    },
    log,
    async stop() {
      await stopChild();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
