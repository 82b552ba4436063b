import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalCatalog } from '#shared/catalog-api.ts';
import type { Language, Role } from '#shared/domain.ts';
import { flexContractWindow, project } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, createUser, login, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';

const NOW = '2026-06-15T10:00:00Z';
let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: NOW });
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

async function person(role: Role, language: Language, organizationId: string | null = null) {
  const u = await createUser(t, { role, language, organizationId });
  return { ...u, cookie: await login(t, u.email) };
}
const catalog = (cookie: string, query = '') => call(t.app, { url: `/api/catalog${query}`, cookie });
const addWindow = (organizationId: string, startsOn: string, endsOn: string) => t.db.insert(flexContractWindow).values({ organizationId, startsOn, endsOn });
const typeOf = (body: PortalCatalog, slug: string) => body.desks.flatMap((d) => d.requestTypes).find((ty) => ty.slug === slug)!;
const baseDesks = (body: PortalCatalog) => body.desks.filter((d) => d.slug === 'support' || d.slug === 'consulting');

describe('the portal catalogue of a customer', () => {
  it("opens Solva Flex while the organization's Flex contract is active, in the customer's language", async () => {
    const org = await createOrganization(t, 'Alpina');
    await addWindow(org.id, '2026-01-01', '2027-12-31');
    const claire = await person('customer', 'fr', org.id);
    const res = await catalog(claire.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json() as PortalCatalog;
    expect(body.flexContractActive).toBe(true);
    expect(baseDesks(body).map((d) => [d.slug, d.name, d.requestTypes.map((ty) => ty.slug)])).toEqual([
      ['support', 'Support', ['assistance', 'solva-flex']],
      ['consulting', 'Demandes Consulting', ['project-request']],
    ]);
    expect(body.desks[0]!.description).toMatch(/dysfonctionnement du progiciel standard/);
    expect(typeOf(body, 'solva-flex')).toMatchObject({
      name: 'Solva Flex',
      available: true,
      unavailableReason: null,
      requiresFlexContract: true,
      underSla: true,
    });
    expect(typeOf(body, 'solva-flex').description).toMatch(/solde Flex/);
    expect(typeOf(body, 'project-request')).toMatchObject({ name: 'Demande de projet', requiresProject: true, underSla: false, available: true });
    expect(typeOf(body, 'assistance')).toMatchObject({ name: 'Assistance', available: true, unavailableReason: null });
  });

  it('closes Solva Flex, saying why, when no window covers today; past and future windows do not count', async () => {
    const org = await createOrganization(t, 'Helvetia');
    await addWindow(org.id, '2025-01-01', '2026-06-14');
    await addWindow(org.id, '2026-06-16', '2026-12-31');
    const jonas = await person('customer', 'de', org.id);
    const body = (await catalog(jonas.cookie)).json() as PortalCatalog;
    expect(body.flexContractActive).toBe(false);
    expect(typeOf(body, 'solva-flex')).toMatchObject({
      available: false,
      unavailableReason: 'Nur verfügbar, solange der Flex-Vertrag Ihrer Organisation aktiv ist – heute ist das nicht der Fall.',
    });
    expect(typeOf(body, 'assistance').available).toBe(true);
    expect(baseDesks(body).map((d) => d.name)).toEqual(['Support', 'Consulting-Anfragen']);
    expect(typeOf(body, 'project-request').name).toBe('Projektanfrage');

    // The next day, in Zurich, the second window has begun (22:30 UTC is 00:30 on 16 June in summer).
    t.clock.set('2026-06-15T22:30:00Z');
    try {
      const next = (await catalog(jonas.cookie)).json() as PortalCatalog;
      expect(next.flexContractActive).toBe(true);
      expect(typeOf(next, 'solva-flex')).toMatchObject({ available: true, unavailableReason: null });
    } finally {
      t.clock.set(NOW);
    }
  });

  it('speaks English to an English-speaking customer, Flex contract or not', async () => {
    const org = await createOrganization(t);
    const u = await person('customer', 'en', org.id);
    const body = (await catalog(u.cookie)).json() as PortalCatalog;
    expect(baseDesks(body).map((d) => d.name)).toEqual(['Support', 'Consulting requests']);
    expect(typeOf(body, 'project-request').name).toBe('Project request');
    expect(typeOf(body, 'solva-flex').unavailableReason).toBe('Only available while your organization’s Flex contract is active, which it is not today.');
  });

  it("lists only the organization's active projects, by name", async () => {
    const org = await createOrganization(t);
    const other = await createOrganization(t);
    await t.db.insert(project).values([
      { organizationId: org.id, name: 'Zeta rollout', code: null },
      { organizationId: org.id, name: 'ERP migration 2027', code: 'ALP-MIG' },
      { organizationId: org.id, name: 'Old project', code: 'OLD', status: 'closed' },
      { organizationId: other.id, name: 'Not ours', code: 'NO' },
    ]);
    const u = await person('customer', 'fr', org.id);
    const body = (await catalog(u.cookie)).json() as PortalCatalog;
    expect(body.projects.map((p) => [p.name, p.code])).toEqual([
      ['ERP migration 2027', 'ALP-MIG'],
      ['Zeta rollout', null],
    ]);
    expect(body.projects[0]).toEqual({ id: expect.any(String), name: 'ERP migration 2027', code: 'ALP-MIG' });
  });

  it('accepts its own organizationId, refuses another, and refuses a customer without organization', async () => {
    const org = await createOrganization(t);
    const other = await createOrganization(t);
    const u = await person('customer', 'fr', org.id);
    expect((await catalog(u.cookie, `?organizationId=${org.id}`)).statusCode).toBe(200);
    const foreign = await catalog(u.cookie, `?organizationId=${other.id}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'catalog.organization_not_allowed', field: 'organizationId' });
    expect(foreign.body).not.toContain('requestTypes');

    const stray = await person('customer', 'fr', null);
    const res = await catalog(stray.cookie);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'organization.required' });
  });
});

describe('the portal catalogue for staff', () => {
  it('needs the organization, and shows what that organization may open', async () => {
    const org = await createOrganization(t);
    await t.db.insert(project).values({ organizationId: org.id, name: 'Rollout', code: 'R-1' });
    const agent = await person('agent', 'en');

    const missing = await catalog(agent.cookie);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'catalog.organization_required', field: 'organizationId' });
    const unknown = await catalog(agent.cookie, `?organizationId=${randomUUID()}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'organization.not_found', field: 'organizationId' });
    expect((await catalog(agent.cookie, '?organizationId=nope')).json().field).toBe('organizationId');

    const body = (await catalog(agent.cookie, `?organizationId=${org.id}`)).json() as PortalCatalog;
    expect(body.projects.map((p) => p.code)).toEqual(['R-1']);
    expect(typeOf(body, 'solva-flex')).toMatchObject({ available: false, unavailableReason: 'This organization’s Flex contract is not active today.' });

    await addWindow(org.id, '2026-06-15', '2026-06-15');
    const adminView = (await catalog(admin.cookie, `?organizationId=${org.id}`)).json() as PortalCatalog;
    expect(adminView.flexContractActive).toBe(true);
    expect(typeOf(adminView, 'solva-flex').available).toBe(true);
  });
});

