import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest, LightMyRequestResponse } from 'fastify';
import { auditLog, organization, ssoProvider } from '../../db/schema.ts';
import { twoFactorStatus } from './two-factor-policy.ts';
import {
  call,
  cookieHeader,
  createOrganization,
  createTestApp,
  createUser,
  login,
  randomIp,
  TEST_PASSWORD,
  type TestApp,
} from '../../../../tests/support/test-app.ts';
import { TWO_FACTOR_FAILURE_LIMITS } from '../accounts/two-factor-limits.ts';
import { TRUST_DEVICE_DAYS } from '../accounts/auth.ts';
import { resolveUser } from '../accounts/resolve-user.ts';

/**
 * RFC 6238 with node:crypto, independent of better-auth: the 6-digit code of a base32 key at a time.
 */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(base32Key: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(base32Key)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}
/** A code valid at no step near the time (better-auth accepts the step before and after). */
function wrongCode(key: string, atMs: number): string {
  const near = new Set([-1, 0, 1].map((step) => totp(key, atMs + step * 30_000)));
  let code = Number(totp(key, atMs));
  do code = (code + 1) % 1_000_000;
  while (near.has(String(code).padStart(6, '0')));
  return String(code).padStart(6, '0');
}

/** Cookies of a response laid over those already held (a response may replace or expire some). */
function mergeCookies(held: string, res: LightMyRequestResponse): string {
  const jar = new Map(held ? held.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const) : []);
  for (const c of res.cookies) {
    if (c.maxAge === 0 || c.value === '') jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});
// better-auth reads the time from Date (code steps, challenges, trusted devices): moved with the app's clock, Date only.
const now = () => t.clock.now().getTime();
const advance = (ms: number) => {
  t.clock.advance(ms);
  vi.setSystemTime(t.clock.now());
};
const freezeDate = () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(t.clock.now());
};
afterEach(() => {
  vi.useRealTimers();
});

const post = (url: string, body: unknown, cookie?: string, ip = randomIp()) =>
  call(t.app, { method: 'POST', url, body, ...(cookie ? { cookie } : {}), headers: { 'x-forwarded-for': ip } });
const signIn = (email: string, cookie?: string, ip = randomIp()) => post('/api/auth/sign-in/email', { email, password: TEST_PASSWORD }, cookie, ip);

/** Enrolls a logged-in user with the app's codes; answers their key, backup codes and renewed cookie. */
async function enroll(cookie: string) {
  const enabled = await post('/api/auth/two-factor/enable', { password: TEST_PASSWORD }, cookie);
  expect(enabled.statusCode, enabled.body).toBe(200);
  const { totpURI, backupCodes } = enabled.json() as { totpURI: string; backupCodes: string[] };
  const key = new URL(totpURI).searchParams.get('secret')!;
  const verified = await post('/api/auth/two-factor/verify-totp', { code: totp(key, now()) }, cookie);
  expect(verified.statusCode, verified.body).toBe(200);
  return { key, backupCodes, totpURI, cookie: mergeCookies(cookie, verified) };
}

async function enrolledUser(opts: Parameters<typeof createUser>[1] = {}) {
  const u = await createUser(t, opts);
  const enrolled = await enroll(await login(t, u.email));
  return { ...u, ...enrolled };
}

const auditActions = async (userId: string) =>
  (
    await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, userId)))
  ).map((r) => r.action);

