import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { session, user } from '../../db/schema.ts';
import { call, createTestApp, createUser, login, randomIp, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { RATE_LIMITS } from './auth.ts';
import { EXPOSED } from './auth-routes.ts';
import { SIGN_IN_FAILURE_LIMITS } from './sign-in-limits.ts';

/** The protections as configured in production: rate limits on, origin checks on, security headers. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('rate limits', () => {
  const signIn = (email: string, password: string, ip: string, headers: Record<string, string> = {}) =>
    call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password }, headers: { 'x-forwarded-for': ip, ...headers } });
  const { account, ip: perIp } = SIGN_IN_FAILURE_LIMITS;

  it('lets twenty colleagues behind one office address log in within a minute', { timeout: 120_000 }, async () => {
    const office = randomIp();
    const colleagues = await Promise.all(Array.from({ length: 20 }, () => createUser(t)));
    const statuses: number[] = [];
    for (const c of colleagues) statuses.push((await signIn(c.email, c.password, office)).statusCode);
    expect(statuses).toEqual(colleagues.map(() => 200));
    // And again: successes are never counted.
    for (const c of colleagues.slice(0, 10)) expect((await signIn(c.email, c.password, office)).statusCode).toBe(200);
  });

  it('refuses an account after repeated failures, even from different addresses, then its right password too until the window has passed', async () => {
    const u = await createUser(t);
    const other = await createUser(t);
    const ips = Array.from({ length: account.max }, () => randomIp());
    for (const ip of ips) expect((await signIn(u.email.toUpperCase(), 'Wrong-password-1', ip)).statusCode).toBe(401);

    const blocked = await signIn(u.email, u.password, randomIp());
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('auth.rate_limited');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(account.windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(account.windowSeconds);
    // The addresses it came from are not punished for it: another account logs in from them.
    expect((await signIn(other.email, other.password, ips[0]!)).statusCode).toBe(200);

    t.clock.advance((account.windowSeconds - 60) * 1000);
    expect((await signIn(u.email, u.password, randomIp())).statusCode).toBe(429);
    t.clock.advance(61 * 1000);
    expect((await signIn(u.email, u.password, randomIp())).statusCode).toBe(200);
  });

  it('counts failures only: a successful log-in forgives the account’s earlier failures', async () => {
    const u = await createUser(t);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < account.max - 1; i++) expect((await signIn(u.email, 'Wrong-password-1', randomIp())).statusCode).toBe(401);
      expect((await signIn(u.email, u.password, randomIp())).statusCode).toBe(200);
    }
  });

  it('lets no more than the limit of failures through when they come all at once', async () => {
    const u = await createUser(t);
    const statuses = await Promise.all(
      Array.from({ length: account.max * 3 }, () => signIn(u.email, 'Wrong-password-1', randomIp()).then((r) => r.statusCode)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(account.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(account.max * 2);
  });

  it('refuses one address trying many accounts, whatever client IP it claims in the internal header, and not the others', { timeout: 120_000 }, async () => {
    const attacker = randomIp();
    const spoofed = () => ({ 'x-guichet-client-ip': randomIp() });
    for (let i = 0; i < perIp.max; i++) {
      const res = await signIn(uniqueEmail(), 'Wrong-password-1', attacker, spoofed());
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const u = await createUser(t);
    const blocked = await signIn(u.email, u.password, attacker, spoofed());
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('auth.rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(u.email, u.password, randomIp())).statusCode).toBe(200);
    t.clock.advance(perIp.windowSeconds * 1000);
    expect((await signIn(u.email, u.password, attacker)).statusCode).toBe(200);
  });

  it('limits sign-up and password-reset requests', async () => {
    for (const [path, body] of [
      ['/api/auth/sign-up/email', () => ({ name: 'Spam', email: uniqueEmail(), password: 'A-strong-password-1' })],
      ['/api/auth/request-password-reset', () => ({ email: uniqueEmail(), redirectTo: '/reset-password' })],
    ] as const) {
      const ip = randomIp();
      const max = RATE_LIMITS[path.replace('/api/auth', '') as keyof typeof RATE_LIMITS].max;
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i <= max; i++) {
        last = await call(t.app, { method: 'POST', url: path, body: body(), headers: { 'x-forwarded-for': ip } });
        statuses.push(last.statusCode);
      }
      expect(
        statuses.slice(0, max).every((s) => s === 200),
        `${path}: ${statuses}`,
      ).toBe(true);
      expect(statuses[max], path).toBe(429);
      expect(last!.json().code).toBe('auth.rate_limited');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});

describe('cross-site requests', () => {
  it('refuses a cookie-authenticated change from another origin, on Guichet routes and better-auth routes', async () => {
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const evil = { origin: 'https://evil.example' };

    const profile = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { name: 'Hacked' }, headers: evil });
    expect(profile.statusCode).toBe(403);
    expect(profile.json().code).toBe('request.cross_site');

    const noOrigin = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie, 'sec-fetch-site': 'cross-site' }, payload: { name: 'Hacked' } });
    expect(noOrigin.statusCode).toBe(403);

    const password = await call(t.app, {
      method: 'POST',
      url: '/api/auth/change-password',
      cookie,
      body: { currentPassword: u.password, newPassword: 'Hacked-password-123' },
      headers: evil,
    });
    expect(password.statusCode).toBe(403);

    const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
    expect(row?.name).toBe('Test User');
    await login(t, u.email, u.password);
  });

  it('accepts the same change from the portal itself', async () => {
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const res = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { name: 'Legit' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('headers and documents', () => {
  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('reports the database in /api/health', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves an OpenAPI 3.1 document with Guichet routes and better-auth routes, and a reference page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/me'].patch.requestBody).toBeDefined();
    expect(doc.paths['/api/health'].get).toBeDefined();
    expect(doc.paths['/api/auth/sign-up/email'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/auth/reset-password'].post.requestBody).toBeDefined();
    for (const route of t.app.routeCatalog) {
      if (route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') continue;
      const openApiPath = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[openApiPath]?.[route.method.toLowerCase()], `${route.method} ${route.url} is documented`).toBeDefined();
    }
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });

  const authOperations = (doc: { paths: Record<string, Record<string, unknown>> }) =>
    Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/auth/'))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`))
      .sort();

  it('documents exactly the account endpoints Guichet exposes, and exposes no other', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const exposed = EXPOSED.map((r) => `${r.method} /api/auth${r.url.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(authOperations(doc)).toEqual(exposed);
    const routed = t.app.routeCatalog
      .filter((r) => r.url.startsWith('/api/auth/'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    expect(routed).toEqual(exposed);
    // better-auth's other endpoints are not reachable through Guichet.
    for (const [method, url] of [
      ['GET', '/api/auth/list-sessions'],
      ['GET', '/api/auth/get-session'],
      ['POST', '/api/auth/revoke-other-sessions'],
      ['POST', '/api/auth/admin/set-role'],
      ['GET', '/api/auth/admin/list-users'],
      ['POST', '/api/auth/update-user'],
    ] as const) {
      const res = await call(t.app, { method, url, body: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('route.not_found');
    }
  });

  it('answers every documented account operation (none is a 404), as a visitor and logged in', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const operations = authOperations(doc);
    expect(operations.length).toBe(EXPOSED.length);
    for (const operation of operations) {
      const [method, p] = operation.split(' ') as ['GET' | 'POST', string];
      const url = p.replace(/\{(\w+)\}/g, 'some-$1');
      for (const who of [undefined, cookie]) {
        const res = await call(t.app, { method, url, cookie: who, body: method === 'POST' ? {} : undefined, headers: { 'x-forwarded-for': randomIp() } });
        expect(res.statusCode, `${operation} ${who ? 'logged in' : 'visitor'}: ${res.body}`).not.toBe(404);
        expect(res.statusCode, `${operation}: ${res.body}`).toBeLessThan(500);
      }
    }
  });

  it('never hands the session token to the page: not in the log-in answer, not in a password change, no session listing', async () => {
    const u = await createUser(t);
    const signIn = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email: u.email, password: u.password },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(signIn.statusCode).toBe(200);
    const sessionToken = signIn.cookies.find((c) => c.name === 'guichet.session_token')!.value.split('.')[0]!;
    expect(sessionToken.length).toBeGreaterThan(10);
    const [stored] = await t.db.select().from(session).where(eq(session.userId, u.id));
    expect(stored?.token).toBe(sessionToken);
    const hasToken = (value: unknown): boolean =>
      typeof value === 'object' && value !== null && Object.entries(value).some(([key, v]) => key === 'token' || hasToken(v));
    expect(signIn.json()).toMatchObject({ user: { id: u.id, email: u.email } });
    expect(hasToken(signIn.json())).toBe(false);
    expect(signIn.body).not.toContain(sessionToken);

    const cookie = `guichet.session_token=${signIn.cookies.find((c) => c.name === 'guichet.session_token')!.value}`;
    const changed = await call(t.app, {
      method: 'POST',
      url: '/api/auth/change-password',
      cookie,
      body: { currentPassword: u.password, newPassword: 'Brand-new-password-1', revokeOtherSessions: true },
    });
    expect(changed.statusCode).toBe(200);
    expect(hasToken(changed.json())).toBe(false);
    const newToken = changed.cookies.find((c) => c.name === 'guichet.session_token')!.value.split('.')[0]!;
    expect(changed.body).not.toContain(newToken);

    const newCookie = changed.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    for (const url of ['/api/auth/list-sessions', '/api/auth/get-session']) {
      const res = await call(t.app, { url, cookie: newCookie });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(newToken);
    }
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route.not_found');
  });
});
