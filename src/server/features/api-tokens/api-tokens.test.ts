import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { account, apiToken, auditLog, outbox, securitySettings, session, ticket, user } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, createUser, login, loginAs, randomIp, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

/** A request as an integration sends it: a bearer token, no Origin, no cookie. */
const withToken = (
  app: TestApp['app'],
  secret: string,
  opts: { method?: InjectOptions['method']; url: string; body?: unknown; headers?: Record<string, string> },
) =>
  app.inject({
    method: opts.method ?? 'GET',
    url: opts.url,
    headers: { authorization: `Bearer ${secret}`, ...opts.headers },
    ...(opts.body !== undefined ? { payload: opts.body as InjectOptions['payload'] } : {}),
  });

async function createToken(app: TestApp['app'], cookie: string, body: Record<string, unknown> = {}) {
  const res = await call(app, {
    method: 'POST',
    url: '/api/me/api-tokens',
    cookie,
    body: { name: 'ERP', scopes: ['requests:read', 'requests:write'], ...body },
  });
  if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.statusCode} ${res.body}`);
  return res.json() as { secret: string; token: { id: string; prefix: string; expiresAt: string | null; scopes: string[] } };
}

const newRequest = { summary: 'Sent by the ERP', description: 'Created with an API token.', criticality: 'low' };

describe('personal tokens', () => {
  it('shows the secret once, keeps only its hash, lists it without the secret, and audits creation and revocation', async () => {
    const me = await loginAs(t, 'customer', (await createOrganization(t)).id);
    const created = await createToken(t.app, me.cookie, { name: 'Nightly sync' });
    expect(created.secret).toMatch(/^gch_[A-Za-z0-9_-]{43}$/);
    expect(created.token.prefix).toBe(created.secret.slice(0, 12));
    // 90 days by default.
    expect(new Date(created.token.expiresAt!).getTime() - t.clock.now().getTime()).toBe(90 * 24 * 3600 * 1000);
    const [row] = await t.db.select().from(apiToken).where(eq(apiToken.id, created.token.id));
    expect(row!.secretHash).toBe(createHash('sha256').update(created.secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(12));

    const list = await call(t.app, { url: '/api/me/api-tokens', cookie: me.cookie });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: created.token.id,
        name: 'Nightly sync',
        prefix: created.token.prefix,
        status: 'active',
        lastUsedAt: null,
        kind: 'personal',
      }),
    ]);
    expect(list.body).not.toContain(created.secret);

    const never = await createToken(t.app, me.cookie, { expiresInDays: null });
    expect(never.token.expiresAt).toBeNull();

    const revoked = await call(t.app, { method: 'DELETE', url: `/api/me/api-tokens/${created.token.id}`, cookie: me.cookie });
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedAt: t.clock.now().toISOString() });
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'api_token'), eq(auditLog.targetId, created.token.id)));
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ['api_token.created', me.id],
      ['api_token.revoked', me.id],
    ]);
  });

  it('refuses bad input naming the field, and the admin scope to anyone but an administrator', async () => {
    const me = await loginAs(t, 'agent');
    const post = (body: unknown) => call(t.app, { method: 'POST', url: '/api/me/api-tokens', cookie: me.cookie, body });
    expect((await post({ name: '', scopes: ['requests:read'] })).json().field).toBe('name');
    expect((await post({ name: 'x', scopes: [] })).json().field).toBe('scopes');
    expect((await post({ name: 'x', scopes: ['everything'] })).json().field).toMatch(/^scopes/);
    expect((await post({ name: 'x', scopes: ['requests:read'], expiresInDays: 7 })).json().field).toBe('expiresInDays');
    const adminScope = await post({ name: 'x', scopes: ['admin'] });
    expect(adminScope.statusCode).toBe(400);
    expect(adminScope.json()).toMatchObject({ code: 'api_token.scope_not_allowed', field: 'scopes' });
  });

  it('lets nobody revoke or see another person’s token', async () => {
    const a = await loginAs(t, 'customer', (await createOrganization(t)).id);
    const b = await loginAs(t, 'customer', (await createOrganization(t)).id);
    const token = await createToken(t.app, a.cookie);
    const res = await call(t.app, { method: 'DELETE', url: `/api/me/api-tokens/${token.token.id}`, cookie: b.cookie });
    expect(res.statusCode).toBe(404);
    expect((await call(t.app, { url: '/api/me/api-tokens', cookie: b.cookie })).json().items).toEqual([]);
    expect((await call(t.app, { url: '/api/admin/api-tokens', cookie: b.cookie })).statusCode).toBe(403);
    expect((await withToken(t.app, token.secret, { url: '/api/requests' })).statusCode).toBe(200);
  });
});

describe('using a token', () => {
  it('creates and reads a request with no Origin header, as its owner, and records the last use', async () => {
    const c = await customerOrg(t);
    const { secret, token } = await createToken(t.app, c.reporter.cookie);
    const created = await withToken(t.app, secret, { method: 'POST', url: '/api/requests', body: { ...newRequest, requestTypeId: ids.assistanceId } });
    expect(created.statusCode).toBe(201);
    const [row] = await t.db.select().from(ticket).where(eq(ticket.id, created.json().id));
    expect(row!.reporterId).toBe(c.reporter.id);
    const read = await withToken(t.app, secret, { url: `/api/requests/${created.json().key}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().summary).toBe('Sent by the ERP');
    const [used] = await t.db.select().from(apiToken).where(eq(apiToken.id, token.id));
    expect(used!.lastUsedAt).toEqual(t.clock.now());
  });

  it('refuses a request without a token, and malformed or unknown tokens with auth.token_invalid; leaves other schemes to the session', async () => {
    const noToken = await t.app.inject({ method: 'GET', url: '/api/requests' });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().code).toBe('auth.unauthenticated');
    for (const authorization of [
      'Bearer nonsense',
      `Bearer gch_${'A'.repeat(43)}`,
      `bearer  gch_${'A'.repeat(43)}`,
      'Bearer',
      `Bearer gch_${'A'.repeat(43)} extra`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/requests', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().code, authorization).toBe('auth.token_invalid');
    }
    // Another scheme (the Basic credentials of a password-protected proxy) is no token: the session decides.
    const basic = { authorization: 'Basic dXNlcjpwYXNz' };
    expect((await t.app.inject({ method: 'GET', url: '/api/requests', headers: basic })).json().code).toBe('auth.unauthenticated');
    const me = await loginAs(t, 'customer', (await createOrganization(t)).id);
    expect((await t.app.inject({ method: 'GET', url: '/api/requests', headers: { ...basic, cookie: me.cookie } })).statusCode).toBe(200);
  });

  it('refuses an expired token once the clock passes its end, and a revoked one at once', async () => {
    const c = await customerOrg(t);
    const expiring = await createToken(t.app, c.reporter.cookie, { expiresInDays: 30 });
    const revoked = await createToken(t.app, c.reporter.cookie, { expiresInDays: null });
    expect((await withToken(t.app, expiring.secret, { url: '/api/requests' })).statusCode).toBe(200);
    await call(t.app, { method: 'DELETE', url: `/api/me/api-tokens/${revoked.token.id}`, cookie: c.reporter.cookie });
    const res = await withToken(t.app, revoked.secret, { url: '/api/requests' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_revoked');

    t.clock.advance(30 * 24 * 3600 * 1000);
    const expired = await withToken(t.app, expiring.secret, { url: '/api/requests' });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('auth.token_expired');
    const listed = (await call(t.app, { url: '/api/me/api-tokens?status=expired', cookie: await login(t, c.reporter.email) })).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([expiring.token.id]);
  });

  it('refuses the token of a deactivated owner, and takes it back when they are reactivated', async () => {
    const c = await customerOrg(t);
    const { secret } = await createToken(t.app, c.reporter.cookie);
    const deactivate = (active: boolean) => call(t.app, { method: 'PATCH', url: `/api/admin/users/${c.reporter.id}`, cookie: admin.cookie, body: { active } });
    expect((await deactivate(false)).statusCode).toBe(200);
    const res = await withToken(t.app, secret, { url: '/api/requests' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_owner_inactive');
    await deactivate(true);
    expect((await withToken(t.app, secret, { url: '/api/requests' })).statusCode).toBe(200);
  });

  it('needs requests:read to read, requests:write to change, and admin for the administration', async () => {
    const c = await customerOrg(t);
    const readOnly = await createToken(t.app, c.reporter.cookie, { scopes: ['requests:read'] });
    const writeOnly = await createToken(t.app, c.reporter.cookie, { scopes: ['requests:write'] });
    const write = await withToken(t.app, readOnly.secret, { method: 'POST', url: '/api/requests', body: { ...newRequest, requestTypeId: ids.assistanceId } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 'auth.token_scope', field: 'scopes' });
    expect(write.json().message).toContain('requests:write');
    const read = await withToken(t.app, writeOnly.secret, { url: '/api/requests' });
    expect(read.statusCode).toBe(403);
    expect(read.json().message).toContain('requests:read');
    expect(
      (await withToken(t.app, writeOnly.secret, { method: 'POST', url: '/api/requests', body: { ...newRequest, requestTypeId: ids.assistanceId } })).statusCode,
    ).toBe(201);

    const boss = await loginAs(t, 'admin');
    const noAdmin = await createToken(t.app, boss.cookie, { scopes: ['requests:read', 'requests:write'] });
    const adminRoute = await withToken(t.app, noAdmin.secret, { url: '/api/admin/users' });
    expect(adminRoute.statusCode).toBe(403);
    expect(adminRoute.json().code).toBe('auth.token_scope');
    expect(adminRoute.json().message).toContain('admin');
    const withAdmin = await createToken(t.app, boss.cookie, { scopes: ['admin'] });
    expect((await withToken(t.app, withAdmin.secret, { url: '/api/admin/users' })).statusCode).toBe(200);
    // The admin scope alone reads no request.
    expect((await withToken(t.app, withAdmin.secret, { url: '/api/requests' })).json().code).toBe('auth.token_scope');
  });

  it('acts with the owner’s current rights: a customer sees only their organization, an agent is refused the administration, a demoted administrator loses it', async () => {
    const a = await customerOrg(t, { name: 'Org A' });
    const b = await customerOrg(t, { name: 'Org B' });
    const theirs = await openRequest(t, a.reporter.cookie, { requestTypeId: ids.assistanceId });
    const bToken = await createToken(t.app, b.reporter.cookie);
    const bySession = await call(t.app, { url: `/api/requests/${theirs.key}`, cookie: b.reporter.cookie });
    const byToken = await withToken(t.app, bToken.secret, { url: `/api/requests/${theirs.key}` });
    expect(byToken.statusCode).toBe(404);
    expect(byToken.statusCode).toBe(bySession.statusCode);
    const listed = (await withToken(t.app, bToken.secret, { url: '/api/requests' })).json();
    expect(JSON.stringify(listed)).not.toContain(theirs.key);
    // A customer's token on a staff route.
    expect((await withToken(t.app, bToken.secret, { url: '/api/queues' })).statusCode).toBe(403);

    const agent = await loginAs(t, 'agent');
    const agentToken = await createToken(t.app, agent.cookie);
    expect((await withToken(t.app, agentToken.secret, { url: '/api/queues' })).statusCode).toBe(200);
    expect((await withToken(t.app, agentToken.secret, { url: '/api/admin/users' })).statusCode).toBe(403);

    const formerAdmin = await loginAs(t, 'admin');
    const adminToken = await createToken(t.app, formerAdmin.cookie, { scopes: ['admin', 'requests:read'] });
    expect((await withToken(t.app, adminToken.secret, { url: '/api/admin/users' })).statusCode).toBe(200);
    await call(t.app, { method: 'PATCH', url: `/api/admin/users/${formerAdmin.id}`, cookie: admin.cookie, body: { role: 'agent' } });
    const demoted = await withToken(t.app, adminToken.secret, { url: '/api/admin/users' });
    expect(demoted.statusCode).toBe(403);
    expect(demoted.json().code).toBe('auth.forbidden');
  });

  it('cannot manage tokens, sign in or touch better-auth', async () => {
    const me = await loginAs(t, 'admin');
    const { secret, token } = await createToken(t.app, me.cookie, { scopes: ['admin', 'requests:read', 'requests:write'] });
    const attempts = [
      withToken(t.app, secret, { method: 'POST', url: '/api/me/api-tokens', body: { name: 'child', scopes: ['requests:read'] } }),
      withToken(t.app, secret, { url: '/api/me/api-tokens' }),
      withToken(t.app, secret, { method: 'DELETE', url: `/api/me/api-tokens/${token.id}` }),
      withToken(t.app, secret, { url: '/api/admin/api-tokens' }),
      withToken(t.app, secret, { method: 'POST', url: '/api/admin/service-users', body: { name: 'Bot', role: 'admin' } }),
      withToken(t.app, secret, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: me.email, password: me.password } }),
      withToken(t.app, secret, { url: '/api/auth/get-session' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('auth.token_not_allowed');
    }
    expect(await t.db.select().from(apiToken).where(eq(apiToken.ownerId, me.id))).toHaveLength(1);
  });

  it('with a cookie and a token together, uses the token alone and never falls back to the cookie', async () => {
    const c = await customerOrg(t);
    const { secret } = await createToken(t.app, c.reporter.cookie, { scopes: ['requests:read', 'requests:write'] });
    // An administrator's cookie does not lend the token its rights.
    const admins = await withToken(t.app, secret, { url: '/api/admin/users', headers: { cookie: admin.cookie } });
    expect(admins.statusCode).toBe(403);
    // A bad token with a good cookie is refused.
    const bad = await t.app.inject({ method: 'GET', url: '/api/requests', headers: { authorization: `Bearer gch_${'B'.repeat(43)}`, cookie: admin.cookie } });
    expect(bad.statusCode).toBe(401);
    // No Origin needed: the change is the token owner's, not the cookie's.
    const created = await withToken(t.app, secret, {
      method: 'POST',
      url: '/api/requests',
      body: { ...newRequest, requestTypeId: ids.assistanceId },
      headers: { cookie: admin.cookie },
    });
    expect(created.statusCode).toBe(201);
    const [row] = await t.db.select().from(ticket).where(eq(ticket.id, created.json().id));
    expect(row!.reporterId).toBe(c.reporter.id);
    // Without a token, the same cookie change without Origin is still refused.
    const cookieOnly = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      headers: { cookie: c.reporter.cookie },
      payload: { ...newRequest, requestTypeId: ids.assistanceId },
    });
    expect(cookieOnly.json().code).toBe('request.cross_site');
  });

  it('writes the last use at most once a minute', async () => {
    const c = await customerOrg(t);
    const { secret, token } = await createToken(t.app, c.reporter.cookie);
    const lastUsed = async () => (await t.db.select().from(apiToken).where(eq(apiToken.id, token.id)))[0]!.lastUsedAt;
    await withToken(t.app, secret, { url: '/api/requests' });
    const first = t.clock.now();
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(59 * 1000);
    await withToken(t.app, secret, { url: '/api/requests' });
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(1000);
    await withToken(t.app, secret, { url: '/api/requests' });
    expect(await lastUsed()).toEqual(t.clock.now());
  });
});