describe('enrollment and log-in with a code', () => {
  it('enrolls with a code from the app, then asks for a code at every log-in; a wrong code is refused, naming the field', async () => {
    freezeDate();
    const u = await createUser(t);
    const cookie = await login(t, u.email);
    expect((await call(t.app, { url: '/api/me', cookie })).json().twoFactor).toEqual({ enabled: false, required: false });

    const enabled = await post('/api/auth/two-factor/enable', { password: TEST_PASSWORD }, cookie);
    const { totpURI, backupCodes } = enabled.json();
    expect(totpURI).toMatch(/^otpauth:\/\/totp\/Guichet:/);
    expect(new URL(totpURI).searchParams.get('issuer')).toBe('Guichet');
    expect(backupCodes).toHaveLength(10);
    // Not on until a first code is checked: the log-in still needs only the password.
    expect((await call(t.app, { url: '/api/me', cookie })).json().twoFactor.enabled).toBe(false);
    const key = new URL(totpURI).searchParams.get('secret')!;
    const refused = await post('/api/auth/two-factor/verify-totp', { code: wrongCode(key, now()) }, cookie);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'auth.invalid_code', field: 'code' });
    const confirmed = await post('/api/auth/two-factor/verify-totp', { code: totp(key, now()) }, cookie);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ user: expect.objectContaining({ id: u.id }) });
    const renewed = mergeCookies(cookie, confirmed);
    expect((await call(t.app, { url: '/api/me', cookie: renewed })).json().twoFactor).toEqual({ enabled: true, required: false });
    expect(await auditActions(u.id)).toContain('user.two_factor_enabled');
    // The session says so, which spares enrolled users the requirement's query.
    expect(await resolveUser(t.ctx.auth, { headers: { cookie: renewed } } as FastifyRequest)).toMatchObject({ id: u.id, twoFactorEnabled: true });
    expect(await resolveUser(t.ctx.auth, { headers: { cookie } } as FastifyRequest)).toBeNull();

    // The password alone no longer opens a session.
    const challenge = await signIn(u.email);
    expect(challenge.statusCode).toBe(200);
    expect(challenge.json()).toEqual({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
    const pending = cookieHeader(challenge);
    expect(pending).not.toMatch(/session_token=[^;]/);
    expect((await call(t.app, { url: '/api/me', cookie: pending })).statusCode).toBe(401);

    const wrong = await post('/api/auth/two-factor/verify-totp', { code: wrongCode(key, now()) }, pending);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'auth.invalid_code', field: 'code' });
    const malformed = await post('/api/auth/two-factor/verify-totp', { code: '12a' }, pending);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('code');

    advance(60_000);
    const right = await post('/api/auth/two-factor/verify-totp', { code: totp(key, now()) }, pending);
    expect(right.statusCode).toBe(200);
    expect(right.json()).not.toHaveProperty('token');
    const session = mergeCookies(pending, right);
    expect((await call(t.app, { url: '/api/me', cookie: session })).json().id).toBe(u.id);
  });

  it('accepts each backup code once', async () => {
    freezeDate();
    const u = await enrolledUser();
    const code = u.backupCodes[0]!;
    const first = await signIn(u.email);
    const used = await post('/api/auth/two-factor/verify-backup-code', { code }, cookieHeader(first));
    expect(used.statusCode).toBe(200);
    expect((await call(t.app, { url: '/api/me', cookie: mergeCookies(cookieHeader(first), used) })).statusCode).toBe(200);
    expect(await auditActions(u.id)).toContain('user.backup_code_used');

    const again = await signIn(u.email);
    const reused = await post('/api/auth/two-factor/verify-backup-code', { code }, cookieHeader(again));
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'auth.invalid_backup_code', field: 'code' });
    // Another one still works.
    expect((await post('/api/auth/two-factor/verify-backup-code', { code: u.backupCodes[1]! }, cookieHeader(again))).statusCode).toBe(200);
  });

  it('replaces the backup codes (password asked): the old ones stop working', async () => {
    freezeDate();
    const u = await enrolledUser();
    const wrongPassword = await post('/api/auth/two-factor/generate-backup-codes', { password: 'Wrong-password-1' }, u.cookie);
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.json()).toMatchObject({ code: 'auth.invalid_password', field: 'password' });
    const fresh = await post('/api/auth/two-factor/generate-backup-codes', { password: TEST_PASSWORD }, u.cookie);
    expect(fresh.statusCode).toBe(200);
    const codes = fresh.json().backupCodes as string[];
    expect(codes).toHaveLength(10);
    expect(await auditActions(u.id)).toContain('user.backup_codes_regenerated');
    const challenge = cookieHeader(await signIn(u.email));
    expect((await post('/api/auth/two-factor/verify-backup-code', { code: u.backupCodes[0]! }, challenge)).statusCode).toBe(401);
    expect((await post('/api/auth/two-factor/verify-backup-code', { code: codes[0]! }, challenge)).statusCode).toBe(200);
  });

  it('turns off with the password (audited): the password alone then logs in', async () => {
    freezeDate();
    const u = await enrolledUser();
    const wrong = await post('/api/auth/two-factor/disable', { password: 'Wrong-password-1' }, u.cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'auth.invalid_password', field: 'password' });
    const off = await post('/api/auth/two-factor/disable', { password: TEST_PASSWORD }, u.cookie);
    expect(off.statusCode).toBe(200);
    expect(await auditActions(u.id)).toContain('user.two_factor_disabled');
    expect((await signIn(u.email)).json()).toHaveProperty('user');
  });

  it(`trusts a device for ${TRUST_DEVICE_DAYS} days when asked, and not after`, async () => {
    freezeDate();
    const u = await enrolledUser();
    const challenge = cookieHeader(await signIn(u.email));
    const trusted = await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()), trustDevice: true }, challenge);
    expect(trusted.statusCode).toBe(200);
    const trustCookie = trusted.cookies.find((c) => c.name.endsWith('trust_device'));
    expect(trustCookie?.maxAge).toBe(TRUST_DEVICE_DAYS * 24 * 3600);
    let device = `${trustCookie!.name}=${trustCookie!.value}`;

    // A device that was not trusted still gets the code step.
    expect((await signIn(u.email)).json()).toMatchObject({ twoFactorRedirect: true });

    advance((TRUST_DEVICE_DAYS - 1) * 24 * 3600_000);
    const skipped = await signIn(u.email, device);
    expect(skipped.json()).toHaveProperty('user');
    expect(skipped.cookies.some((c) => c.name.endsWith('session_token') && c.value)).toBe(true);
    // Each log-in renews the trust for another period; without that renewal it ends.
    const renewed = skipped.cookies.find((c) => c.name.endsWith('trust_device'));
    expect(renewed).toBeDefined();

    advance((TRUST_DEVICE_DAYS + 1) * 24 * 3600_000);
    device = `${renewed!.name}=${renewed!.value}`;
    const expired = await signIn(u.email, device);
    expect(expired.json()).toMatchObject({ twoFactorRedirect: true });
  });
});

