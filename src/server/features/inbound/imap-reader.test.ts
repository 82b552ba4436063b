/**
 * The IMAP reader against a real Dovecot (tests/support/dovecot.ts): each test has a mailbox user of
 * its own, and a `deliver` that records what it is given in place of receiveMail (src/server/workers.test.ts
 * reads a mailbox as the server does, into the real pipeline).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Dovecot, describeDovecot, passwordOf, startDovecot } from '../../../../tests/support/dovecot.ts';
import { type ImapReader, startImapReader } from './imap-reader.ts';

const USERS = ['delivers', 'failed', 'throws', 'idle', 'folders', 'stops', 'reconnects', 'order', 'recreates'];
const PROCESSED = 'Guichet/Processed';
const FAILED = 'Guichet/Failed';

let dovecot: Dovecot;
beforeAll(async () => {
  const started = await startDovecot({ users: USERS });
  if (started) dovecot = started;
});
afterAll(async () => {
  await dovecot?.stop();
});

const readers: ImapReader[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});

const mail = (subject: string) => {
  const messageId = `<${randomUUID()}@customer.example>`;
  const raw = `From: Customer <customer@customer.example>\r\nTo: support@guichet.example\r\nSubject: ${subject}\r\nMessage-ID: ${messageId}\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nHello, ${subject}.\r\n`;
  return { raw, messageId };
};

const messageIdOf = (raw: Buffer) => /^Message-ID: (.*)$/im.exec(raw.toString('utf8'))?.[1]?.trim();

type Delivery = { messageId: string | undefined; raw: Buffer };

function recorder(answer: (raw: Buffer, n: number) => Promise<{ status: string }> = async () => ({ status: 'processed' })) {
  const delivered: Delivery[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const deliver = async (raw: Buffer) => {
    const result = await answer(raw, delivered.length);
    delivered.push({ messageId: messageIdOf(raw), raw });
    for (const w of waiters.filter((w) => delivered.length >= w.count)) w.resolve();
    return result;
  };
  /** Resolves once `count` messages were delivered; fails after `timeoutMs` (a bound, not a wait for a rule). */
  const waitFor = (count: number, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (delivered.length >= count) return resolve();
      const timer = setTimeout(() => reject(new Error(`${delivered.length} of ${count} messages delivered within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return { delivered, deliver, waitFor };
}

function recordingLog() {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    log: {
      info: (message: string) => lines.push({ level: 'info', message }),
      warn: (message: string) => lines.push({ level: 'warn', message }),
      error: (message: string) => lines.push({ level: 'error', message }),
    },
  };
}

async function reader(
  user: string,
  deliver: (raw: Buffer) => Promise<{ status: string }>,
  extra: { password?: string; log?: ReturnType<typeof recordingLog>['log']; batchSize?: number } = {},
) {
  const started = await startImapReader({
    url: dovecot.url(user, { password: extra.password }),
    // Long enough that only IDLE or checkNow can be what picks a message up.
    pollSeconds: 3600,
    processedFolder: PROCESSED,
    failedFolder: FAILED,
    deliver,
    log: extra.log ?? recordingLog().log,
    retryMs: 50,
    maxRetryMs: 500,
    ...(extra.batchSize ? { batchSize: extra.batchSize } : {}),
  });
  readers.push(started);
  return started;
}

describeDovecot('reading a mailbox over IMAP (a real Dovecot)', () => {
  it('delivers every message of the mailbox once, in order, and moves each to the processed folder', async () => {
    const messages = [mail('first'), mail('second'), mail('third')];
    await dovecot.append(
      'delivers',
      messages.map((m) => m.raw),
    );
    const r = recorder();
    const imap = await reader('delivers', r.deliver);

    // The first check may already be under way: checkNow runs one more after it, which finds nothing new.
    await imap.checkNow();
    expect(r.delivered.map((d) => d.messageId)).toEqual(messages.map((m) => m.messageId));
    expect(r.delivered[0]!.raw.toString('utf8')).toContain('Hello, first.');
    expect(await dovecot.list('delivers', 'INBOX')).toEqual([]);
    expect((await dovecot.list('delivers', PROCESSED)).map((m) => m.messageId)).toEqual(messages.map((m) => m.messageId));
    expect(await dovecot.list('delivers', FAILED)).toEqual([]);

    expect(await imap.checkNow()).toBe(0);
    expect(r.delivered).toHaveLength(3);
  });

  it('reads the mailbox a batch at a time, in UID order, until it is empty', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => mail(`bulk ${i}`));
    await dovecot.append(
      'order',
      messages.map((m) => m.raw),
    );
    const r = recorder();
    const imap = await reader('order', r.deliver, { batchSize: 4 });
    await imap.checkNow();
    expect(r.delivered.map((d) => d.messageId)).toEqual(messages.map((m) => m.messageId));
    expect(await dovecot.list('order', 'INBOX')).toEqual([]);
    expect((await dovecot.list('order', PROCESSED)).map((m) => m.messageId)).toEqual(messages.map((m) => m.messageId));
  });

  it('moves a message that could not be processed to the failed folder', async () => {
    const bad = mail('cannot be processed');
    const good = mail('fine');
    await dovecot.append('failed', bad.raw);
    await dovecot.append('failed', good.raw);
    const r = recorder(async (raw) => ({ status: messageIdOf(raw) === bad.messageId ? 'failed' : 'processed' }));
    const imap = await reader('failed', r.deliver);
    await imap.checkNow();
    expect((await dovecot.list('failed', FAILED)).map((m) => m.messageId)).toEqual([bad.messageId]);
    expect((await dovecot.list('failed', PROCESSED)).map((m) => m.messageId)).toEqual([good.messageId]);
    expect(await dovecot.list('failed', 'INBOX')).toEqual([]);
  });

  it('leaves a message it could not store in the mailbox, and delivers it at the next check', async () => {
    const m = mail('database away');
    await dovecot.append('throws', m.raw);
    let databaseUp = false;
    const attempts: string[] = [];
    const r = recorder(async (raw) => {
      attempts.push(messageIdOf(raw) ?? '');
      if (!databaseUp) throw new Error('database unavailable');
      return { status: 'processed' };
    });
    const logged = recordingLog();
    const imap = await reader('throws', r.deliver, { log: logged.log });

    expect(await imap.checkNow()).toBe(0);
    expect(attempts.length).toBeGreaterThan(0);
    expect(r.delivered).toEqual([]);
    expect((await dovecot.list('throws', 'INBOX')).map((x) => x.messageId)).toEqual([m.messageId]);
    expect(await dovecot.list('throws', PROCESSED)).toEqual([]);
    expect(logged.lines.some((l) => l.level === 'warn' && /not stored.*database unavailable/.test(l.message))).toBe(true);

    databaseUp = true;
    expect(await imap.checkNow()).toBe(1);
    expect(r.delivered.map((d) => d.messageId)).toEqual([m.messageId]);
    expect(await dovecot.list('throws', 'INBOX')).toEqual([]);
    expect((await dovecot.list('throws', PROCESSED)).map((x) => x.messageId)).toEqual([m.messageId]);
  });

  it('picks up new mail the server announces (IDLE) without being asked', async () => {
    const r = recorder();
    const imap = await reader('idle', r.deliver);
    // Connected, with the mailbox selected and empty.
    expect(await imap.checkNow()).toBe(0);

    const m = mail('arrives later');
    await dovecot.append('idle', m.raw);
    await r.waitFor(1);
    expect(r.delivered.map((d) => d.messageId)).toEqual([m.messageId]);
  });

  it('creates the processed and failed folders when they are missing', async () => {
    expect(await dovecot.folders('folders')).toEqual(['INBOX']);
    const imap = await reader('folders', recorder().deliver);
    await imap.checkNow();
    expect(await dovecot.folders('folders')).toEqual(expect.arrayContaining(['INBOX', PROCESSED, FAILED]));
  });

  it('reconnects after the server dropped the connection, and goes on reading', async () => {
    const r = recorder();
    const logged = recordingLog();
    const imap = await reader('reconnects', r.deliver, { log: logged.log });
    expect(await imap.checkNow()).toBe(0);
    expect(await dovecot.sessions('reconnects')).toBe(1);

    await dovecot.kick('reconnects');
    const m = mail('after the drop');
    await dovecot.append('reconnects', m.raw);
    // The reconnection checks the mailbox on its own: no checkNow here.
    await r.waitFor(1);
    expect(r.delivered.map((d) => d.messageId)).toEqual([m.messageId]);
    expect(logged.lines.some((l) => l.level === 'warn' && /connection closed/.test(l.message))).toBe(true);
  });

  it('creates the processed folder again when it was deleted while the reader runs', async () => {
    const r = recorder();
    const logged = recordingLog();
    const imap = await reader('recreates', r.deliver, { log: logged.log });
    await imap.checkNow();
    await dovecot.deleteFolder('recreates', PROCESSED);
    const m = mail('after the clean-up');
    await dovecot.append('recreates', m.raw);

    // The first move fails (the message is stored all the same); the check after it creates the folder and moves it.
    await imap.checkNow().catch(() => {});
    await imap.checkNow();
    expect(r.delivered.map((d) => d.messageId)).toEqual([m.messageId, m.messageId]);
    expect(logged.lines.some((l) => l.level === 'warn' && l.message.includes(`could not move message UID 1 to ${PROCESSED}`))).toBe(true);
    expect(await dovecot.list('recreates', 'INBOX')).toEqual([]);
    expect((await dovecot.list('recreates', PROCESSED)).map((x) => x.messageId)).toEqual([m.messageId]);
  });

  it('says clearly that the login was refused, without the password', async () => {
    // A Dovecot of its own: it slows down every later login from an address after a wrong password.
    const own = (await startDovecot({ users: ['badpassword'] }))!;
    try {
      const wrong = `wrong-${passwordOf('badpassword')}`;
      const logged = recordingLog();
      const imap = await startImapReader({
        url: own.url('badpassword', { password: wrong }),
        pollSeconds: 3600,
        processedFolder: PROCESSED,
        failedFolder: FAILED,
        deliver: recorder().deliver,
        log: logged.log,
      });
      readers.push(imap);
      const error = await imap.checkNow().then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/IMAP login refused for badpassword@127\.0\.0\.1:\d+\/INBOX: check the user and password of IMAP_URL/);
      expect(error?.message).not.toContain(wrong);
      // The first attempt, at start, was logged once, as an error.
      expect(logged.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([error?.message]);
      for (const line of logged.lines) expect(line.message).not.toContain(wrong);
      for (const line of logged.lines) expect(line.message).not.toContain(encodeURIComponent(wrong));
      await imap.stop();
    } finally {
      await own.stop();
    }
  });

  it('stop() logs out and leaves nothing running: a process that stops its reader exits by itself', async () => {
    await dovecot.append('stops', mail('before the stop').raw);
    // A process of its own, polling every second: a timer or a socket left behind would keep it alive.
    const script = `
      import { startImapReader } from ${JSON.stringify(path.join(import.meta.dirname, 'imap-reader.ts'))};
      const reader = await startImapReader({
        url: process.env.IMAP_URL, pollSeconds: 1, processedFolder: 'Guichet/Processed', failedFolder: 'Guichet/Failed',
        deliver: async () => ({ status: 'processed' }), log: { info() {}, warn: console.warn, error: console.error },
      });
      await reader.checkNow();
      await reader.stop();
      console.log('stopped');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, IMAP_URL: dovecot.url('stops') } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exit = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running 15 s after stop()');
      }, 15_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? 'killed');
      });
    });
    expect({ exit, output }).toEqual({ exit: 0, output: 'stopped\n' });
    expect(await dovecot.list('stops', PROCESSED)).toHaveLength(1);
    expect(await dovecot.sessions('stops')).toBe(0);
  });

  it('checkNow() after stop() is refused', async () => {
    const imap = await reader('stops', recorder().deliver);
    await imap.stop();
    await expect(imap.checkNow()).rejects.toThrow(/stopped/);
  });
});