describe('what the catalogue leaves out', () => {
  const adminCall = (method: 'POST' | 'PATCH', url: string, body: unknown) => call(t.app, { method, url: `/api${url}`, cookie: admin.cookie, body });
  const texts = (label: string) => ({ fr: `${label} (fr)`, de: `${label} (de)`, en: `${label} (en)` });

  it('hides inactive desks, inactive request types, and desks with no active request type', async () => {
    const org = await createOrganization(t);
    const u = await person('customer', 'en', org.id);
    const slugs = async () => {
      const body = (await catalog(u.cookie)).json() as PortalCatalog;
      return body.desks.map((d) => `${d.slug}:${d.requestTypes.map((ty) => ty.slug).join(',')}`);
    };

    const extra = (
      await adminCall('POST', '/admin/desks', { slug: 'training', keyPrefix: 'TRN', names: texts('Training'), descriptions: texts('Courses'), position: 50 })
    ).json();
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'consulting:project-request']);

    const course = (
      await adminCall('POST', '/admin/request-types', { deskId: extra.id, slug: 'course', names: texts('Course'), descriptions: texts('A course') })
    ).json();
    const visit = (
      await adminCall('POST', '/admin/request-types', { deskId: extra.id, slug: 'visit', names: texts('Visit'), descriptions: texts('A visit'), position: 5 })
    ).json();
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'consulting:project-request', 'training:course,visit']);
    const body = (await catalog(u.cookie)).json() as PortalCatalog;
    expect(body.desks[2]).toMatchObject({ name: 'Training (en)', description: 'Courses (en)' });

    await adminCall('PATCH', `/admin/request-types/${visit.id}`, { active: false });
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'consulting:project-request', 'training:course']);
    await adminCall('PATCH', `/admin/desks/${extra.id}`, { position: 5, slug: 'aaa-training' });
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'aaa-training:course', 'consulting:project-request']);
    await adminCall('PATCH', `/admin/desks/${extra.id}`, { active: false });
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'consulting:project-request']);
    await adminCall('PATCH', `/admin/desks/${extra.id}`, { active: true });
    await adminCall('PATCH', `/admin/request-types/${course.id}`, { active: false });
    expect(await slugs()).toEqual(['support:assistance,solva-flex', 'consulting:project-request']);
  });
});