describe('brute force of codes', () => {
  const { account, accountDaily } = TWO_FACTOR_FAILURE_LIMITS;

  it(`refuses an account's codes after ${account.max} wrong ones, from any address and in any new log-in, until the window has passed`, async () => {
    freezeDate();
    const u = await enrolledUser();
    const challenge = cookieHeader(await signIn(u.email));
    for (let i = 0; i < account.max; i++) {
      const res = await post('/api/auth/two-factor/verify-totp', { code: wrongCode(u.key, now()) }, challenge, randomIp());
      expect(res.statusCode, `guess ${i + 1}`).toBe(401);
    }
    // A new log-in (the password is known) from elsewhere does not get new guesses; even the right code waits.
    const next = cookieHeader(await signIn(u.email));
    const blocked = await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, next, randomIp());
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('auth.rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(account.windowSeconds - 60);
    const backup = await post('/api/auth/two-factor/verify-backup-code', { code: u.backupCodes[0]! }, next, randomIp());
    expect(backup.statusCode).toBe(429);

    advance(account.windowSeconds * 1000 + 1000);
    const later = cookieHeader(await signIn(u.email));
    expect((await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, later)).statusCode).toBe(200);
  });

  it(`refuses an account's codes after ${accountDaily.max} wrong ones in a day, however they are spread`, { timeout: 60_000 }, async () => {
    freezeDate();
    const u = await enrolledUser();
    const rounds = accountDaily.max / account.max;
    for (let round = 0; round < rounds; round++) {
      const challenge = cookieHeader(await signIn(u.email));
      for (let i = 0; i < account.max; i++) {
        expect((await post('/api/auth/two-factor/verify-totp', { code: wrongCode(u.key, now()) }, challenge)).statusCode, `round ${round + 1}`).toBe(401);
      }
      advance(account.windowSeconds * 1000 + 1000);
    }
    const challenge = cookieHeader(await signIn(u.email));
    expect((await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, challenge)).statusCode).toBe(429);
    advance(accountDaily.windowSeconds * 1000);
    const tomorrow = cookieHeader(await signIn(u.email));
    expect((await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, tomorrow)).statusCode).toBe(200);
  });

  it(`refuses an address after ${TWO_FACTOR_FAILURE_LIMITS.ip.max} wrong codes in 15 minutes, whichever accounts they were for, and not the others`, async () => {
    freezeDate();
    const { ip: perIp } = TWO_FACTOR_FAILURE_LIMITS;
    const attacker = randomIp();
    for (let i = 0; i < perIp.max; i++) {
      // Codes sent without a log-in in progress (or a forged one) count against the address too.
      const res = await post('/api/auth/two-factor/verify-totp', { code: '123456' }, undefined, attacker);
      expect(res.statusCode, `guess ${i + 1}`).toBe(401);
      expect(res.json().code).toBe('auth.invalid_two_factor_cookie');
    }
    const u = await enrolledUser();
    const challenge = cookieHeader(await signIn(u.email, undefined, attacker));
    const blocked = await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, challenge, attacker);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(perIp.windowSeconds - 60);
    // The account itself is not punished: from another address its right code logs in.
    expect((await post('/api/auth/two-factor/verify-totp', { code: totp(u.key, now()) }, challenge, randomIp())).statusCode).toBe(200);
  });
});

