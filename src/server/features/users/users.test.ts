import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, session, user } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, createUser, login, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const patch = (id: string, body: unknown) => call(t.app, { method: 'PATCH', url: `/api/admin/users/${id}`, cookie: admin.cookie, body });
const list = (query: string) => call(t.app, { url: `/api/admin/users?${query}`, cookie: admin.cookie });
const auditsOf = (id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, id)));
const userRow = async (id: string) => (await t.db.select().from(user).where(eq(user.id, id)))[0]!;

describe('listing users', () => {
  it('filters by organization, role and text, and pages through every user exactly once', async () => {
    const org = await createOrganization(t, 'Listed');
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createUser(t, { organizationId: org.id, name: `Member ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`organizationId=${org.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; organization: { id: string } }[]; nextCursor: string | null };
      for (const item of page.items) expect(item.organization).toEqual({ id: org.id, name: 'Listed' });
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(ids);

    const named = await createUser(t, { name: 'Zoë Findable', role: 'agent' });
    const byName = (await list('q=findable')).json();
    expect(byName.items.map((u: { id: string }) => u.id)).toEqual([named.id]);
    expect(byName.items[0]).toMatchObject({ role: 'agent', active: true, emailVerified: true, organization: null });
    const byEmail = (await list(`q=${encodeURIComponent(named.email.toUpperCase())}`)).json();
    expect(byEmail.items.map((u: { id: string }) => u.id)).toEqual([named.id]);
    const admins = (await list('role=admin')).json();
    expect(admins.items.map((u: { id: string }) => u.id)).toContain(admin.id);
    expect(admins.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
  });

  it('refuses a malformed cursor and bad filters', async () => {
    expect((await list('cursor=%25%25')).json().field).toBe('cursor');
    const res = await list(`cursor=${Buffer.from('2026-01-01T00:00:00Z|a b').toString('base64url')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('cursor');
    expect((await list('role=superuser')).json().field).toBe('role');
    expect((await list('limit=0')).json().field).toBe('limit');
  });
});

describe('changing role and organization', () => {
  it('moves a customer to another organization, and audits it', async () => {
    const [a, b] = [await createOrganization(t, 'A'), await createOrganization(t, 'B')];
    const u = await createUser(t, { organizationId: a.id });
    const res = await patch(u.id, { organizationId: b.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: u.id, organization: { id: b.id, name: 'B' } });
    const audits = await auditsOf(u.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'user.organization_changed', actorId: admin.id, details: { from: a.id, to: b.id } });
  });

  it('takes a promoted customer out of their organization', async () => {
    const org = await createOrganization(t);
    const u = await createUser(t, { organizationId: org.id });
    const res = await patch(u.id, { role: 'agent' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'agent', organization: null });
    const audits = await auditsOf(u.id);
    expect(audits.map((a) => a.action).sort()).toEqual(['user.organization_changed', 'user.role_changed']);
    expect(audits.find((a) => a.action === 'user.role_changed')?.details).toEqual({ from: 'customer', to: 'agent' });
    expect(audits.find((a) => a.action === 'user.organization_changed')?.details).toEqual({ from: org.id, to: null });
  });

  it('refuses an organization for staff, and an unknown organization, changing nothing', async () => {
    const org = await createOrganization(t);
    const agent = await createUser(t, { role: 'agent' });
    const staff = await patch(agent.id, { organizationId: org.id });
    expect(staff.statusCode).toBe(400);
    expect(staff.json()).toMatchObject({ code: 'user.staff_without_organization', field: 'organizationId' });
    const both = await patch(agent.id, { role: 'admin', organizationId: org.id });
    expect(both.json()).toMatchObject({ code: 'user.staff_without_organization', field: 'organizationId' });
    expect(await userRow(agent.id)).toMatchObject({ role: 'agent', organizationId: null });

    const customer = await createUser(t, { organizationId: org.id });
    const unknown = await patch(customer.id, { organizationId: randomUUID() });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'organization.not_found', field: 'organizationId' });
    expect((await userRow(customer.id)).organizationId).toBe(org.id);

    const badRole = await patch(customer.id, { role: 'root' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().field).toBe('role');
    expect(await auditsOf(agent.id)).toHaveLength(0);
    expect(await auditsOf(customer.id)).toHaveLength(0);

    const missing = await patch(randomUUID(), { role: 'agent' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('user.not_found');
  });

  it('does not let an administrator demote or deactivate themself', async () => {
    const demote = await patch(admin.id, { role: 'agent' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ code: 'user.cannot_change_self' });
    const deactivate = await patch(admin.id, { active: false });
    expect(deactivate.statusCode).toBe(409);
    expect(deactivate.json()).toMatchObject({ code: 'user.cannot_change_self', field: 'active' });
    expect(await userRow(admin.id)).toMatchObject({ role: 'admin', banned: false });
    expect((await call(t.app, { url: '/api/me', cookie: admin.cookie })).statusCode).toBe(200);
    expect(await auditsOf(admin.id)).toHaveLength(0);
  });
});

describe('deactivating and reactivating', () => {
  it('ends the sessions and refuses log-in, keeps the user, and reactivation restores log-in', async () => {
    const org = await createOrganization(t);
    const u = await createUser(t, { organizationId: org.id });
    const cookie = await login(t, u.email);
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(200);

    const res = await patch(u.id, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: u.id, active: false, organization: { id: org.id } });
    expect(await t.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(0);
    expect(await userRow(u.id)).toMatchObject({ banned: true, banReason: 'deactivated', organizationId: org.id });
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(401);

    const refused = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: u.email, password: u.password } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.banned_user');
    expect(await t.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(0);

    const [deactivated] = await auditsOf(u.id);
    expect(deactivated).toMatchObject({ action: 'user.deactivated', actorId: admin.id });

    const back = await patch(u.id, { active: true });
    expect(back.statusCode).toBe(200);
    expect(back.json().active).toBe(true);
    expect(await userRow(u.id)).toMatchObject({ banned: false, banReason: null });
    const again = await login(t, u.email);
    expect((await call(t.app, { url: '/api/me', cookie: again })).statusCode).toBe(200);
    expect((await auditsOf(u.id)).map((a) => a.action).sort()).toEqual(['user.deactivated', 'user.reactivated']);
  });
});