describe('service accounts', () => {
  it('are created by administrators, cannot sign in, act through their tokens with their role, and stop when deactivated', async () => {
    const res = await call(t.app, { method: 'POST', url: '/api/admin/service-users', cookie: admin.cookie, body: { name: 'ERP connector', role: 'agent' } });
    expect(res.statusCode).toBe(201);
    const bot = res.json() as { id: string; role: string; active: boolean; activeTokens: number };
    expect(bot).toMatchObject({ role: 'agent', active: true, activeTokens: 0 });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, bot.id), eq(auditLog.action, 'user.service_created')));
    expect(audit!.actorId).toBe(admin.id);

    const tokenFor = (body: Record<string, unknown>) =>
      call(t.app, { method: 'POST', url: `/api/admin/service-users/${bot.id}/api-tokens`, cookie: admin.cookie, body: { name: 'sync', ...body } });
    expect((await tokenFor({ scopes: ['admin'] })).json()).toMatchObject({ code: 'api_token.scope_not_allowed', field: 'scopes' });
    const created = await tokenFor({ scopes: ['requests:read', 'requests:write'] });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json() as { secret: string; token: { id: string; kind: string; owner: { id: string } } };
    expect(token).toMatchObject({ kind: 'service', owner: { id: bot.id } });
    expect((await withToken(t.app, secret, { url: '/api/queues' })).statusCode).toBe(200);
    expect((await withToken(t.app, secret, { url: '/api/admin/users' })).statusCode).toBe(403);

    // A person is not a service account: no service token for them.
    const person = await createUser(t, { role: 'agent' });
    const notService = await call(t.app, {
      method: 'POST',
      url: `/api/admin/service-users/${person.id}/api-tokens`,
      cookie: admin.cookie,
      body: { name: 'x', scopes: ['requests:read'] },
    });
    expect(notService.statusCode).toBe(404);

    // No password, no reset, no session.
    const email = `service-${bot.id}@service.invalid`;
    const signIn = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email, password: 'whatever-password-1' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(signIn.statusCode).toBe(401);
    expect(await t.db.select().from(session).where(eq(session.userId, bot.id))).toEqual([]);

    // Even given a password behind the application's back, it gets no session; and no reset link is mailed.
    await t.db.update(user).set({ emailVerified: true }).where(eq(user.id, bot.id));
    const hash = await (await t.ctx.auth.$context).password.hash('Service-password-123');
    const now = t.clock.now();
    await t.db
      .insert(account)
      .values({ id: randomUUID(), accountId: bot.id, providerId: 'credential', userId: bot.id, password: hash, createdAt: now, updatedAt: now });
    const withPassword = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email, password: 'Service-password-123' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(withPassword.statusCode).not.toBe(200);
    expect(withPassword.cookies.filter((c) => c.name.includes('session_token') && c.value !== '')).toEqual([]);
    expect(await t.db.select().from(session).where(eq(session.userId, bot.id))).toEqual([]);
    const reset = await call(t.app, {
      method: 'POST',
      url: '/api/auth/request-password-reset',
      body: { email, redirectTo: '/reset-password' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(reset.statusCode).toBe(200);
    expect(await t.db.select().from(outbox).where(eq(outbox.to, email))).toEqual([]);

    const listed = (await call(t.app, { url: '/api/admin/service-users', cookie: admin.cookie })).json();
    expect(listed.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: bot.id, activeTokens: 1 })]));

    const inUsers = (await call(t.app, { url: '/api/admin/users?q=ERP%20connector', cookie: admin.cookie })).json();
    expect(inUsers.items).toEqual([expect.objectContaining({ id: bot.id, isService: true, role: 'agent' })]);
    const toCustomer = await call(t.app, { method: 'PATCH', url: `/api/admin/users/${bot.id}`, cookie: admin.cookie, body: { role: 'customer' } });
    expect(toCustomer.json()).toMatchObject({ code: 'user.service_role', field: 'role' });
    await call(t.app, { method: 'PATCH', url: `/api/admin/users/${bot.id}`, cookie: admin.cookie, body: { active: false } });
    expect((await withToken(t.app, secret, { url: '/api/queues' })).json().code).toBe('auth.token_owner_inactive');
  });

  it('keep working when staff must use two-factor authentication, which binds sessions, not tokens', async () => {
    const bot = (
      await call(t.app, { method: 'POST', url: '/api/admin/service-users', cookie: admin.cookie, body: { name: 'Nightly sync', role: 'agent' } })
    ).json() as { id: string };
    const { secret } = (
      await call(t.app, {
        method: 'POST',
        url: `/api/admin/service-users/${bot.id}/api-tokens`,
        cookie: admin.cookie,
        body: { name: 'sync', scopes: ['requests:read'] },
      })
    ).json() as { secret: string };
    const agent = await loginAs(t, 'agent');
    await t.db
      .insert(securitySettings)
      .values({ id: 1, staffTwoFactorRequired: true, updatedAt: t.clock.now() })
      .onConflictDoUpdate({ target: securitySettings.id, set: { staffTwoFactorRequired: true } });
    try {
      expect((await call(t.app, { url: '/api/queues', cookie: agent.cookie })).json().code).toBe('auth.two_factor_required');
      expect((await withToken(t.app, secret, { url: '/api/queues' })).statusCode).toBe(200);
    } finally {
      await t.db.update(securitySettings).set({ staffTwoFactorRequired: false }).where(eq(securitySettings.id, 1));
    }
  });

  it('an administrator lists every token and revokes anyone’s', async () => {
    const c = await customerOrg(t);
    const { secret, token } = await createToken(t.app, c.reporter.cookie);
    const all = (await call(t.app, { url: `/api/admin/api-tokens?ownerId=${c.reporter.id}`, cookie: admin.cookie })).json();
    expect(all.items.map((i: { id: string }) => i.id)).toEqual([token.id]);
    const revoked = await call(t.app, { method: 'DELETE', url: `/api/admin/api-tokens/${token.id}`, cookie: admin.cookie });
    expect(revoked.json().status).toBe('revoked');
    expect((await withToken(t.app, secret, { url: '/api/requests' })).json().code).toBe('auth.token_revoked');
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, token.id), eq(auditLog.action, 'api_token.revoked')));
    expect(audit!.actorId).toBe(admin.id);
  });
});

