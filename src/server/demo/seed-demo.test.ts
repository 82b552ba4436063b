import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { PortalCatalog } from '#shared/catalog-api.ts';
import { desk, flexContractWindow, organization, project, user } from '../db/schema.ts';
import { call, createTestApp, login, type TestApp } from '../../../tests/support/test-app.ts';
import { deskIdsOfAgent } from '../features/catalog/catalog-rules.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed-demo.ts';

let t: TestApp;
beforeAll(async () => {
  // Still 31 December 2026 in UTC, already 1 January 2027 in Zurich: the demo's "this year" is Zurich's.
  t = await createTestApp({ clockStart: '2026-12-31T23:30:00Z' });
});
afterAll(async () => {
  await t.close();
});

const userId = async (email: string) => (await t.db.select({ id: user.id }).from(user).where(eq(user.email, email)))[0]!.id;
const orgId = async (name: string) => (await t.db.select({ id: organization.id }).from(organization).where(eq(organization.name, name)))[0]!.id;

describe('the demo data', () => {
  it('loads once into an empty database', async () => {
    expect(await seedDemo(t.ctx)).toBe(true);
    expect(await seedDemo(t.ctx)).toBe(false);
    expect(DEMO_USERS.map((u) => u.email)).toContain('consultant@guichet.demo');
    expect(await t.db.select().from(user)).toHaveLength(DEMO_USERS.length);
  });

  it('gives every desk an escalation matrix with contacts on the three levels, shown on the public page', async () => {
    const res = await call(t.app, { url: '/api/escalation' });
    expect(res.statusCode).toBe(200);
    const matrices = res.json().items as { levels: { level: number; contacts: unknown[]; whenToCall: { fr: string } }[] }[];
    expect(matrices).toHaveLength(2);
    for (const m of matrices) {
      expect(m.levels.map((l) => [l.level, l.contacts.length > 0, l.whenToCall.fr.length > 0])).toEqual([
        [1, true, true],
        [2, true, true],
        [3, true, true],
      ]);
    }
  });

  it('puts an agent on each desk, and no administrator on any', async () => {
    const desks = new Map((await t.db.select({ id: desk.id, slug: desk.slug }).from(desk)).map((d) => [d.slug, d.id]));
    expect(await deskIdsOfAgent(t.db, await userId('agent@guichet.demo'))).toEqual([desks.get('support')]);
    expect(await deskIdsOfAgent(t.db, await userId('consultant@guichet.demo'))).toEqual([desks.get('consulting')]);
    expect(await deskIdsOfAgent(t.db, await userId('admin@guichet.demo'))).toEqual([]);
    const [marc] = await t.db.select().from(user).where(eq(user.email, 'consultant@guichet.demo'));
    expect(marc).toMatchObject({ name: 'Marc Rochat', role: 'agent', organizationId: null });
  });

  it('gives Support and Consulting their own e-mail addresses, the request type left to the default', async () => {
    const rows = await t.db.select({ slug: desk.slug, inboundAddress: desk.inboundAddress, inboundRequestTypeId: desk.inboundRequestTypeId }).from(desk);
    expect(rows.filter((d) => d.slug === 'support' || d.slug === 'consulting').sort((a, b) => a.slug.localeCompare(b.slug))).toEqual([
      { slug: 'consulting', inboundAddress: 'consulting@guichet.localhost', inboundRequestTypeId: null },
      { slug: 'support', inboundAddress: 'support@guichet.localhost', inboundRequestTypeId: null },
    ]);
  });

  it('gives Alpina a project and a Flex contract from 1 January of this year (in Zurich) to the end of next year; Helvetia neither', async () => {
    const alpina = await orgId('Alpina Industrie SA');
    const helvetia = await orgId('Helvetia Logistik AG');
    expect(
      await t.db
        .select({ startsOn: flexContractWindow.startsOn, endsOn: flexContractWindow.endsOn })
        .from(flexContractWindow)
        .where(eq(flexContractWindow.organizationId, alpina)),
    ).toEqual([{ startsOn: '2027-01-01', endsOn: '2028-12-31' }]);
    expect(await t.db.select().from(flexContractWindow).where(eq(flexContractWindow.organizationId, helvetia))).toEqual([]);
    expect(
      await t.db.select({ name: project.name, code: project.code, status: project.status }).from(project).where(eq(project.organizationId, alpina)),
    ).toEqual([{ name: 'ERP migration 2027', code: 'ALP-MIG', status: 'active' }]);
    expect(await t.db.select().from(project).where(eq(project.organizationId, helvetia))).toEqual([]);
  });

  it('shows each customer the catalogue of their organization', async () => {
    const claire = await login(t, 'claire.dubois@alpina-industrie.ch', DEMO_PASSWORD);
    const alpina = (await call(t.app, { url: '/api/catalog', cookie: claire })).json() as PortalCatalog;
    expect(alpina.flexContractActive).toBe(true);
    expect(alpina.projects.map((p) => p.code)).toEqual(['ALP-MIG']);
    expect(alpina.desks.flatMap((d) => d.requestTypes).every((ty) => ty.available)).toBe(true);

    const jonas = await login(t, 'jonas.meier@helvetia-logistik.ch', DEMO_PASSWORD);
    const helvetia = (await call(t.app, { url: '/api/catalog', cookie: jonas })).json() as PortalCatalog;
    expect(helvetia.flexContractActive).toBe(false);
    expect(helvetia.projects).toEqual([]);
    expect(helvetia.desks.map((d) => d.name)).toEqual(['Support', 'Consulting-Anfragen']);
    expect(helvetia.desks[0]!.requestTypes.find((ty) => ty.slug === 'solva-flex')).toMatchObject({ available: false });
  });
});
