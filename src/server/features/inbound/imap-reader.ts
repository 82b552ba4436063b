/**
 * Reads a mailbox over IMAP (IMAP_URL): every message in it is handed to `deliver` (receiveMail), then
 * moved to the processed folder, or to the failed folder when it could not be processed. A message
 * leaves the mailbox only once `deliver` has resolved, that is once it is stored: should the move
 * fail after that, the next check delivers it again and receiveMail recognizes it by its Message-ID.
 *
 * New mail is picked up when the server announces it (IDLE), and by a poll every `pollSeconds` for
 * servers without IDLE or announcements lost. Checks run one at a time. A dropped connection is
 * opened again with a growing delay.
 */
import { ImapFlow } from 'imapflow';

export type ImapReaderLog = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

export type ImapReaderOptions = {
  url: string;
  pollSeconds: number;
  processedFolder: string;
  failedFolder: string;
  /** Stores and processes one raw message; throws when it could not be stored (it is tried again later). */
  deliver: (raw: Buffer) => Promise<{ status: string }>;
  log: ImapReaderLog;
  /** Delay before the first reconnection, doubled on each failure up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long a quiet connection waits before it starts IDLE (imapflow's autoIdleDelay). */
  idleDelayMs?: number;
  /** How many UIDs one search takes at most: a mailbox of any size is read a slice at a time. */
  batchSize?: number;
};

export type ImapReader = {
  /** Ends the polling, the reconnections and the connection (LOGOUT); waits for a check under way. */
  stop(): Promise<void>;
  /** Runs one check (after the one under way, if any) and resolves with how many messages it handled. */
  checkNow(): Promise<number>;
};

type Target = { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string };

export function parseImapUrl(url: string): Target {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error(`IMAP_URL must start with imap:// or imaps://, not ${u.protocol}//`);
  const secure = u.protocol === 'imaps:';
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox: path || 'INBOX',
  };
}

