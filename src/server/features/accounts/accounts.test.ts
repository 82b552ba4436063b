import { signJWT } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { session, user } from '../../db/schema.ts';
import { INVALID_VERIFICATION_LINK, VERIFY_EMAIL_LIMIT } from './auth-routes.ts';
import {
  call,
  cookieHeader,
  createOrganization,
  createTestApp,
  createUser,
  lastMailTo,
  linkIn,
  login,
  randomIp,
  uniqueDomain,
  uniqueEmail,
  type TestApp,
} from '../../../../tests/support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const signUp = (body: Record<string, unknown>, ip = randomIp()) =>
  call(t.app, { method: 'POST', url: '/api/auth/sign-up/email', body, headers: { 'x-forwarded-for': ip } });

/** Follows the link of an e-mail through the API the way a browser would, and returns where it lands. */
async function follow(link: string) {
  const url = new URL(link);
  const res = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
  return res;
}

describe('sign-up and e-mail verification', () => {
  it('sends a verification link in the chosen language; a verified sign-up joins the organization of its domain', async () => {
    const org = await createOrganization(t, 'Acme SA');
    const email = uniqueEmail(org.domains[0]);
    const res = await signUp({ name: 'Nina Keller', email, password: 'A-strong-password-1', language: 'de', callbackURL: '/verify-email/done' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'verification_sent' });

    // Not verified yet: no log-in.
    const early = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email, password: 'A-strong-password-1' } });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('auth.email_not_verified');

    const mail = await lastMailTo(t, email);
    expect(mail?.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail?.html).toContain('<a href=');
    const verified = await follow(linkIn(mail!.text));
    expect(verified.statusCode).toBe(302);
    expect(verified.headers.location).toBe('/verify-email/done');

    const [row] = await t.db.select().from(user).where(eq(user.email, email));
    expect(row?.emailVerified).toBe(true);
    expect(row?.organizationId).toBe(org.id);
    expect(row?.role).toBe('customer');

    const cookie = await login(t, email, 'A-strong-password-1');
    const me = await call(t.app, { url: '/api/me', cookie });
    expect(me.json()).toMatchObject({ email, role: 'customer', language: 'de', organization: { id: org.id, name: 'Acme SA' } });

    // The link works once.
    const again = await follow(linkIn(mail!.text));
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe(INVALID_VERIFICATION_LINK);
  });

  it('leaves a sign-up of an unknown domain without organization', async () => {
    const email = uniqueEmail(uniqueDomain());
    await signUp({ name: 'Solo', email, password: 'A-strong-password-1', callbackURL: '/verify-email/done' });
    await follow(linkIn((await lastMailTo(t, email))!.text));
    const cookie = await login(t, email, 'A-strong-password-1');
    const me = await call(t.app, { url: '/api/me', cookie });
    expect(me.json().organization).toBeNull();
    expect(me.json().language).toBe('fr');
  });

  it('gives the same answer for an address that already has an account, and sends it no verification', async () => {
    const existing = await createUser(t);
    const res = await signUp({ name: 'Intruder', email: existing.email, password: 'Another-password-2' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'verification_sent' });
    expect(await lastMailTo(t, existing.email)).toBeUndefined();
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'A', email: 'not-an-email', password: 'A-strong-password-1' }, 'email'],
      [{ name: 'A', email: uniqueEmail(), password: 'short' }, 'password'],
      [{ name: '', email: uniqueEmail(), password: 'A-strong-password-1' }, 'name'],
      [{ name: 'x'.repeat(121), email: uniqueEmail(), password: 'A-strong-password-1' }, 'name'],
      [{ name: 'A', email: uniqueEmail(), password: 'A-strong-password-1', role: 'admin' }, 'role'],
      [{ name: 'A', email: uniqueEmail(), password: 'A-strong-password-1', language: 'it' }, 'language'],
    ];
    for (const [body, field] of cases) {
      const res = await signUp(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
      if (typeof body.email === 'string') {
        expect(await t.db.select().from(user).where(eq(user.email, body.email.toLowerCase()))).toHaveLength(0);
      }
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('request.malformed_json');
  });
});

