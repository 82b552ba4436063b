import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ssoProvider } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, loginAs, uniqueDomain, type TestApp } from '../../../../tests/support/test-app.ts';

const SECRET = 'a-very-secret-client-secret-6789';

/** Administrators configure identity providers; nobody else can, through Guichet's routes or better-auth's. */
describe('identity providers in the administration', () => {
  let t: TestApp;
  let admin: string;
  let agent: string;
  let customer: string;
  let org: { id: string; domains: string[] };
  const oidc = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'oidc',
    organizationId: org.id,
    domain: org.domains[0],
    issuer: 'https://login.example.com',
    clientId: 'guichet',
    clientSecret: SECRET,
    ...overrides,
  });
  const create = (body: unknown, cookie = admin) => call(t.app, { method: 'POST', url: '/api/admin/sso-providers', cookie, body });
  const auditOf = (id: string) =>
    t.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'sso_provider'), eq(auditLog.targetId, id)))
      .orderBy(asc(auditLog.at));

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await loginAs(t, 'admin')).cookie;
    agent = (await loginAs(t, 'agent')).cookie;
    org = await createOrganization(t, 'Initech', [uniqueDomain(), uniqueDomain()]);
    customer = (await loginAs(t, 'customer', org.id)).cookie;
  });
  afterAll(async () => t?.close());

  it('refuses agents, customers and anonymous callers', async () => {
    expect((await create(oidc(), agent)).statusCode).toBe(403);
    expect((await create(oidc(), customer)).statusCode).toBe(403);
    expect((await call(t.app, { method: 'POST', url: '/api/admin/sso-providers', body: oidc() })).statusCode).toBe(401);
    expect((await call(t.app, { url: '/api/admin/sso-providers', cookie: customer })).statusCode).toBe(403);
    expect((await call(t.app, { url: '/api/admin/sso-providers', cookie: agent })).statusCode).toBe(403);
    expect(await t.db.select().from(ssoProvider)).toEqual([]);
  });

  it('better-auth’s own provider registration is closed: not exposed, and refused even when called directly', async () => {
    const exposed = await call(t.app, {
      method: 'POST',
      url: '/api/auth/sso/register',
      cookie: admin,
      body: { providerId: 'mine', issuer: 'https://evil.example.com', domain: org.domains[0] },
    });
    expect(exposed.statusCode).toBe(404);
    const headers = new Headers({ cookie: customer });
    await expect(
      t.ctx.auth.api.registerSSOProvider({
        headers,
        body: {
          providerId: 'mine',
          issuer: 'https://evil.example.com',
          domain: org.domains[0]!,
          oidcConfig: { clientId: 'x', clientSecret: 'y', skipDiscovery: true },
        },
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    expect(await t.db.select().from(ssoProvider)).toEqual([]);
  });

  it('checks the configuration, naming the field at fault', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [oidc({ domain: uniqueDomain() }), 400, 'sso.domain_not_of_organization', 'domain'],
      [oidc({ domain: 'gmail.com' }), 400, 'sso.public_domain', 'domain'],
      [oidc({ forStaff: true }), 400, 'validation.custom', 'organizationId'],
      [oidc({ organizationId: null, forStaff: true, domain: org.domains[1] }), 400, 'sso.staff_domain_of_organization', 'domain'],
      [oidc({ clientSecret: undefined }), 400, 'validation.custom', 'clientSecret'],
      [oidc({ issuer: 'not a url' }), 400, 'validation.custom', 'issuer'],
      [
        { ...oidc({ protocol: 'saml', issuer: 'urn:idp' }), certificate: 'not a certificate', entryPoint: 'https://idp.example.com/sso' },
        400,
        'validation.invalid_format',
        'certificate',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await create(body);
      expect({ status: res.statusCode, code: res.json().code, field: res.json().field }, JSON.stringify(body)).toMatchObject({ status, field });
      if (!code.startsWith('validation.')) expect(res.json().code).toBe(code);
    }
  });

  it('creates, shows the secret by its last characters only, keeps it across changes, and audits every step', async () => {
    const created = await create(oidc());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toContain(SECRET);
    const provider = created.json();
    expect(provider).toMatchObject({
      protocol: 'oidc',
      organizationId: org.id,
      organizationName: 'Initech',
      forStaff: false,
      enabled: true,
      clientSecretHint: '…6789',
    });
    expect(provider.discoveryUrl).toBe('https://login.example.com/.well-known/openid-configuration');
    expect((await create(oidc())).statusCode).toBe(409);

    const list = await call(t.app, { url: `/api/admin/sso-providers?organizationId=${org.id}`, cookie: admin });
    expect(list.body).not.toContain(SECRET);
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([provider.id]);

    const renamed = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/sso-providers/${provider.id}`,
      cookie: admin,
      body: { clientId: 'guichet-2', enabled: false },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ clientId: 'guichet-2', enabled: false, clientSecretHint: '…6789' });
    const [stored] = await t.db.select().from(ssoProvider).where(eq(ssoProvider.id, provider.id));
    expect(JSON.parse(stored!.oidcConfig!).clientSecret).toBe(SECRET);

    const newSecret = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/sso-providers/${provider.id}`,
      cookie: admin,
      body: { clientSecret: 'another-secret-0000' },
    });
    expect(newSecret.json().clientSecretHint).toBe('…0000');
    const wrongProtocol = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/sso-providers/${provider.id}`,
      cookie: admin,
      body: { entryPoint: 'https://idp.example.com/sso' },
    });
    expect(wrongProtocol.json()).toMatchObject({ code: 'sso.field_of_other_protocol', field: 'entryPoint' });
    expect((await call(t.app, { method: 'PATCH', url: `/api/admin/sso-providers/${provider.id}`, cookie: agent, body: { enabled: true } })).statusCode).toBe(
      403,
    );

    expect((await call(t.app, { method: 'DELETE', url: `/api/admin/sso-providers/${provider.id}`, cookie: customer })).statusCode).toBe(403);
    expect((await call(t.app, { method: 'DELETE', url: `/api/admin/sso-providers/${provider.id}`, cookie: admin })).statusCode).toBe(204);
    expect((await call(t.app, { url: `/api/admin/sso-providers/${provider.id}`, cookie: admin })).json().code).toBe('sso_provider.not_found');

    const audit = await auditOf(provider.id);
    expect(audit.map((a) => a.action)).toEqual(['sso_provider.created', 'sso_provider.updated', 'sso_provider.updated', 'sso_provider.deleted']);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain('another-secret-0000');
    expect(audit[2]!.details).toMatchObject({ changes: { clientSecret: '(changed)' } });
  });

  it('a staff provider belongs to no organization and takes a domain no organization has', async () => {
    const res = await create(oidc({ organizationId: null, forStaff: true, domain: uniqueDomain() }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ forStaff: true, organizationId: null, organizationName: null });
  });
});
