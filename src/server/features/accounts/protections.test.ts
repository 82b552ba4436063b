import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { user } from '../../db/schema.ts';
import { call, createTestApp, createUser, login, randomIp, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { RATE_LIMITS } from './auth.ts';

/** The protections as configured in production: rate limits on, origin checks on, security headers. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('rate limits', () => {
  it('refuses log-in attempts past the limit from one client, not from another', async () => {
    const u = await createUser(t);
    const ip = randomIp();
    const max = RATE_LIMITS['/sign-in/email'].max;
    for (let i = 0; i < max; i++) {
      const res = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: u.email, password: 'Wrong-password-1' }, headers: { 'x-forwarded-for': ip } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: u.email, password: u.password }, headers: { 'x-forwarded-for': ip } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('auth.rate_limited');
    // Someone else is not punished for it.
    await login(t, u.email, u.password, randomIp());
  });

  it('limits sign-up and password-reset requests', async () => {
    for (const [path, body] of [
      ['/api/auth/sign-up/email', () => ({ name: 'Spam', email: uniqueEmail(), password: 'A-strong-password-1' })],
      ['/api/auth/request-password-reset', () => ({ email: uniqueEmail(), redirectTo: '/reset-password' })],
    ] as const) {
      const ip = randomIp();
      const max = RATE_LIMITS[path.replace('/api/auth', '') as keyof typeof RATE_LIMITS].max;
      const statuses: number[] = [];
      for (let i = 0; i <= max; i++) {
        statuses.push((await call(t.app, { method: 'POST', url: path, body: body(), headers: { 'x-forwarded-for': ip } })).statusCode);
      }
      expect(statuses.slice(0, max).every((s) => s === 200), `${path}: ${statuses}`).toBe(true);
      expect(statuses[max], path).toBe(429);
    }
  });

  it('does not let a client choose its own rate-limit key through the internal header', async () => {
    const u = await createUser(t);
    const ip = randomIp();
    const max = RATE_LIMITS['/sign-in/email'].max;
    for (let i = 0; i <= max; i++) {
      const res = await call(t.app, {
        method: 'POST',
        url: '/api/auth/sign-in/email',
        body: { email: u.email, password: 'Wrong-password-1' },
        headers: { 'x-forwarded-for': ip, 'x-guichet-client-ip': randomIp() },
      });
      expect(res.statusCode).toBe(i < max ? 401 : 429);
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

    const password = await call(t.app, { method: 'POST', url: '/api/auth/change-password', cookie, body: { currentPassword: u.password, newPassword: 'Hacked-password-123' }, headers: evil });
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
    expect(doc.paths['/api/auth/sign-up/email'].post).toBeDefined();
    expect(doc.paths['/api/auth/reset-password'].post).toBeDefined();
    for (const route of t.app.routeCatalog) {
      if (route.url.startsWith('/api/auth') || route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') continue;
      const openApiPath = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[openApiPath]?.[route.method.toLowerCase()], `${route.method} ${route.url} is documented`).toBeDefined();
    }
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route.not_found');
  });
});