describe('required two-factor authentication', () => {
  it('for staff: an administrator must be enrolled to require it; an agent not enrolled then reaches only enrollment, their profile and log-out', async () => {
    freezeDate();
    const adminUser = await createUser(t, { role: 'admin' });
    let adminCookie = await login(t, adminUser.email);
    const early = await call(t.app, { method: 'PATCH', url: '/api/admin/security-settings', cookie: adminCookie, body: { staffTwoFactorRequired: true } });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ code: 'security.enroll_first', field: 'staffTwoFactorRequired' });
    adminCookie = (await enroll(adminCookie)).cookie;
    const agent = await createUser(t, { role: 'agent' });
    const agentCookie = await login(t, agent.email);
    const org = await createOrganization(t);
    const customer = await createUser(t, { organizationId: org.id });
    const customerCookie = await login(t, customer.email);

    const set = await call(t.app, { method: 'PATCH', url: '/api/admin/security-settings', cookie: adminCookie, body: { staffTwoFactorRequired: true } });
    expect(set.statusCode).toBe(200);
    expect(set.json().staffTwoFactorRequired).toBe(true);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'security.settings_changed'));
    expect(entry).toMatchObject({ actorId: adminUser.id, details: { from: { staffTwoFactorRequired: false }, to: { staffTwoFactorRequired: true } } });

    const refused = await call(t.app, { url: '/api/organizations', cookie: agentCookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.two_factor_required');
    expect((await call(t.app, { url: '/api/requests', cookie: agentCookie })).statusCode).toBe(403);
    const me = await call(t.app, { url: '/api/me', cookie: agentCookie });
    expect(me.statusCode).toBe(200);
    expect(me.json().twoFactor).toEqual({ enabled: false, required: true });
    expect((await call(t.app, { method: 'PATCH', url: '/api/me', cookie: agentCookie, body: { language: 'de' } })).statusCode).toBe(200);
    // Customers are not staff.
    expect((await call(t.app, { url: '/api/requests', cookie: customerCookie })).statusCode).toBe(200);

    const enrolled = await enroll(agentCookie);
    expect((await call(t.app, { url: '/api/organizations', cookie: enrolled.cookie })).statusCode).toBe(200);
    const disable = await post('/api/auth/two-factor/disable', { password: TEST_PASSWORD }, enrolled.cookie);
    expect(disable.statusCode).toBe(403);
    expect(disable.json().code).toBe('auth.two_factor_enforced');

    expect((await post('/api/auth/sign-out', {}, agentCookie)).statusCode).toBe(200);
    await call(t.app, { method: 'PATCH', url: '/api/admin/security-settings', cookie: adminCookie, body: { staffTwoFactorRequired: false } });
  });

  it('per organization: its members must enroll, other organizations’ need not; changing the flag is audited', async () => {
    freezeDate();
    const adminUser = await createUser(t, { role: 'admin' });
    const adminCookie = await login(t, adminUser.email);
    const strict = await createOrganization(t, 'Strict');
    const relaxed = await createOrganization(t, 'Relaxed');
    const member = await createUser(t, { organizationId: strict.id });
    const other = await createUser(t, { organizationId: relaxed.id });
    const memberCookie = await login(t, member.email);
    const otherCookie = await login(t, other.email);

    const flagged = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/organizations/${strict.id}/settings`,
      cookie: adminCookie,
      body: { twoFactorRequired: true },
    });
    expect(flagged.statusCode).toBe(200);
    expect(flagged.json()).toMatchObject({ twoFactorRequired: true, ownRequestsOnly: false });
    const bad = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/organizations/${strict.id}/settings`,
      cookie: adminCookie,
      body: { twoFactorRequired: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('twoFactorRequired');
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'organization.settings_changed'), eq(auditLog.targetId, strict.id)));
    expect(entry?.details).toEqual({ from: { twoFactorRequired: false }, to: { twoFactorRequired: true } });

    const refused = await call(t.app, { url: '/api/requests', cookie: memberCookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.two_factor_required');
    expect((await call(t.app, { url: '/api/me', cookie: memberCookie })).json().twoFactor).toEqual({ enabled: false, required: true });
    expect((await call(t.app, { url: '/api/requests', cookie: otherCookie })).statusCode).toBe(200);

    const enrolled = await enroll(memberCookie);
    expect((await call(t.app, { url: '/api/requests', cookie: enrolled.cookie })).statusCode).toBe(200);
  });

  it('leaves to the identity provider those whose domain signs in through single sign-on', async () => {
    const [ssoDomain, passwordDomain] = [`sso-${randomUUID().slice(0, 8)}.example`, `pw-${randomUUID().slice(0, 8)}.example`];
    const org = await createOrganization(t, 'Federated', [ssoDomain, passwordDomain]);
    await t.db.update(organization).set({ twoFactorRequired: true }).where(eq(organization.id, org.id));
    await t.db.insert(ssoProvider).values({
      id: randomUUID(),
      providerId: `federated-${randomUUID().slice(0, 8)}`,
      issuer: 'https://idp.example',
      domain: ssoDomain,
      organizationId: org.id,
      oidcConfig: '{}',
    });
    const federated = await createUser(t, { organizationId: org.id, email: `ana@${ssoDomain}` });
    const withPassword = await createUser(t, { organizationId: org.id, email: `ben@${passwordDomain}` });
    expect(await twoFactorStatus(t.db, federated.id)).toEqual({ enabled: false, required: false });
    expect(await twoFactorStatus(t.db, withPassword.id)).toEqual({ enabled: false, required: true });
    // A provider turned off gives the password back, and with it the obligation.
    await t.db.update(ssoProvider).set({ enabled: false }).where(eq(ssoProvider.domain, ssoDomain));
    expect(await twoFactorStatus(t.db, federated.id)).toEqual({ enabled: false, required: true });
  });

  it('lets only administrators read and change the security settings', async () => {
    const agentCookie = await login(t, (await createUser(t, { role: 'agent' })).email);
    expect((await call(t.app, { url: '/api/admin/security-settings', cookie: agentCookie })).statusCode).toBe(403);
    const adminCookie = await login(t, (await createUser(t, { role: 'admin' })).email);
    expect((await call(t.app, { url: '/api/admin/security-settings', cookie: adminCookie })).json()).toMatchObject({ staffTwoFactorRequired: false });
    const bad = await call(t.app, { method: 'PATCH', url: '/api/admin/security-settings', cookie: adminCookie, body: { staffTwoFactorRequired: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('staffTwoFactorRequired');
  });
});
