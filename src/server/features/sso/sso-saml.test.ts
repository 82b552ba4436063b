import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { user } from '../../db/schema.ts';
import { makeSigningKey, samlIdp } from '../../../../tests/support/saml-idp.ts';
import { call, createOrganization, createTestApp, loginAs, randomIp, uniqueDomain, type TestApp } from '../../../../tests/support/test-app.ts';

/** Sign-in through a SAML 2.0 identity provider built with samlify: signed responses posted to Guichet's assertion consumer service. */
describe('single sign-on with SAML 2.0', () => {
  let t: TestApp;
  const domain = uniqueDomain();
  const idpEntityId = 'https://idp.example.org/saml';
  const entryPoint = 'https://idp.example.org/saml/sso';
  const key = makeSigningKey('idp.example.org');
  const idp = samlIdp({ entityId: idpEntityId, entryPoint, key });
  let organizationId: string;
  let provider: { id: string; callbackUrl: string; spEntityId: string };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await loginAs(t, 'admin');
    organizationId = (await createOrganization(t, 'Globex', [domain])).id;
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/admin/sso-providers',
      cookie: admin.cookie,
      body: { protocol: 'saml', organizationId, domain, issuer: idpEntityId, entryPoint, certificate: key.certificate },
    });
    expect(res.statusCode, res.body).toBe(201);
    provider = res.json();
  });
  afterAll(async () => t?.close());
  afterEach(() => vi.useRealTimers());

  /** The sign-in page's button: Guichet's authentication request, as the URL of the identity provider. */
  async function startSignIn(email: string) {
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sign-in/sso',
      body: { email, callbackURL: '/requests', errorCallbackURL: '/login' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect(res.statusCode, res.body).toBe(200);
    const url: string = res.json().url;
    expect(url.startsWith(`${entryPoint}?`)).toBe(true);
    return url;
  }

  /** The identity provider's auto-submitted form, cross-site, to the assertion consumer service. */
  async function post(form: { SAMLResponse: string; RelayState: string }) {
    const res = await t.app.inject({
      method: 'POST',
      url: new URL(provider.callbackUrl).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://idp.example.org', 'sec-fetch-site': 'cross-site' },
      payload: new URLSearchParams(form).toString(),
    });
    expect(res.statusCode, res.body).toBe(302);
    return { location: res.headers.location as string, cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
  }

  it('publishes Guichet’s service-provider metadata at its entity id, naming the assertion consumer service', async () => {
    const url = new URL(provider.spEntityId);
    expect(url.pathname).toBe('/api/auth/sso/saml2/sp/metadata');
    const res = await t.app.inject({ url: url.pathname + url.search });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.body).toContain(`entityID="${provider.spEntityId.replaceAll('&', '&amp;')}"`);
    expect(res.body).toContain(provider.callbackUrl);
    expect((await t.app.inject({ url: '/api/auth/sso/saml2/sp/metadata?providerId=saml-unknown' })).statusCode).toBe(404);
  });

  const valid = { spEntityId: '', acsUrl: '' };
  it('a signed response for Guichet signs the user in and provisions them into the domain’s organization', async () => {
    Object.assign(valid, { spEntityId: provider.spEntityId, acsUrl: provider.callbackUrl });
    const email = `jane@${domain}`;
    const { location, cookie } = await post(await idp.respond(await startSignIn(email), { email, ...valid }));
    expect(location).toBe('/requests');
    expect((await call(t.app, { url: '/api/me', cookie })).json()).toMatchObject({ email, role: 'customer' });
    const [created] = await t.db.select().from(user).where(eq(user.email, email));
    expect(created).toMatchObject({ organizationId, role: 'customer', emailVerified: true });
  });

  const refusedWithoutAccount = async (email: string, answer: () => Promise<{ SAMLResponse: string; RelayState: string }>) => {
    const { location, cookie } = await post(await answer());
    expect(location).toMatch(/[?&]error=/);
    expect((await call(t.app, { url: '/api/me', cookie })).statusCode).toBe(401);
    expect(await t.db.select().from(user).where(eq(user.email, email))).toEqual([]);
    return location;
  };

  it('refuses an unsigned response', async () => {
    const email = `unsigned@${domain}`;
    const url = await startSignIn(email);
    expect(await refusedWithoutAccount(email, () => idp.respond(url, { email, ...valid, signed: false }))).toMatch(/signature\+is\+required/);
  });

  it('refuses an assertion for another audience', async () => {
    const email = `audience@${domain}`;
    const url = await startSignIn(email);
    expect(
      await refusedWithoutAccount(email, () => idp.respond(url, { email, spEntityId: 'https://other-service.example.com/saml', acsUrl: valid.acsUrl })),
    ).toMatch(/audience\+does\+not\+match/);
  });

  it('refuses an expired assertion', async () => {
    const email = `expired@${domain}`;
    const url = await startSignIn(email);
    // Made two hours ago by the identity provider's clock: long past its validity (and the allowed clock skew).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 2 * 3600_000);
    const old = await idp.respond(url, { email, ...valid });
    vi.useRealTimers();
    await refusedWithoutAccount(email, async () => old);
  });

  it('refuses a response signed with another key than the configured certificate', async () => {
    const email = `forged@${domain}`;
    const url = await startSignIn(email);
    const forger = samlIdp({ entityId: idpEntityId, entryPoint, key: makeSigningKey('attacker.example') });
    await refusedWithoutAccount(email, () => forger.respond(url, { email, ...valid }));
  });

  it('refuses a signed identity outside the provider’s domain', async () => {
    const email = `ceo@${uniqueDomain()}`;
    const url = await startSignIn(`someone@${domain}`);
    expect(await refusedWithoutAccount(email, () => idp.respond(url, { email, ...valid }))).toMatch(/error=SSO_EMAIL_OUTSIDE_DOMAIN/);
  });

  it('refuses a response replayed after it was used', async () => {
    const email = `replay@${domain}`;
    const response = await idp.respond(await startSignIn(email), { email, ...valid });
    expect((await post(response)).location).toBe('/requests');
    const again = await post(response);
    expect(again.location).toMatch(/[?&]error=/);
    expect((await call(t.app, { url: '/api/me', cookie: again.cookie })).statusCode).toBe(401);
  });
});
