import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { user } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { recordAudit } from './record-audit.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
  await t.db.update(user).set({ name: 'Audrey Admin' }).where(eq(user.id, admin.id));
});
afterAll(async () => {
  await t.close();
});

const get = (query: string) => call(t.app, { url: `/api/admin/audit?${query}`, cookie: admin.cookie });

describe('the audit log', () => {
  it('shows administrative changes, newest first, with who made them', async () => {
    const created = await call(t.app, { method: 'POST', url: '/api/admin/organizations', cookie: admin.cookie, body: { name: 'Audited', domains: [] } });
    const id = created.json().id as string;
    t.clock.advance(60_000);
    await call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${id}`, cookie: admin.cookie, body: { name: 'Audited twice' } });

    const res = await get(`targetType=organization&targetId=${id}`);
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(2);
    const actor = { id: admin.id, name: 'Audrey Admin', email: admin.email };
    expect(items[0]).toMatchObject({ action: 'organization.updated', actor, targetType: 'organization', targetId: id, at: t.clock.now().toISOString() });
    expect(items[0].details).toEqual({ from: { name: 'Audited' }, to: { name: 'Audited twice' } });
    expect(items[1]).toMatchObject({ action: 'organization.created', actor, details: { name: 'Audited', domains: [] } });
  });

  it('shows entries without an actor, and pages through every entry exactly once', async () => {
    const targetId = randomUUID();
    const at = t.clock.now();
    // Same instant for all of them: the id breaks the tie.
    for (let i = 0; i < 7; i++) {
      await recordAudit(t.db, { at, actorId: i % 2 ? admin.id : null, action: 'user.reactivated', targetType: 'user', targetId, details: { i } });
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`targetId=${targetId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { actor: unknown; details: { i: number } }[]; nextCursor: string | null };
      for (const item of page.items) expect(item.actor === null).toBe(item.details.i % 2 === 0);
      seen.push(...page.items.map((e) => e.details.i));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a malformed cursor and unknown parameters', async () => {
    const res = await get(`cursor=${Buffer.from(`2026-01-05T08:00:00Z|${'x'.repeat(5)}`).toString('base64url')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('cursor');
    const unknown = await get('actor=me');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('actor');
  });
});
