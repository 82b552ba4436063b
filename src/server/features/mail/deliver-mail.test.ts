import { signedReplyAddress } from './reply-address.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, outbox } from '../../db/schema.ts';
import { call, createTestApp, lastMailTo, loginAs, randomIp, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../../../tests/support/smtp.ts';
import { createTransport, deliverMail, messageIdFor, retryDelayMs } from './deliver-mail.ts';
import { startMailWorker } from './deliver-mail.job.ts';
import { enqueueMail } from './enqueue-mail.ts';

type OutboxRow = typeof outbox.$inferSelect;

const MAX_ATTEMPTS = 3;

const signUp = (t: TestApp, email: string, language: string) =>
  call(t.app, {
    method: 'POST',
    url: '/api/auth/sign-up/email',
    body: { name: 'Mia Rossi', email, password: 'A-strong-password-1', language, callbackURL: '/verify-email/done' },
    headers: { 'x-forwarded-for': randomIp() },
  });

/** Polls the outbox rows until they match: the worker delivers asynchronously, over a real socket. */
async function waitForRows(t: TestApp, ids: string[], predicate: (row: OutboxRow) => boolean, timeoutMs = 15_000): Promise<OutboxRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await t.db.select().from(outbox).where(inArray(outbox.id, ids));
    if (rows.length === ids.length && rows.every(predicate)) return ids.map((id) => rows.find((r) => r.id === id)!);
    if (Date.now() > deadline) throw new Error(`outbox rows never matched within ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const waitForRow = async (t: TestApp, id: string, predicate: (row: OutboxRow) => boolean) => (await waitForRows(t, [id], predicate))[0]!;

describe('mail delivery over SMTP', () => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  let admin: Awaited<ReturnType<typeof loginAs>>;

  const resetPassword = (to: string) =>
    enqueueMail(t.db, t.ctx.mail, {
      to,
      language: 'en',
      template: 'reset-password',
      params: { name: 'Reader', url: `${t.config.baseUrl}/x` },
    }) as Promise<string>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp({ smtpUrl: smtp.url });
    admin = await loginAs(t, 'admin');
    await startMailWorker(
      t.boss!,
      {
        db: t.db,
        clock: t.clock,
        transport: createTransport(smtp.url, { timeoutSeconds: 5 }),
        mailFrom: t.config.mailFrom,
        baseUrl: t.config.baseUrl,
        maxAttempts: MAX_ATTEMPTS,
      },
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
    // No request: replies go to the plain reply address, and no thread header.
    expect(mail.raw).toMatch(/^Reply-To: no-reply@guichet\.localhost\r?$/m);
    expect(mail.headers.get('in-reply-to')).toBeUndefined();

    const sent = await waitForRow(t, row!.id, (r) => r.status === 'sent');
    expect(sent).toMatchObject({ attempts: 1, lastError: null, claimedUntil: null });
    expect(sent.sentAt).toEqual(t.clock.now());
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('sends a request’s mail with a Reply-To tagged with its key, signed for its recipient, the thread headers of the request, and marked automatic', async () => {
    const ticketId = randomUUID();
    const to = uniqueEmail();
    const id = await enqueueMail(t.db, t.ctx.mail, {
      to,
      language: 'en',
      template: 'ticket-status',
      params: { key: 'SUP-7', summary: 'Printer', url: `${t.config.baseUrl}/requests/SUP-7`, status: 'Resolved' },
      ticketId,
    });
    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.subject).toBe('[SUP-7] Resolved: Printer');
    expect(mail.messageId).toBe(messageIdFor(id!, t.config.baseUrl));
    expect(mail.raw).toMatch(/^Reply-To: no-reply\+SUP-7\.[a-z2-7]{12}@guichet\.localhost\r?$/m);
    expect(mail.raw).toContain(`Reply-To: ${signedReplyAddress('no-reply@guichet.localhost', t.config.authSecret, 'SUP-7', to)}`);
    // Written by a program (RFC 3834): out-of-office robots do not answer it.
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.headers.get('in-reply-to')).toBe(`<request-${ticketId}@localhost>`);
    expect([mail.headers.get('references')].flat()).toEqual([`<request-${ticketId}@localhost>`]);
  });

  it('sends nothing for a transaction that rolls back: the row and its delivery job go with it', async () => {
    const [undone, kept] = [uniqueEmail(), uniqueEmail()];
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueMail(tx, t.ctx.mail, { to: undone, language: 'en', template: 'reset-password', params: { name: 'Reader', url: `${t.config.baseUrl}/x` } });
        tx.rollback();
      }),
    ).rejects.toThrow();
    // A message of a committed transaction, written after it, arrives; the rolled-back one never does.
    await resetPassword(kept);
    await smtp.waitFor((m) => m.to.includes(kept));
    expect(smtp.messages.filter((m) => m.to.includes(undone))).toEqual([]);
    expect(await lastMailTo(t, undone)).toBeUndefined();
  });

  it('retries with exponential backoff while the SMTP server is down, and delivers every message once it is back', async () => {
    const port = smtp.port;
    await smtp.stop();
    const emails = Array.from({ length: 5 }, () => uniqueEmail());
    const ids = await Promise.all(emails.map((to) => resetPassword(to)));
    const start = t.clock.now().getTime();

    const first = await waitForRows(t, ids, (r) => r.attempts === 1);
    for (const row of first) {
      expect(row.status).toBe('pending');
      expect(row.lastError).toMatch(/ECONNREFUSED/);
      expect(row.nextAttemptAt.getTime()).toBe(start + 30_000);
      expect(row.claimedUntil).toBeNull();
    }
    // Not due yet: nothing is tried again before the backoff has passed.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await t.db.select().from(outbox).where(inArray(outbox.id, ids))).every((r) => r.attempts === 1)).toBe(true);

    t.clock.advance(30_000);
    const second = await waitForRows(t, ids, (r) => r.attempts === 2);
    for (const row of second) expect(row.nextAttemptAt.getTime()).toBe(start + 30_000 + 60_000);
    expect(retryDelayMs(2)).toBe(60_000);

    smtp = await startSmtpReceiver({ port });
    t.clock.advance(60_000);
    const sent = await waitForRows(t, ids, (r) => r.status === 'sent');
    for (const [i, row] of sent.entries()) {
      expect(row).toMatchObject({ attempts: 3, lastError: null });
      const received = smtp.messages.filter((m) => m.to.includes(emails[i]!));
      expect(received.map((m) => m.messageId)).toEqual([messageIdFor(row.id, t.config.baseUrl)]);
    }
  });

  it('moves a message to the dead letter once its tries are used up; an administrator sees it and retries it (audited)', async () => {
    const port = smtp.port;
    await smtp.stop();
    const to = uniqueEmail();
    const id = await resetPassword(to);
    await waitForRow(t, id, (r) => r.attempts === 1);
    t.clock.advance(retryDelayMs(1));
    await waitForRow(t, id, (r) => r.attempts === 2);
    t.clock.advance(retryDelayMs(2));
    const dead = await waitForRow(t, id, (r) => r.status === 'failed');
    expect(dead.attempts).toBe(MAX_ATTEMPTS);
    expect(dead.lastError).toMatch(/ECONNREFUSED/);

    const list = await call(t.app, { url: '/api/admin/outbox?status=failed', cookie: admin.cookie });
    expect(list.json().items.find((m: { id: string }) => m.id === id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    // Time passing does not revive it.
    t.clock.advance(24 * 3_600_000);
    expect(
      await deliverMail({ db: t.db, clock: t.clock, transport: createTransport(smtp.url), mailFrom: t.config.mailFrom, baseUrl: t.config.baseUrl }, id),
    ).toBe('skipped');

    smtp = await startSmtpReceiver({ port });
    const retry = await call(t.app, { method: 'POST', url: `/api/admin/outbox/${id}/retry`, cookie: admin.cookie });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id, status: 'pending', attempts: 0, nextAttemptAt: t.clock.now().toISOString() });
    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.messageId).toBe(messageIdFor(id, t.config.baseUrl));
    expect(await waitForRow(t, id, (r) => r.status === 'sent')).toMatchObject({ attempts: 1, lastError: null });

    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'outbox.retried'), eq(auditLog.targetId, id)));
    expect(audit).toMatchObject({ actorId: admin.id, targetType: 'outbox', details: { to, attempts: MAX_ATTEMPTS } });

    const again = await call(t.app, { method: 'POST', url: `/api/admin/outbox/${id}/retry`, cookie: admin.cookie });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('outbox.not_dead');
  });

  it('sends a message held while no SMTP server was configured, once one is, when an administrator asks (audited)', async () => {
    const to = uniqueEmail();
    // Written by an earlier run without SMTP_URL.
    const [held] = await t.db
      .insert(outbox)
      .values({
        to,
        language: 'en',
        template: 'reset-password',
        subject: 'Held subject',
        text: 'Held text',
        html: '<p>Held text</p>',
        status: 'held',
        attempts: 0,
        createdAt: t.clock.now(),
      })
      .returning();
    const res = await call(t.app, { method: 'POST', url: `/api/admin/outbox/${held!.id}/retry`, cookie: admin.cookie });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: held!.id, status: 'pending', attempts: 0 });
    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.messageId).toBe(messageIdFor(held!.id, t.config.baseUrl));
    expect(await waitForRow(t, held!.id, (r) => r.status === 'sent')).toMatchObject({ attempts: 1 });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'outbox.retried'), eq(auditLog.targetId, held!.id)));
    expect(audit).toMatchObject({ actorId: admin.id, details: { to, status: 'held', attempts: 0 } });
    // Sent: not again.
    expect((await call(t.app, { method: 'POST', url: `/api/admin/outbox/${held!.id}/retry`, cookie: admin.cookie })).json().code).toBe('outbox.not_dead');
  });

  it('lets one worker only send a message: a second claim while the first holds it is skipped', async () => {
    const to = uniqueEmail();
    // A worker that hangs: its send never ends, so its claim stays.
    const hanging = { sendMail: () => new Promise(() => {}) } as unknown as ReturnType<typeof createTransport>;
    const [row] = await t.db
      .insert(outbox)
      .values({
        to,
        language: 'en',
        template: 'reset-password',
        subject: 's',
        text: 't',
        html: 'h',
        status: 'pending',
        createdAt: t.clock.now(),
        nextAttemptAt: t.clock.now(),
      })
      .returning();
    const deps = { db: t.db, clock: t.clock, transport: hanging, mailFrom: t.config.mailFrom, baseUrl: t.config.baseUrl, sendTimeoutSeconds: 10 };
    void deliverMail(deps, row!.id);
    const claimed = await waitForRow(t, row!.id, (r) => r.claimedUntil !== null);
    expect(claimed.claimedUntil!.getTime()).toBe(t.clock.now().getTime() + 30_000);
    expect(await deliverMail({ ...deps, transport: createTransport(smtp.url) }, row!.id)).toBe('skipped');

    // The hanging worker "crashed": once its claim runs out, the sweep sends the message, with its Message-ID.
    t.clock.advance(30_000);
    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.messageId).toBe(messageIdFor(row!.id, t.config.baseUrl));
    await waitForRow(t, row!.id, (r) => r.status === 'sent');
    expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });
});

describe('mail without SMTP_URL', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t, 'admin');
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

  it('refuses to send a dead or held message when no SMTP server is configured', async () => {
    for (const status of ['failed', 'held'] as const) {
      const [row] = await t.db
        .insert(outbox)
        .values({
          to: uniqueEmail(),
          language: 'en',
          template: 'reset-password',
          subject: 's',
          text: 't',
          html: 'h',
          status,
          attempts: status === 'failed' ? 10 : 0,
          createdAt: t.clock.now(),
        })
        .returning();
      const res = await call(t.app, { method: 'POST', url: `/api/admin/outbox/${row!.id}/retry`, cookie: admin.cookie });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('outbox.no_smtp');
      expect((await t.db.select().from(outbox).where(eq(outbox.id, row!.id)))[0]!.status).toBe(status);
    }
  });
});