export async function startImapReader(options: ImapReaderOptions): Promise<ImapReader> {
  const target = parseImapUrl(options.url);
  const { log } = options;
  const where = `${target.user}@${target.host}:${target.port}/${target.mailbox}`;
  const retryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  const batchSize = options.batchSize ?? 100;

  /** What an error says, for a log line or the caller: never the password, even if a server echoed it. */
  const describeError = (error: unknown): string => {
    const e = error as { message?: string; responseText?: string; authenticationFailed?: boolean; code?: string };
    let text: string;
    if (e?.authenticationFailed) {
      text = `IMAP login refused for ${where}: check the user and password of IMAP_URL (${e.responseText ?? e.message ?? 'authentication failed'})`;
    } else {
      const detail = [e?.code, e?.responseText ?? e?.message ?? String(error)].filter(Boolean).join(': ');
      text = `IMAP ${where}: ${detail}`;
    }
    return target.password.length >= 3 ? text.split(target.password).join('***') : text;
  };

  let stopped = false;
  let client: ImapFlow | null = null;
  let connecting: Promise<ImapFlow> | null = null;
  /** The client of a connection being opened, closed at once by stop(). */
  let opening: ImapFlow | null = null;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  /** The last problem logged: logged once while it lasts, and its end is logged too. */
  let lastProblem = '';

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    const delay = Math.min(maxRetryMs, retryMs * 2 ** Math.min(failures, 20));
    failures++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      trigger();
    }, delay);
  };

  /** False once a move failed: someone may have deleted a folder, the next check creates it again. */
  let foldersReady = false;
  const ensureFolders = async (c: ImapFlow) => {
    for (const folder of [options.processedFolder, options.failedFolder]) {
      const created = await c.mailboxCreate(folder);
      if (created.created) log.info(`IMAP ${where}: created the folder ${folder}`);
    }
    foldersReady = true;
  };

  const connect = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.password },
      logger: false,
      autoIdleDelay: options.idleDelayMs ?? 1000,
      connectionTimeout: 30_000,
    });
    // Reported once by the check or the close that follows; without a listener an error would end the process.
    c.on('error', () => {});
    c.on('exists', (data: { count: number; prevCount: number }) => {
      if (data.count > data.prevCount) trigger();
    });
    c.on('close', () => {
      if (client !== c) return;
      client = null;
      if (stopped) return;
      lastProblem = `IMAP ${where}: connection closed, reconnecting`;
      log.warn(lastProblem);
      scheduleRetry();
    });
    opening = c;
    try {
      await c.connect();
      await ensureFolders(c);
      // Kept selected between checks: that is the mailbox IDLE watches.
      await c.mailboxOpen(target.mailbox);
    } catch (error) {
      c.close();
      throw error;
    } finally {
      opening = null;
    }
    return c;
  };

  const connected = async (): Promise<ImapFlow> => {
    if (client?.usable) return client;
    if (!connecting) {
      connecting = connect()
        .then((c) => {
          if (stopped) {
            void c.logout().catch(() => c.close());
            throw new Error('IMAP reader stopped');
          }
          client = c;
          return c;
        })
        .finally(() => {
          connecting = null;
        });
    }
    return connecting;
  };

  const check = async (): Promise<number> => {
    const c = await connected();
    if (!foldersReady) await ensureFolders(c);
    const lock = await c.getMailboxLock(target.mailbox);
    let handled = 0;
    try {
      let after = 0;
      for (;;) {
        const found = await c.search({ uid: `${after + 1}:*`, deleted: false }, { uid: true });
        // "n:*" always includes the highest UID, even below n.
        const uids = (found || []).filter((uid) => uid > after).sort((a, b) => a - b);
        if (!uids.length) break;
        for (const uid of uids.slice(0, batchSize)) {
          after = uid;
          if (stopped) return handled;
          const message = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          if (message === false || !message.source) continue;
          let status: string;
          try {
            ({ status } = await options.deliver(message.source));
          } catch (error) {
            // Not stored (the database is away): it stays in the mailbox, and so do the ones after it, in order.
            log.warn(`IMAP ${where}: message UID ${uid} not stored, left in the mailbox for the next check: ${describeError(error)}`);
            return handled;
          }
          const folder = status === 'failed' ? options.failedFolder : options.processedFolder;
          if (!(await c.messageMove(String(uid), folder, { uid: true }))) {
            // Stored all the same: the next check delivers it again, and receiveMail knows it (duplicate).
            foldersReady = false;
            throw new Error(`could not move message UID ${uid} to ${folder}`);
          }
          handled++;
        }
      }
    } finally {
      lock.release();
    }
    failures = 0;
    return handled;
  };

  // One check at a time; asked during a check, one more runs after it (the asks in between share it).
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<number> | null = null;
  const schedule = (): Promise<number> => {
    if (stopped) return Promise.reject(new Error('IMAP reader stopped'));
    if (queued) return queued;
    const next = chain.then(() => {
      queued = null;
      return check();
    });
    queued = next;
    chain = next.catch(() => {});
    return next;
  };

  function trigger(): void {
    if (stopped) return;
    schedule().then(
      () => {
        if (lastProblem) log.info(`IMAP ${where}: reading the mailbox again`);
        lastProblem = '';
      },
      (error: unknown) => {
        if (stopped) return;
        const problem = describeError(error);
        // One line per problem, not one per attempt while it lasts.
        if (problem !== lastProblem) {
          if ((error as { authenticationFailed?: boolean })?.authenticationFailed) log.error(problem);
          else log.warn(problem);
        }
        lastProblem = problem;
        if (!client?.usable) scheduleRetry();
      },
    );
  }

  const pollTimer = setInterval(trigger, options.pollSeconds * 1000);
  trigger();

  return {
    checkNow: () =>
      schedule().catch((error: unknown) => {
        throw new Error(describeError(error), { cause: error });
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(pollTimer);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      opening?.close();
      await chain;
      await connecting?.catch(() => {});
      const c = client;
      client = null;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
