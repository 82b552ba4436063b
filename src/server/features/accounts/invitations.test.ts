import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { account, auditLog, invitation, outbox, user } from '../../db/schema.ts';
import {
  call,
  createOrganization,
  createTestApp,
  createUser,
  lastMailTo,
  linkIn,
  login,
  loginAs,
  uniqueEmail,
  type TestApp,
} from '../../../../tests/support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
  await t.db.update(user).set({ name: 'Ada Admin' }).where(eq(user.id, admin.id));
});
afterAll(async () => {
  await t.close();
});

const invite = (body: Record<string, unknown>) => call(t.app, { method: 'POST', url: '/api/admin/invitations', cookie: admin.cookie, body });
const preview = (token: string) => call(t.app, { url: `/api/invitations/${encodeURIComponent(token)}` });
const accept = (body: Record<string, unknown>) => call(t.app, { method: 'POST', url: '/api/invitations/accept', body });
const userByEmail = async (email: string) => (await t.db.select().from(user).where(eq(user.email, email)))[0];

/** The token of the last invitation mailed to an address, read from the link in the e-mail. */
async function tokenMailedTo(email: string) {
  const mail = await lastMailTo(t, email);
  expect(mail?.template).toBe('invitation');
  const link = new URL(linkIn(mail!.text));
  expect(`${link.origin}${link.pathname}`).toBe(`${t.config.baseUrl}/invitation`);
  return link.searchParams.get('token')!;
}