describe('rate limits per token', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ env: { API_TOKEN_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 with Retry-After past the limit, for that token only, and lets it through once the minute is over', async () => {
    const org = await createOrganization(limited);
    const me = await loginAs(limited, 'customer', org.id);
    const one = await createToken(limited.app, me.cookie);
    const other = await createToken(limited.app, me.cookie);
    for (let i = 0; i < 3; i++) {
      const ok = await withToken(limited.app, one.secret, { url: '/api/requests' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    limited.clock.advance(20 * 1000);
    const refused = await withToken(limited.app, one.secret, { url: '/api/requests' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('40');
    expect(refused.json()).toMatchObject({ code: 'auth.token_rate_limited', limit: 3 });
    // Another token, and the session, are not held back.
    expect((await withToken(limited.app, other.secret, { url: '/api/requests' })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(limited.app, { url: '/api/requests', cookie: me.cookie })).statusCode).toBe(200);

    limited.clock.advance(40 * 1000);
    expect((await withToken(limited.app, one.secret, { url: '/api/requests' })).statusCode).toBe(200);
  });
});

describe('the API document', () => {
  it('names every token operation and marks it as for signed-in sessions only', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string; security?: unknown }>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.includes('api-tokens') || path.includes('service-users'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(operations.map((o) => o.operationId).sort()).toEqual([
      'createMyApiToken',
      'createServiceApiToken',
      'createServiceUser',
      'listApiTokens',
      'listMyApiTokens',
      'listServiceUsers',
      'revokeApiToken',
      'revokeMyApiToken',
    ]);
    for (const operation of operations) {
      expect(operation.summary).toBeTruthy();
      expect(operation.security).toEqual([{ session: [] }]);
    }
  });
});
