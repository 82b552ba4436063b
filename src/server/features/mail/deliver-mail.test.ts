import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { QUEUES } from '../../jobs/boss.ts';
import { call, createTestApp, lastMailTo, randomIp, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../../../tests/support/smtp.ts';
import { createTransport, messageIdFor, startMailWorker } from './deliver-mail.ts';

type OutboxRow = typeof outbox.$inferSelect;

const signUp = (t: TestApp, email: string, language: string) =>
  call(t.app, {
    method: 'POST',
    url: '/api/auth/sign-up/email',
    body: { name: 'Mia Rossi', email, password: 'A-strong-password-1', language, callbackURL: '/verify-email/done' },
    headers: { 'x-forwarded-for': randomIp() },
  });

/** Polls the outbox row until it matches: the worker delivers asynchronously, over a real socket. */
async function waitForRow(t: TestApp, id: string, predicate: (row: OutboxRow) => boolean, timeoutMs = 15_000): Promise<OutboxRow> {
  const deadline = Date.now() + timeoutMs;
  let row: OutboxRow | undefined;
  for (;;) {
    [row] = await t.db.select().from(outbox).where(eq(outbox.id, id));
    if (row && predicate(row)) return row;
    if (Date.now() > deadline) throw new Error(`outbox row never matched within ${timeoutMs} ms: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mail delivery over SMTP', () => {
  let t: TestApp;
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp({ smtpUrl: smtp.url });
    // Retries one second apart instead of the production backoff, so the retry test takes seconds.
    await t.boss!.updateQueue(QUEUES.mailDeliver, { retryDelay: 1, retryBackoff: false });
    await startMailWorker(
      t.boss!,
      { db: t.db, clock: t.clock, transport: createTransport(smtp.url), mailFrom: t.config.mailFrom, baseUrl: t.config.baseUrl },
      { pollingIntervalSeconds: 0.5 }, // pg-boss's minimum
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('delivers the verification e-mail of a sign-up in the user’s language, as HTML with a text part', async () => {
    const email = uniqueEmail();
    expect((await signUp(t, email, 'fr')).statusCode).toBe(200);
    const row = await lastMailTo(t, email);

    const mail = await smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe('Confirmez votre adresse e-mail');
    expect(mail.messageId).toBe(messageIdFor(row!.id, t.config.baseUrl));
    expect(mail.rcptTo).toEqual([email]);
    expect(mail.text).toContain('Bonjour Mia Rossi');
    expect(mail.text).toContain(`${t.config.baseUrl}/api/auth/verify-email?token=`);
    expect(mail.html).toContain('<a href="http://localhost:3000/api/auth/verify-email?token=');
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.headers.get('content-language')).toBe('fr');

    const sent = await waitForRow(t, row!.id, (r) => r.status === 'sent');
    expect(sent).toMatchObject({ attempts: 1, lastError: null });
    expect(sent.sentAt).toEqual(t.clock.now());
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('keeps a message pending while the SMTP server is down, and delivers it once it is back', async () => {
    const port = smtp.port;
    await smtp.stop();
    const email = uniqueEmail();
    expect((await signUp(t, email, 'de')).statusCode).toBe(200);
    const row = await lastMailTo(t, email);

    const failing = await waitForRow(t, row!.id, (r) => r.attempts >= 1);
    expect(failing.status).toBe('pending');
    expect(failing.lastError).toMatch(/ECONNREFUSED/);
    expect(failing.sentAt).toBeNull();

    smtp = await startSmtpReceiver({ port });
    const mail = await smtp.waitFor((m) => m.to.includes(email), 15_000);
    expect(mail.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail.messageId).toBe(messageIdFor(row!.id, t.config.baseUrl));

    const sent = await waitForRow(t, row!.id, (r) => r.status === 'sent');
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(sent.lastError).toBeNull();
  });

  it('marks a message failed once its retries are used up', async () => {
    await t.boss!.updateQueue(QUEUES.mailDeliver, { retryLimit: 1 });
    const port = smtp.port;
    await smtp.stop();
    try {
      const email = uniqueEmail();
      expect((await signUp(t, email, 'en')).statusCode).toBe(200);
      const row = await lastMailTo(t, email);
      const failed = await waitForRow(t, row!.id, (r) => r.status === 'failed');
      expect(failed.attempts).toBe(2);
      expect(failed.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      smtp = await startSmtpReceiver({ port });
      await t.boss!.updateQueue(QUEUES.mailDeliver, { retryLimit: 8 });
    }
  });
});

describe('mail without SMTP_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds the message in the outbox for administrators to read', async () => {
    const email = uniqueEmail();
    expect((await signUp(t, email, 'en')).statusCode).toBe(200);
    const row = await lastMailTo(t, email);
    expect(row).toMatchObject({ status: 'held', attempts: 0, subject: 'Confirm your e-mail address', sentAt: null });
  });
});