describe('e-mail verification links', () => {
  const verifyUrl = (token: string) => `/api/auth/verify-email?token=${encodeURIComponent(token)}&callbackURL=${encodeURIComponent('/verify-email/done')}`;
  const open = (token: string, ip = randomIp()) => t.app.inject({ method: 'GET', url: verifyUrl(token), headers: { 'x-forwarded-for': ip } });
  /** What a person, or a script, can observe of an answer. */
  const seen = (res: Awaited<ReturnType<typeof open>>) => ({
    status: res.statusCode,
    location: res.headers.location,
    cookies: res.headers['set-cookie'],
    body: res.body,
  });
  /** A token shaped like better-auth's (a JWT with the address), signed with another secret or not signed at all. */
  const forged = async (email: string) => signJWT({ email, userId: 'whatever' }, 'not-the-secret-of-this-installation-0123456789');
  const unsigned = (email: string) => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ email, exp: Math.floor(Date.now() / 1000) + 3600 })}.${'A'.repeat(43)}`;
  };

  it('answers alike for forged, unknown, expired and used links, so no answer tells whether an address has an account', async () => {
    const verified = await createUser(t);
    const email = uniqueEmail();
    await signUp({ name: 'Pending', email, password: 'A-strong-password-1', callbackURL: '/verify-email/done' });
    const link = new URL(linkIn((await lastMailTo(t, email))!.text));
    const realToken = link.searchParams.get('token')!;
    expect((await open(realToken)).headers.location).toBe('/verify-email/done');

    const answers = {
      'forged, verified address': seen(await open(await forged(verified.email))),
      'forged, unknown address': seen(await open(await forged(uniqueEmail()))),
      'unsigned, verified address': seen(await open(unsigned(verified.email))),
      'unsigned, unknown address': seen(await open(unsigned(uniqueEmail()))),
      'used link': seen(await open(realToken)),
      'expired link': seen(await open(await signJWT({ email: verified.email, userId: verified.id }, t.config.authSecret, -60))),
      'signed, unknown address': seen(await open(await signJWT({ email: uniqueEmail() }, t.config.authSecret, 3600))),
      'not a token': seen(await open('nonsense')),
    };
    const expected = { status: 302, location: INVALID_VERIFICATION_LINK, cookies: undefined, body: '' };
    for (const [name, answer] of Object.entries(answers)) expect(answer, name).toEqual(expected);
    // A link without any token is the same invalid link.
    expect(
      seen(await t.app.inject({ method: 'GET', url: '/api/auth/verify-email?callbackURL=%2Fverify-email%2Fdone', headers: { 'x-forwarded-for': randomIp() } })),
    ).toEqual(expected);
    // And nothing was verified by any of them.
    expect((await t.db.select({ verified: user.emailVerified }).from(user).where(eq(user.email, email)))[0]?.verified).toBe(true);
  });

  it('still verifies with a real link that has not been used', async () => {
    const email = uniqueEmail();
    await signUp({ name: 'Fresh', email, password: 'A-strong-password-1', callbackURL: '/verify-email/done' });
    const res = await follow(linkIn((await lastMailTo(t, email))!.text));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/verify-email/done');
    expect((await t.db.select({ verified: user.emailVerified }).from(user).where(eq(user.email, email)))[0]?.verified).toBe(true);
  });

  it('limits the links opened from one client IP, whatever the answer, valid links included', async () => {
    const ip = randomIp();
    const email = uniqueEmail();
    await signUp({ name: 'Limited', email, password: 'A-strong-password-1', callbackURL: '/verify-email/done' });
    const realToken = new URL(linkIn((await lastMailTo(t, email))!.text)).searchParams.get('token')!;
    const verified = await createUser(t);
    for (let i = 0; i < VERIFY_EMAIL_LIMIT.max; i++) {
      const res = await open(await forged(i % 2 ? verified.email : uniqueEmail()), ip);
      expect(res.headers.location, `link ${i + 1}`).toBe(INVALID_VERIFICATION_LINK);
    }
    for (const token of [await forged(verified.email), realToken]) {
      const limited = await open(token, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('auth.rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(VERIFY_EMAIL_LIMIT.windowSeconds);
    }
    expect((await t.db.select({ verified: user.emailVerified }).from(user).where(eq(user.email, email)))[0]?.verified).toBe(false);
    // Another address is not limited; this one is again once the window has passed.
    expect((await open(await forged(verified.email))).headers.location).toBe(INVALID_VERIFICATION_LINK);
    t.clock.advance(VERIFY_EMAIL_LIMIT.windowSeconds * 1000);
    expect((await open(realToken, ip)).headers.location).toBe('/verify-email/done');
  });
});

describe('log-in, sessions and log-out', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie kept in the database, and ends it on log-out', async () => {
    const u = await createUser(t);
    const res = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: u.email, password: u.password } });
    expect(res.statusCode).toBe(200);
    const sessionCookie = res.cookies.find((c) => c.name === 'guichet.session_token')!;
    expect(sessionCookie.httpOnly).toBe(true);
    expect(sessionCookie.sameSite).toBe('Lax');
    expect(sessionCookie.secure).toBeFalsy();
    const cookie = cookieHeader(res);
    expect(await t.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(1);

    const out = await call(t.app, { method: 'POST', url: '/api/auth/sign-out', cookie, body: {} });
    expect(out.statusCode).toBe(200);
    expect(await t.db.select().from(session).where(eq(session.userId, u.id))).toHaveLength(0);
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(401);
  });

  it('does not say whether the address or the password was wrong', async () => {
    const u = await createUser(t);
    const wrongPassword = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: u.email, password: 'Wrong-password-123' } });
    const noAccount = await call(t.app, { method: 'POST', url: '/api/auth/sign-in/email', body: { email: uniqueEmail(), password: 'Wrong-password-123' } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(noAccount.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(noAccount.json());
  });
});

describe('profile', () => {
  it('changes name and language, refuses unknown fields and languages', async () => {
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const res = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { name: 'Renamed', language: 'fr' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Renamed', language: 'fr' });

    const bad = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { language: 'it' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('language');
    const unknown = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { role: 'admin' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'validation.unknown_field', field: 'role' });
    const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
    expect(row?.role).toBe('customer');
  });

  it('shows times in the business calendar’s zone by default; a person chooses a known zone, or goes back to the calendar’s', async () => {
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const me = await call(t.app, { url: '/api/me', cookie });
    expect(me.json().timeZone).toEqual({ effective: 'Europe/Zurich', isDefault: true, calendar: 'Europe/Zurich' });

    const chosen = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { timeZone: 'America/New_York' } });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().timeZone).toEqual({ effective: 'America/New_York', isDefault: false, calendar: 'Europe/Zurich' });
    expect((await call(t.app, { url: '/api/me', cookie })).json().timeZone.effective).toBe('America/New_York');
    expect((await t.db.select().from(user).where(eq(user.id, u.id)))[0]?.timeZone).toBe('America/New_York');

    // Only zones Intl knows, spelled as it lists them; nothing is written.
    for (const bad of ['Mars/Olympus', 'Europe/Atlantis', 'europe/zurich', '', '+02:00', 'CET ', 42]) {
      const res = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { name: 'Not saved', timeZone: bad } });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json(), String(bad)).toMatchObject({ code: 'validation.invalid', field: 'timeZone' });
    }
    const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
    expect(row).toMatchObject({ timeZone: 'America/New_York', name: 'Test User' });

    expect((await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { timeZone: 'UTC' } })).json().timeZone.effective).toBe('UTC');
    const reset = await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { timeZone: null } });
    expect(reset.json().timeZone).toEqual({ effective: 'Europe/Zurich', isDefault: true, calendar: 'Europe/Zurich' });
    expect((await t.db.select().from(user).where(eq(user.id, u.id)))[0]?.timeZone).toBeNull();
  });

  it('follows the business calendar’s zone while the profile names none', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const adminCookie = await login(t, admin.email);
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const calendar = (await call(t.app, { url: '/api/admin/sla/calendar', cookie: adminCookie })).json();
    const moved = await call(t.app, { method: 'PUT', url: '/api/admin/sla/calendar', cookie: adminCookie, body: { ...calendar, timeZone: 'Europe/London' } });
    expect(moved.statusCode).toBe(200);
    try {
      expect((await call(t.app, { url: '/api/me', cookie })).json().timeZone).toEqual({
        effective: 'Europe/London',
        isDefault: true,
        calendar: 'Europe/London',
      });
      await call(t.app, { method: 'PATCH', url: '/api/me', cookie, body: { timeZone: 'Asia/Tokyo' } });
      expect((await call(t.app, { url: '/api/me', cookie })).json().timeZone).toEqual({ effective: 'Asia/Tokyo', isDefault: false, calendar: 'Europe/London' });
    } finally {
      await call(t.app, { method: 'PUT', url: '/api/admin/sla/calendar', cookie: adminCookie, body: calendar });
    }
  });

  it('changes the password with the current one', async () => {
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    const wrong = await call(t.app, {
      method: 'POST',
      url: '/api/auth/change-password',
      cookie,
      body: { currentPassword: 'nope-nope-nope', newPassword: 'Brand-new-password-1' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('currentPassword');
    const ok = await call(t.app, {
      method: 'POST',
      url: '/api/auth/change-password',
      cookie,
      body: { currentPassword: u.password, newPassword: 'Brand-new-password-1' },
    });
    expect(ok.statusCode).toBe(200);
    await login(t, u.email, 'Brand-new-password-1');
  });
});

describe('password reset', () => {
  it('mails a single-use link; the reset ends every session', async () => {
    const u = await createUser(t, { language: 'fr' });
    const cookie = await login(t, u.email);
    const asked = await call(t.app, { method: 'POST', url: '/api/auth/request-password-reset', body: { email: u.email, redirectTo: '/reset-password' } });
    expect(asked.statusCode).toBe(200);
    const mail = await lastMailTo(t, u.email);
    expect(mail?.subject).toBe('Réinitialisation de votre mot de passe');

    const landing = await follow(linkIn(mail!.text));
    expect(landing.statusCode).toBe(302);
    const target = new URL(landing.headers.location as string, 'http://localhost:3000');
    expect(target.pathname).toBe('/reset-password');
    const token = target.searchParams.get('token')!;

    const weak = await call(t.app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().field).toBe('newPassword');

    const reset = await call(t.app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'Reset-password-2026' } });
    expect(reset.statusCode).toBe(200);
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(401);
    await login(t, u.email, 'Reset-password-2026');

    const reused = await call(t.app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'Another-password-2026' } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'auth.invalid_token', field: 'token' });
  });

  it('expires the link after an hour', async () => {
    const u = await createUser(t);
    await call(t.app, { method: 'POST', url: '/api/auth/request-password-reset', body: { email: u.email, redirectTo: '/reset-password' } });
    const landing = await follow(linkIn((await lastMailTo(t, u.email))!.text));
    const token = new URL(landing.headers.location as string, 'http://x').searchParams.get('token')!;
    // Token expiry is checked by better-auth against the stored expiry: move it into the past.
    const { verification } = await import('../../db/schema.ts');
    await t.db
      .update(verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verification.identifier, `reset-password:${token}`));
    const res = await call(t.app, { method: 'POST', url: '/api/auth/reset-password', body: { token, newPassword: 'Reset-password-2026' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('token');
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const email = uniqueEmail();
    const res = await call(t.app, { method: 'POST', url: '/api/auth/request-password-reset', body: { email, redirectTo: '/reset-password' } });
    expect(res.statusCode).toBe(200);
    expect(await lastMailTo(t, email)).toBeUndefined();
  });
});

describe('better-auth’s errors', () => {
  it('are passed on under codes the web app translates: its UNAUTHORIZED is Guichet’s auth.unauthenticated, the known ones as auth.<code>', async () => {
    const anonymous = await call(t.app, {
      method: 'POST',
      url: '/api/auth/change-password',
      body: { currentPassword: 'x', newPassword: 'Brand-new-password-1' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('auth.unauthenticated');
    const foreign = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email: uniqueEmail(), password: 'whatever-password' },
      headers: { origin: 'https://evil.example', 'x-forwarded-for': randomIp() },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('auth.invalid_origin');
    const redirect = await call(t.app, {
      method: 'POST',
      url: '/api/auth/request-password-reset',
      body: { email: uniqueEmail(), redirectTo: 'https://evil.example/x' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(redirect.json().code).toBe('auth.invalid_redirect_url');
  });
});
