import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, organization, organizationDomain } from '../../db/schema.ts';
import { encodeCursor } from '../../db/keyset.ts';
import { call, createOrganization, createTestApp, createUser, loginAs, uniqueDomain, type TestApp } from '../../../../tests/support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const post = (body: unknown) => call(t.app, { method: 'POST', url: '/api/admin/organizations', cookie: admin.cookie, body });
const patch = (id: string, body: unknown) => call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${id}`, cookie: admin.cookie, body });
const get = (url: string) => call(t.app, { url, cookie: admin.cookie });
const auditsOf = (id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'organization'), eq(auditLog.targetId, id)));
const orgsNamed = (name: string) => t.db.select().from(organization).where(eq(organization.name, name));

describe('creating an organization', () => {
  it('stores the domains in lower case without duplicates, and audits who did it', async () => {
    const domain = uniqueDomain();
    const other = uniqueDomain();
    const res = await post({ name: '  Acme SA ', domains: [domain.toUpperCase(), domain, other] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'Acme SA', domains: [domain, other].sort(), userCount: 0, createdAt: t.clock.now().toISOString() });

    const domains = await t.db.select().from(organizationDomain).where(eq(organizationDomain.organizationId, body.id));
    expect(domains.map((d) => d.domain).sort()).toEqual([domain, other].sort());
    const audits = await auditsOf(body.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'organization.created', actorId: admin.id, details: { name: 'Acme SA', domains: [domain, other].sort() } });
  });

  it('refuses a public mail domain, naming the field, and writes nothing', async () => {
    const name = `Public ${randomUUID()}`;
    const res = await post({ name, domains: [uniqueDomain(), 'gmail.com'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'organization.public_domain', field: 'domains' });
    expect(await orgsNamed(name)).toHaveLength(0);
    const bluewin = await post({ name, domains: ['Bluewin.ch'] });
    expect(bluewin.json()).toMatchObject({ code: 'organization.public_domain', field: 'domains' });
  });

  it('refuses a domain that belongs to another organization, and writes nothing', async () => {
    const owner = await createOrganization(t, 'Owner');
    const name = `Taken ${randomUUID()}`;
    const fresh = uniqueDomain();
    const res = await post({ name, domains: [fresh, owner.domains[0]] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'organization.domain_taken', field: 'domains' });
    expect(await orgsNamed(name)).toHaveLength(0);
    expect(await t.db.select().from(organizationDomain).where(eq(organizationDomain.domain, fresh))).toHaveLength(0);
  });

  it('gives a domain to exactly one of several organizations created at the same time', async () => {
    const domain = uniqueDomain();
    const name = `Race ${randomUUID()}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => post({ name, domains: [domain] })));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) {
      expect(r.json()).toMatchObject({ code: 'organization.domain_taken', field: 'domains' });
    }
    expect(await orgsNamed(name)).toHaveLength(1);
  });

  it('refuses malformed input naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: '', domains: [] }, 'name'],
      [{ name: 'X', domains: ['not a domain'] }, 'domains.0'],
      [{ name: 'X', domains: [uniqueDomain()], extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
    }
  });
});

