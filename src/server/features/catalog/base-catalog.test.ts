import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { desk, requestType, slaPolicy } from '../../db/schema.ts';
import { createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { BASE_CATALOG, ensureBaseCatalog } from './base-catalog.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const snapshot = async () => ({
  desks: await t.db.select().from(desk).orderBy(asc(desk.slug)),
  types: await t.db.select().from(requestType).orderBy(asc(requestType.slug)),
});

describe('the base catalogue', () => {
  it('is in every new database: two desks and three request types', async () => {
    const { desks, types } = await snapshot();
    expect(desks.map((d) => [d.slug, d.keyPrefix, d.nextNumber, d.active])).toEqual([
      ['consulting', 'CON', 1, true],
      ['support', 'SUP', 1, true],
    ]);
    const deskOf = new Map(desks.map((d) => [d.id, d.slug]));
    expect(types.map((ty) => [deskOf.get(ty.deskId), ty.slug, ty.names.fr, ty.underSla, ty.requiresFlexContract, ty.requiresProject, ty.active])).toEqual([
      ['support', 'assistance', 'Assistance', true, false, false, true],
      ['consulting', 'project-request', 'Demande de projet', false, false, true, true],
      ['support', 'solva-flex', 'Solva Flex', true, true, false, true],
    ]);
  });

  it('is left alone once any desk exists, even if administrators changed it', async () => {
    const before = await snapshot();
    expect(await ensureBaseCatalog(t.db)).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('is inserted into a database without desks, once, even by instances starting together', async () => {
    // Emptied here, in this file's own database: only the seeded SLA policies refer to the types yet.
    await t.db.delete(slaPolicy);
    await t.db.delete(requestType);
    await t.db.delete(desk);
    const results = await Promise.all([1, 2, 3].map(() => ensureBaseCatalog(t.db)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const { desks, types } = await snapshot();
    expect(desks.map((d) => d.slug)).toEqual(['consulting', 'support']);
    expect(types).toHaveLength(BASE_CATALOG.flatMap((d) => d.requestTypes).length);
  });
});
