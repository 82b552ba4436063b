import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { call, createTestApp, lastMailTo, loginAs, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { enqueueMail } from './enqueue-mail.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const get = (url: string) => call(t.app, { url, cookie: admin.cookie });
const hold = (to: string) =>
  enqueueMail(t.db, t.ctx.mail, {
    to,
    language: 'en',
    template: 'reset-password',
    params: { name: 'Reader', url: 'http://localhost:3000/x' },
  }) as Promise<string>;

describe('the outbox', () => {
  it('lists messages with their text, and shows one with its HTML', async () => {
    const to = uniqueEmail();
    const id = await hold(to);
    const res = await get('/api/admin/outbox?status=held');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((m: { id: string }) => m.id === id);
    expect(item).toEqual({
      id,
      to,
      subject: 'Reset your password',
      template: 'reset-password',
      language: 'en',
      status: 'held',
      attempts: 0,
      lastError: null,
      createdAt: t.clock.now().toISOString(),
      sentAt: null,
      nextAttemptAt: null,
      text: (await lastMailTo(t, to))!.text,
    });
    expect(item).not.toHaveProperty('html');
    expect((await get('/api/admin/outbox?status=sent')).json().items.find((m: { id: string }) => m.id === id)).toBeUndefined();

    const one = await get(`/api/admin/outbox/${id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, to, status: 'held' });
    expect(one.json().html).toContain('<a href="http://localhost:3000/x"');

    const missing = await get(`/api/admin/outbox/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('outbox_message.not_found');
  });

  it('pages through every message exactly once', async () => {
    for (let i = 0; i < 5; i++) await hold(uniqueEmail());
    // Rows stamped with microseconds, as a database default would.
    await t.db.execute(
      sql`insert into outbox ("to", language, template, subject, text, html, status, created_at)
          select 'micro-' || g || '@example.test', 'en', 'reset-password', 's', 't', 'h', 'held', now() from generate_series(1, 3) g`,
    );
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'micro-1@example.test'))).toHaveLength(1);
    const total = (await t.db.select({ id: outbox.id }).from(outbox)).length;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/admin/outbox?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a malformed cursor or an unknown status', async () => {
    const cursor = await get('/api/admin/outbox?cursor=abc');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().field).toBe('cursor');
    const status = await get('/api/admin/outbox?status=lost');
    expect(status.statusCode).toBe(400);
    expect(status.json().field).toBe('status');
  });
});

describe('a held e-mail (no SMTP_URL)', () => {
  it('is printed once its transaction has committed, and never when it rolls back', async () => {
    const printed: string[] = [];
    const before = t.ctx.mail.printHeld;
    t.ctx.mail.printHeld = (text) => void printed.push(text);
    try {
      const [kept, undone, savepoint] = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
      await t.db.transaction(async (tx) => {
        await enqueueMail(tx, t.ctx.mail, { to: kept, language: 'en', template: 'reset-password', params: { name: 'Reader', url: 'http://localhost:3000/x' } });
        // A savepoint that rolls back takes its message with it; the outer transaction commits.
        await tx
          .transaction(async (inner) => {
            await enqueueMail(inner, t.ctx.mail, {
              to: savepoint,
              language: 'en',
              template: 'reset-password',
              params: { name: 'Reader', url: 'http://localhost:3000/y' },
            });
            inner.rollback();
          })
          .catch(() => {});
        expect(printed, 'nothing printed before the commit').toEqual([]);
      });
      expect(printed).toHaveLength(1);
      expect(printed[0]).toContain(`To: ${kept}\nSubject: Reset your password\n`);

      await expect(
        t.db.transaction(async (tx) => {
          await enqueueMail(tx, t.ctx.mail, {
            to: undone,
            language: 'en',
            template: 'reset-password',
            params: { name: 'Reader', url: 'http://localhost:3000/z' },
          });
          tx.rollback();
        }),
      ).rejects.toThrow();
      expect(printed).toHaveLength(1);
      expect(await lastMailTo(t, undone)).toBeUndefined();
      expect(await lastMailTo(t, savepoint)).toBeUndefined();

      // Outside a transaction the row has committed when it is written: printed at once.
      await hold(undone);
      expect(printed).toHaveLength(2);
      expect(printed[1]).toContain(`To: ${undone}\n`);
    } finally {
      t.ctx.mail.printHeld = before;
    }
  });
});