describe('reading organizations', () => {
  it('returns one organization with its domains and user count; an unknown one is a 404', async () => {
    const org = await createOrganization(t, 'Counted', [uniqueDomain(), uniqueDomain()]);
    await createUser(t, { organizationId: org.id });
    await createUser(t, { organizationId: org.id });
    const res = await get(`/api/admin/organizations/${org.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: org.id, name: 'Counted', domains: [...org.domains].sort(), userCount: 2 });

    const missing = await get(`/api/admin/organizations/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('organization.not_found');
    expect((await get('/api/admin/organizations/not-a-uuid')).json().field).toBe('id');
  });

  it('searches by name or domain, and pages through every match exactly once', async () => {
    const tag = randomUUID().slice(0, 8);
    const expected = new Set<string>();
    // Some rows stamped by the (frozen) test clock, some by the database's now() with microseconds.
    for (let i = 0; i < 4; i++) expected.add((await post({ name: `Paged ${tag} ${i}`, domains: [] })).json().id);
    for (let i = 4; i < 7; i++) expected.add((await createOrganization(t, `Paged ${tag} ${i}`, [])).id);
    const byDomain = await createOrganization(t, 'Found by domain', [`mail-${tag}.example`]);
    expected.add(byDomain.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/admin/organizations?limit=3&q=${tag}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; createdAt: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen)).toEqual(expected);

    const domainSearch = await get(`/api/admin/organizations?q=MAIL-${tag}`);
    expect(domainSearch.json().items.map((o: { id: string }) => o.id)).toEqual([byDomain.id]);
    // LIKE wildcards in the search are taken literally.
    expect((await get(`/api/admin/organizations?q=${encodeURIComponent('%')}`)).json().items).toEqual([]);
  });

  it('refuses a malformed cursor', async () => {
    const bad = [
      'not base64!',
      Buffer.from('no-separator').toString('base64url'),
      encodeCursor({ at: 'yesterday', id: randomUUID() }),
      encodeCursor({ at: '2026-02-30T10:00:00.000Z', id: randomUUID() }),
      encodeCursor({ at: '2026-01-05T10:00:00.000Z', id: 'not-a-uuid' }),
    ];
    for (const cursor of bad) {
      const res = await get(`/api/admin/organizations?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().field).toBe('cursor');
    }
  });
});

describe('updating an organization', () => {
  it('renames and replaces the set of domains, auditing only what changed', async () => {
    const [kept, dropped] = [uniqueDomain(), uniqueDomain()];
    const org = await createOrganization(t, 'Before', [kept, dropped]);
    const added = uniqueDomain();
    const res = await patch(org.id, { name: 'After', domains: [added, kept, added] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: org.id, name: 'After', domains: [added, kept].sort() });
    const rows = await t.db.select().from(organizationDomain).where(eq(organizationDomain.organizationId, org.id));
    expect(rows.map((r) => r.domain).sort()).toEqual([added, kept].sort());

    const [audit] = await auditsOf(org.id);
    expect(audit).toMatchObject({
      action: 'organization.updated',
      actorId: admin.id,
      details: { from: { name: 'Before', domains: [kept, dropped].sort() }, to: { name: 'After', domains: [added, kept].sort() } },
    });

    // The dropped domain is free for another organization.
    expect((await post({ name: 'Next owner', domains: [dropped] })).statusCode).toBe(201);

    const renamed = await patch(org.id, { name: 'After again', domains: [kept, added] });
    expect(renamed.statusCode).toBe(200);
    const audits = await auditsOf(org.id);
    expect(audits).toHaveLength(2);
    expect(audits.find((a) => (a.details as { to: { name?: string } }).to.name === 'After again')?.details).toEqual({
      from: { name: 'After' },
      to: { name: 'After again' },
    });

    // Nothing changed: nothing audited.
    expect((await patch(org.id, { name: 'After again' })).statusCode).toBe(200);
    expect(await auditsOf(org.id)).toHaveLength(2);
  });

  it('refuses a taken or public domain and an unknown organization, changing nothing', async () => {
    const other = await createOrganization(t, 'Other');
    const org = await createOrganization(t, 'Mine');
    const taken = await patch(org.id, { name: 'Renamed', domains: [uniqueDomain(), other.domains[0]] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'organization.domain_taken', field: 'domains' });
    const pub = await patch(org.id, { name: 'Renamed', domains: ['outlook.com'] });
    expect(pub.statusCode).toBe(400);
    expect(pub.json()).toMatchObject({ code: 'organization.public_domain', field: 'domains' });

    const [row] = await t.db.select().from(organization).where(eq(organization.id, org.id));
    expect(row?.name).toBe('Mine');
    const domains = await t.db
      .select()
      .from(organizationDomain)
      .where(inArray(organizationDomain.organizationId, [org.id]));
    expect(domains.map((d) => d.domain)).toEqual(org.domains);
    expect(await auditsOf(org.id)).toHaveLength(0);

    const missing = await patch(randomUUID(), { name: 'Ghost' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('organization.not_found');
  });
});
