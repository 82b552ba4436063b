import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, organizationDomain, user } from '../../db/schema.ts';
import { freePort } from '../../../../tests/support/free-port.ts';
import { authorizeAtIdp, CookieJar, startOidcIdp, type IdpAccount } from '../../../../tests/support/oidc-idp.ts';
import {
  call,
  createOrganization,
  createTestApp,
  createUser,
  login,
  loginAs,
  randomIp,
  uniqueDomain,
  type TestApp,
} from '../../../../tests/support/test-app.ts';

/** Sign-in through a real OpenID provider (oidc-provider on 127.0.0.1), the whole authorization-code flow over HTTP. */
describe('single sign-on with OpenID Connect', () => {
  let t: TestApp;
  let idp: Awaited<ReturnType<typeof startOidcIdp>>;
  let adminCookie: string;
  const accounts: Record<string, IdpAccount> = {};
  const customerDomain = uniqueDomain();
  const staffDomain = uniqueDomain();
  let organizationId: string;
  let issuer: string;
  let customerProvider: { id: string; callbackUrl: string };
  let staffProvider: { id: string; callbackUrl: string };

  beforeAll(async () => {
    // The provider's redirect URIs are known once Guichet has the providers: its port is chosen first.
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { SSO_PRIVATE_IDP_ORIGINS: issuer } });
    adminCookie = (await loginAs(t, 'admin')).cookie;
    organizationId = (await createOrganization(t, 'Acme', [customerDomain])).id;
    customerProvider = await configure({
      protocol: 'oidc',
      organizationId,
      domain: customerDomain,
      issuer,
      clientId: 'guichet',
      clientSecret: 'client-secret-0123456789',
    });
    staffProvider = await configure({
      protocol: 'oidc',
      organizationId: null,
      forStaff: true,
      domain: staffDomain,
      issuer,
      clientId: 'guichet',
      clientSecret: 'client-secret-0123456789',
    });
    idp = await startOidcIdp({
      port,
      clientId: 'guichet',
      clientSecret: 'client-secret-0123456789',
      redirectUris: [customerProvider.callbackUrl, staffProvider.callbackUrl],
      accounts,
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  async function configure(body: Record<string, unknown>) {
    const res = await call(t.app, { method: 'POST', url: '/api/admin/sso-providers', cookie: adminCookie, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; callbackUrl: string; providerId: string };
  }

  /** The browser: the sign-in page's button, the identity provider's forms, the way back; returns the app's last answer and its cookies. */
  async function signInThroughIdp(email: string, idpLogin: string) {
    const jar = new CookieJar();
    const start = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/sso',
      body: { email, callbackURL: '/requests', errorCallbackURL: '/login' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(start.statusCode, start.body).toBe(200);
    jar.store(start.cookies.map((c) => `${c.name}=${c.value}`));
    const back = new URL(await authorizeAtIdp(start.json().url, idpLogin));
    const done = await call(t.app, { url: back.pathname + back.search, cookie: jar.header() });
    expect(done.statusCode, done.body).toBe(302);
    jar.store(done.cookies.map((c) => `${c.name}=${c.value}`));
    return { location: done.headers.location as string, cookie: jar.header() };
  }

  it('an administrator configures the organization domain’s provider; the redirect URI to give the provider is in the answer', async () => {
    expect(customerProvider.callbackUrl).toMatch(/^http:\/\/localhost:3000\/api\/auth\/sso\/callback\/oidc-/);
    const lookup = await call(t.app, { url: `/api/sso/lookup?email=${encodeURIComponent(`someone@${customerDomain.toUpperCase()}`)}` });
    expect(lookup.json()).toEqual({ sso: true });
  });

  it('a new user of the domain signs in through the provider and is created as a customer of the organization, address verified', async () => {
    const email = `new.customer@${customerDomain}`;
    accounts.newcustomer = { email, name: 'New Customer' };
    const { location, cookie } = await signInThroughIdp(email, 'newcustomer');
    expect(location).toBe('/requests');
    const me = await call(t.app, { url: '/api/me', cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, role: 'customer' });
    const [created] = await t.db.select().from(user).where(eq(user.email, email));
    expect(created).toMatchObject({ role: 'customer', organizationId, emailVerified: true });
  });

  it('an existing password account of the domain is linked by its address: the same user, its password kept', async () => {
    const existing = await createUser(t, { email: `existing@${customerDomain}`, organizationId });
    accounts.existing = { email: existing.email, name: 'Someone Else' };
    const { cookie } = await signInThroughIdp(existing.email, 'existing');
    expect((await call(t.app, { url: '/api/me', cookie })).json()).toMatchObject({ id: existing.id, role: 'customer' });
    const providers = (await t.db.select({ providerId: account.providerId }).from(account).where(eq(account.userId, existing.id)))
      .map((a) => a.providerId)
      .sort();
    expect(providers).toEqual(['credential', expect.stringMatching(/^oidc-/)]);
    // The password stays, but the domain signs in through its provider only (its offboarding holds here).
    const byPassword = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/email',
      body: { email: existing.email, password: existing.password },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(byPassword.statusCode).toBe(403);
    expect(byPassword.json()).toMatchObject({ code: 'auth.sso_required', field: 'email' });
    const signUp = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-up/email',
      body: { name: 'Newbie', email: `newbie@${customerDomain}`, password: existing.password, language: 'en', callbackURL: '/verify-email/done' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(signUp.json()).toMatchObject({ code: 'auth.sso_required' });
  });

  it('a customer account without an organization joins the domain’s on signing in; none joins once the domain has left it', async () => {
    const loose = await createUser(t, { email: `loose@${customerDomain}`, organizationId: null });
    accounts.loose = { email: loose.email, name: 'Loose' };
    await signInThroughIdp(loose.email, 'loose');
    const [joined] = await t.db.select({ organizationId: user.organizationId }).from(user).where(eq(user.id, loose.id));
    expect(joined?.organizationId).toBe(organizationId);

    // An administrator gives the domain to another organization: the provider no longer places anyone in Acme.
    const other = await createOrganization(t, 'Other', []);
    await t.db.update(organizationDomain).set({ organizationId: other.id }).where(eq(organizationDomain.domain, customerDomain));
    try {
      const email = `after.move@${customerDomain}`;
      accounts.aftermove = { email, name: 'After Move' };
      await signInThroughIdp(email, 'aftermove');
      const [created] = await t.db.select({ organizationId: user.organizationId }).from(user).where(eq(user.email, email));
      expect(created?.organizationId).toBeNull();
    } finally {
      await t.db.update(organizationDomain).set({ organizationId }).where(eq(organizationDomain.domain, customerDomain));
    }
  });

  it('refuses an identity the provider asserts for an address outside its domain, and creates nobody', async () => {
    const outsider = `boss@${uniqueDomain()}`;
    accounts.outsider = { email: outsider, name: 'Outsider' };
    const { location, cookie } = await signInThroughIdp(`x@${customerDomain}`, 'outsider');
    expect(location).toMatch(/^\/login\?error=SSO_EMAIL_OUTSIDE_DOMAIN/);
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(401);
    expect(await t.db.select().from(user).where(eq(user.email, outsider))).toEqual([]);
  });

  it('never signs a staff account in through a customer provider', async () => {
    const agent = await createUser(t, { role: 'agent', email: `agent@${customerDomain}` });
    accounts.agentatcustomer = { email: agent.email, name: 'Agent' };
    const { location } = await signInThroughIdp(agent.email, 'agentatcustomer');
    expect(location).toMatch(/error=SSO_NOT_A_CUSTOMER_ACCOUNT/);
  });

  it('refuses a customer whom an administrator placed in another organization, and a deactivated account', async () => {
    const elsewhere = await createOrganization(t, 'Elsewhere', []);
    const moved = await createUser(t, { email: `moved@${customerDomain}`, organizationId: elsewhere.id });
    accounts.moved = { email: moved.email, name: 'Moved' };
    expect((await signInThroughIdp(moved.email, 'moved')).location).toMatch(/error=SSO_OTHER_ORGANIZATION/);

    const banned = await createUser(t, { email: `banned@${customerDomain}`, organizationId });
    await t.db.update(user).set({ banned: true }).where(eq(user.id, banned.id));
    accounts.banned = { email: banned.email, name: 'Banned' };
    const refused = await signInThroughIdp(banned.email, 'banned');
    expect(refused.location).toMatch(/error=/);
    expect((await call(t.app, { url: '/api/me', cookie: refused.cookie })).statusCode).toBe(401);
  });

  it('a staff provider signs in existing staff, role unchanged, and refuses to create anyone', async () => {
    const agent = await createUser(t, { role: 'agent', email: `agent@${staffDomain}` });
    accounts.staffagent = { email: agent.email, name: 'Agent' };
    const signedIn = await signInThroughIdp(agent.email, 'staffagent');
    expect(signedIn.location).toBe('/requests');
    expect((await call(t.app, { url: '/api/me', cookie: signedIn.cookie })).json()).toMatchObject({ id: agent.id, role: 'agent' });

    const stranger = `newcomer@${staffDomain}`;
    accounts.stranger = { email: stranger, name: 'Newcomer' };
    const refused = await signInThroughIdp(stranger, 'stranger');
    expect(refused.location).toMatch(/error=SSO_STAFF_ACCOUNT_REQUIRED/);
    expect(await t.db.select().from(user).where(eq(user.email, stranger))).toEqual([]);

    // A customer account at the vendor's domain gains nothing from it either.
    const customer = await createUser(t, { role: 'customer', email: `customer@${staffDomain}` });
    accounts.vendorcustomer = { email: customer.email, name: 'Customer' };
    expect((await signInThroughIdp(customer.email, 'vendorcustomer')).location).toMatch(/error=SSO_STAFF_ACCOUNT_REQUIRED/);
    const [after] = await t.db
      .select({ role: user.role })
      .from(user)
      .where(and(eq(user.id, customer.id)));
    expect(after?.role).toBe('customer');
  });

  it('a turned-off provider is not offered and cannot be started; its domain signs in with the password', async () => {
    const res = await call(t.app, { method: 'PATCH', url: `/api/admin/sso-providers/${customerProvider.id}`, cookie: adminCookie, body: { enabled: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call(t.app, { url: `/api/sso/lookup?email=a@${customerDomain}` })).json()).toEqual({ sso: false });
    const start = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/sso',
      body: { email: `a@${customerDomain}`, callbackURL: '/' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(start.statusCode).toBe(404);
    expect(start.json()).toMatchObject({ code: 'sso.no_provider', field: 'email' });
    await login(t, `existing@${customerDomain}`);
  });

  it('sends the user back only to a path of the portal', async () => {
    for (const callbackURL of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const res = await call(t.app, {
        method: 'POST',
        url: '/api/auth/sign-in/sso',
        body: { email: `a@${customerDomain}`, callbackURL },
        headers: { 'x-forwarded-for': randomIp() },
      });
      expect(res.statusCode, callbackURL).toBe(400);
      expect(res.json().field).toBe('callbackURL');
    }
  });

  it('a domain without a provider keeps the password sign-in', async () => {
    const plain = await createUser(t, { email: `user@${uniqueDomain()}` });
    expect((await call(t.app, { url: `/api/sso/lookup?email=${plain.email}` })).json()).toEqual({ sso: false });
    expect(
      (
        await call(t.app, {
          method: 'POST',
          url: '/api/auth/sign-in/sso',
          body: { email: plain.email, callbackURL: '/' },
          headers: { 'x-forwarded-for': randomIp() },
        })
      ).statusCode,
    ).toBe(404);
    await login(t, plain.email);
  });
});