describe('inviting a customer', () => {
  it('mails a link in their language; preview, acceptance and log-in put them in the organization', async () => {
    const org = await createOrganization(t, 'Bergbahn AG');
    const email = uniqueEmail(org.domains[0]);
    const res = await invite({ email: email.toUpperCase(), name: 'Jonas Frei', organizationId: org.id, language: 'de' });
    expect(res.statusCode).toBe(201);
    const now = t.clock.now();
    expect(res.json()).toMatchObject({
      email,
      role: 'customer',
      organization: { id: org.id, name: 'Bergbahn AG' },
      acceptedAt: null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 7 * 24 * 3600 * 1000).toISOString(),
    });

    const invited = await userByEmail(email);
    expect(invited).toMatchObject({ name: 'Jonas Frei', emailVerified: false, role: 'customer', organizationId: org.id, language: 'de' });
    const mail = await lastMailTo(t, email);
    expect(mail?.subject).toBe('Einladung zum Customer-Services-Portal');
    expect(mail?.text).toContain('Ada Admin lädt Sie');
    expect(mail?.text).toContain('Bergbahn AG');
    const token = await tokenMailedTo(email);
    const [stored] = await t.db.select().from(invitation).where(eq(invitation.id, res.json().id));
    expect(stored?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(stored?.invitedById).toBe(admin.id);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.invited'), eq(auditLog.targetId, invited!.id)));
    expect(audit).toMatchObject({
      actorId: admin.id,
      targetType: 'user',
      details: { email, role: 'customer', organizationId: org.id, invitationId: stored!.id },
    });

    // Not accepted yet: no log-in.
    const early = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password: 'Chosen-password-42' } });
    expect(early.statusCode).toBe(401);

    const seen = await preview(token);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ email, name: 'Jonas Frei', organization: { id: org.id, name: 'Bergbahn AG' }, role: 'customer' });

    const accepted = await accept({ token, name: 'Jonas P. Frei', password: 'Chosen-password-42' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ status: 'accepted', email });

    const cookie = await login(t, email, 'Chosen-password-42');
    const me = await call(t.app, { url: '/api/me', cookie });
    expect(me.json()).toMatchObject({ email, name: 'Jonas P. Frei', role: 'customer', language: 'de', organization: { id: org.id, name: 'Bergbahn AG' } });
    const list = await call(t.app, { url: '/api/admin/invitations?limit=100', cookie: admin.cookie });
    expect(list.json().items.find((i: { id: string }) => i.id === stored!.id)?.acceptedAt).toBe(t.clock.now().toISOString());

    // The link works once.
    const reused = await accept({ token, name: 'Intruder', password: 'Another-password-42' });
    expect(reused.statusCode).toBe(410);
    expect(reused.json()).toMatchObject({ code: 'invitation.used', field: 'token' });
    expect((await preview(token)).json().code).toBe('invitation.used');
    expect((await userByEmail(email))?.name).toBe('Jonas P. Frei');
  });

  it('invites staff without an organization, in French by default, named after the address', async () => {
    const email = uniqueEmail();
    const res = await invite({ email, role: 'agent' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ role: 'agent', organization: null });
    const mail = await lastMailTo(t, email);
    expect(mail?.subject).toBe('Invitation au portail Customer Services');
    const token = await tokenMailedTo(email);
    expect((await preview(token)).json()).toEqual({ email, name: email.split('@')[0], organization: null, role: 'agent' });
    expect((await accept({ token, name: 'Agent Smith', password: 'Chosen-password-42' })).statusCode).toBe(200);
    const cookie = await login(t, email, 'Chosen-password-42');
    expect((await call(t.app, { url: '/api/me', cookie })).json()).toMatchObject({ role: 'agent', language: 'fr', organization: null });
  });

  it('refuses bad invitations naming the field, and writes nothing', async () => {
    const org = await createOrganization(t);
    const verified = await createUser(t, { organizationId: org.id });
    const outboxBefore = (await t.db.select({ id: outbox.id }).from(outbox)).length;
    const invitationsBefore = (await t.db.select({ id: invitation.id }).from(invitation)).length;
    const cases: [Record<string, unknown>, number, string | undefined, string][] = [
      [{ email: uniqueEmail() }, 400, 'invitation.organization_required', 'organizationId'],
      [{ email: uniqueEmail(), role: 'customer', organizationId: null }, 400, 'invitation.organization_required', 'organizationId'],
      [{ email: uniqueEmail(), role: 'admin', organizationId: org.id }, 400, 'user.staff_without_organization', 'organizationId'],
      [{ email: uniqueEmail(), organizationId: randomUUID() }, 400, 'organization.not_found', 'organizationId'],
      [{ email: verified.email, organizationId: org.id }, 409, 'invitation.user_exists', 'email'],
      [{ email: 'nope', organizationId: org.id }, 400, undefined, 'email'],
      [{ email: uniqueEmail(), organizationId: org.id, role: 'owner' }, 400, undefined, 'role'],
      [{ email: uniqueEmail(), organizationId: org.id, language: 'it' }, 400, undefined, 'language'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await invite(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().field).toBe(field);
      if (code) expect(res.json().code).toBe(code);
      if (typeof body.email === 'string' && body.email !== verified.email) expect(await userByEmail(body.email)).toBeUndefined();
    }
    expect(await t.db.select({ id: outbox.id }).from(outbox)).toHaveLength(outboxBefore);
    expect(await t.db.select({ id: invitation.id }).from(invitation)).toHaveLength(invitationsBefore);
  });

  it('re-invites someone who never accepted: same user, and only the newest link works', async () => {
    const [first, second] = [await createOrganization(t, 'First'), await createOrganization(t, 'Second')];
    const email = uniqueEmail();
    expect((await invite({ email, organizationId: first.id })).statusCode).toBe(201);
    const oldToken = await tokenMailedTo(email);
    const { id: userId } = (await userByEmail(email))!;
    t.clock.advance(1000);
    expect((await invite({ email, organizationId: second.id, language: 'en' })).statusCode).toBe(201);
    const newToken = await tokenMailedTo(email);
    expect(newToken).not.toBe(oldToken);
    expect(await t.db.select().from(user).where(eq(user.email, email))).toHaveLength(1);
    expect(await userByEmail(email)).toMatchObject({ id: userId, organizationId: second.id, language: 'en' });

    expect((await preview(oldToken)).json()).toMatchObject({ code: 'invitation.expired' });
    expect((await preview(newToken)).json()).toMatchObject({ organization: { id: second.id, name: 'Second' } });
  });

  it('lets only one of two simultaneous acceptances through', async () => {
    const org = await createOrganization(t);
    const email = uniqueEmail();
    await invite({ email, organizationId: org.id });
    const token = await tokenMailedTo(email);
    const results = await Promise.all([
      accept({ token, name: 'One', password: 'Chosen-password-1' }),
      accept({ token, name: 'Two', password: 'Chosen-password-2' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410]);
    const { id } = (await userByEmail(email))!;
    expect(await t.db.select().from(account).where(eq(account.userId, id))).toHaveLength(1);
  });
});

describe('refused invitation links', () => {
  it('refuses an unknown token', async () => {
    const res = await preview('no-such-token');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation.not_found', field: 'token' });
    const acc = await accept({ token: 'no-such-token', name: 'X', password: 'Chosen-password-42' });
    expect(acc.statusCode).toBe(404);
    expect(acc.json()).toMatchObject({ code: 'invitation.not_found', field: 'token' });
  });

  it('refuses a weak password or a missing name, and writes nothing', async () => {
    const org = await createOrganization(t);
    const email = uniqueEmail();
    await invite({ email, organizationId: org.id });
    const token = await tokenMailedTo(email);
    for (const [body, field] of [
      [{ token, name: 'Weak', password: 'short' }, 'password'],
      [{ token, name: '', password: 'Chosen-password-42' }, 'name'],
      [{ token, name: 'X', password: 'Chosen-password-42', role: 'admin' }, 'role'],
    ] as const) {
      const res = await accept(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe(field);
    }
    const row = (await userByEmail(email))!;
    expect(row.emailVerified).toBe(false);
    expect(await t.db.select().from(account).where(eq(account.userId, row.id))).toHaveLength(0);
    expect((await t.db.select().from(invitation).where(eq(invitation.userId, row.id)))[0]?.acceptedAt).toBeNull();
    expect((await preview(token)).statusCode).toBe(200);
  });

  it('refuses a link older than seven days, and writes nothing', async () => {
    const org = await createOrganization(t);
    const email = uniqueEmail();
    await invite({ email, organizationId: org.id });
    const token = await tokenMailedTo(email);
    const start = t.clock.now();
    t.clock.advance(8 * 24 * 3600 * 1000);
    try {
      const res = await preview(token);
      expect(res.statusCode).toBe(410);
      expect(res.json()).toMatchObject({ code: 'invitation.expired', field: 'token' });
      const acc = await accept({ token, name: 'Late', password: 'Chosen-password-42' });
      expect(acc.statusCode).toBe(410);
      expect(acc.json()).toMatchObject({ code: 'invitation.expired', field: 'token' });
      const row = (await userByEmail(email))!;
      expect(row.emailVerified).toBe(false);
      expect(await t.db.select().from(account).where(eq(account.userId, row.id))).toHaveLength(0);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('listing invitations', () => {
  it('pages through every invitation exactly once, and refuses a malformed cursor', async () => {
    const org = await createOrganization(t);
    for (let i = 0; i < 4; i++) await invite({ email: uniqueEmail(), organizationId: org.id });
    const total = (await t.db.select({ id: invitation.id }).from(invitation)).length;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(t.app, { url: `/api/admin/invitations?limit=3${cursor ? `&cursor=${cursor}` : ''}`, cookie: admin.cookie });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 3));

    const bad = await call(t.app, { url: '/api/admin/invitations?cursor=bm9wZQ', cookie: admin.cookie });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('cursor');
  });
});
