import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, desk, deskMember, requestType } from '../../db/schema.ts';
import { call, createTestApp, createUser, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { deskIdsOfAgent } from './catalog-rules.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown) => call(t.app, { method, url: `/api${url}`, cookie: admin.cookie, body });
const auditsOf = (targetType: string, id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, id)));
const deskRow = async (id: string) => (await t.db.select().from(desk).where(eq(desk.id, id)))[0]!;

/** Two to six letters, unique within this file's database. */
const usedPrefixes = new Set(['SUP', 'CON']);
function uniquePrefix(): string {
  for (;;) {
    const p = Array.from({ length: 5 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
    if (!usedPrefixes.has(p)) {
      usedPrefixes.add(p);
      return p;
    }
  }
}
const uniqueSlug = (base = 'desk') => `${base}-${randomUUID().slice(0, 8)}`;
const texts = (label: string) => ({ fr: `${label} fr`, de: `${label} de`, en: `${label} en` });
const newDesk = (overrides: Record<string, unknown> = {}) => ({
  slug: uniqueSlug(),
  keyPrefix: uniquePrefix(),
  names: texts('Desk'),
  descriptions: texts('About'),
  ...overrides,
});
async function createDesk(overrides: Record<string, unknown> = {}) {
  const res = await send('POST', '/admin/desks', newDesk(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; slug: string; keyPrefix: string; memberIds: string[] };
}

describe('the base catalogue', () => {
  it('lists Support then Consulting with their request types, texts in every language', async () => {
    const desks = (await send('GET', '/admin/desks')).json() as {
      id: string;
      slug: string;
      keyPrefix: string;
      names: Record<string, string>;
      descriptions: Record<string, string>;
      active: boolean;
      coveredByMaintenance: boolean;
    }[];
    expect(desks.slice(0, 2).map((d) => [d.slug, d.keyPrefix, d.active, d.coveredByMaintenance])).toEqual([
      ['support', 'SUP', true, true],
      ['consulting', 'CON', true, false],
    ]);
    expect(desks[1]!.names).toEqual({ fr: 'Demandes Consulting', de: 'Consulting-Anfragen', en: 'Consulting requests' });

    const types = (await send('GET', '/admin/request-types')).json() as {
      deskId: string;
      slug: string;
      names: Record<string, string>;
      descriptions: Record<string, string>;
      underSla: boolean;
      requiresFlexContract: boolean;
      requiresProject: boolean;
    }[];
    const base = types.filter((ty) => ty.deskId === desks[0]!.id || ty.deskId === desks[1]!.id);
    expect(base.map((ty) => [ty.slug, ty.deskId, ty.underSla, ty.requiresFlexContract, ty.requiresProject])).toEqual([
      ['assistance', desks[0]!.id, true, false, false],
      ['solva-flex', desks[0]!.id, true, true, false],
      ['project-request', desks[1]!.id, false, false, true],
    ]);
    expect(base[2]!.names).toEqual({ fr: 'Demande de projet', de: 'Projektanfrage', en: 'Project request' });
    for (const item of [...desks.slice(0, 2), ...base]) {
      for (const language of ['fr', 'de', 'en']) {
        expect(item.names[language]!.length).toBeGreaterThan(0);
        expect(item.descriptions[language]!.length).toBeGreaterThan(30);
      }
    }
  });
});

describe('creating a desk', () => {
  it('stores it with an upper-case key prefix and no members, and audits who did it', async () => {
    const slug = uniqueSlug('hr');
    const prefix = uniquePrefix();
    const res = await send('POST', '/admin/desks', {
      slug: ` ${slug.toUpperCase()} `,
      keyPrefix: prefix.toLowerCase(),
      names: texts('HR'),
      descriptions: { fr: '', de: '', en: '' },
      position: 30,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.any(String),
      slug,
      keyPrefix: prefix,
      names: texts('HR'),
      descriptions: { fr: '', de: '', en: '' },
      position: 30,
      active: true,
      // Only desks an administrator marks (the base Support desk) need the maintenance contract.
      coveredByMaintenance: false,
      // No address: mail reaches this desk only as replies to its requests.
      inboundAddress: null,
      inboundRequestTypeId: null,
      memberIds: [],
    });
    const audits = await auditsOf('desk', body.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'desk.created', actorId: admin.id, at: t.clock.now(), details: { slug, keyPrefix: prefix, position: 30 } });
    expect((await send('GET', '/admin/desks')).json().map((d: { id: string }) => d.id)).toContain(body.id);
  });

  it('refuses a taken key prefix or slug, naming the field, and writes nothing', async () => {
    const existing = await createDesk();
    const before = (await t.db.select().from(desk)).length;
    const auditsBefore = (await t.db.select().from(auditLog).where(eq(auditLog.action, 'desk.created'))).length;

    const prefix = await send('POST', '/admin/desks', newDesk({ keyPrefix: 'sup' }));
    expect(prefix.statusCode).toBe(409);
    expect(prefix.json()).toMatchObject({ code: 'desk.key_prefix_taken', field: 'keyPrefix' });
    const slug = await send('POST', '/admin/desks', newDesk({ slug: existing.slug }));
    expect(slug.statusCode).toBe(409);
    expect(slug.json()).toMatchObject({ code: 'desk.slug_taken', field: 'slug' });

    expect(await t.db.select().from(desk)).toHaveLength(before);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'desk.created'))).toHaveLength(auditsBefore);
  });

  it('gives a key prefix to exactly one of several desks created at the same time', async () => {
    const keyPrefix = uniquePrefix();
    const results = await Promise.all([1, 2, 3].map(() => send('POST', '/admin/desks', newDesk({ keyPrefix }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) expect(r.json()).toMatchObject({ code: 'desk.key_prefix_taken', field: 'keyPrefix' });
    expect(await t.db.select().from(desk).where(eq(desk.keyPrefix, keyPrefix))).toHaveLength(1);
  });

  it('refuses malformed input naming the field', async () => {
    const cases: [unknown, string][] = [
      [newDesk({ keyPrefix: 'S1' }), 'keyPrefix'],
      [newDesk({ keyPrefix: 'ABCDEFG' }), 'keyPrefix'],
      [newDesk({ slug: 'has space' }), 'slug'],
      [newDesk({ names: { fr: 'x', de: 'x' } }), 'names.en'],
      [newDesk({ names: { fr: 'x', de: ' ', en: 'x' } }), 'names.de'],
      [newDesk({ active: false }), 'active'],
    ];
    for (const [body, field] of cases) {
      const res = await send('POST', '/admin/desks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('updating a desk', () => {
  it('renames, reorders and deactivates it, auditing only what changed', async () => {
    const created = await createDesk({ position: 5 });
    const names = { fr: 'Nouveau', de: 'Neu', en: 'New' };
    const res = await send('PATCH', `/admin/desks/${created.id}`, { names, position: 5, active: false, keyPrefix: created.keyPrefix });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, names, position: 5, active: false, keyPrefix: created.keyPrefix });
    const [audit, ...more] = await auditsOf('desk', created.id).then((rows) => rows.filter((r) => r.action === 'desk.updated'));
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actorId: admin.id, details: { from: { names: texts('Desk'), active: true }, to: { names, active: false } } });

    // The same values again: nothing to audit.
    expect((await send('PATCH', `/admin/desks/${created.id}`, { names: { en: 'New', de: 'Neu', fr: 'Nouveau' }, active: false })).statusCode).toBe(200);
    expect((await auditsOf('desk', created.id)).filter((r) => r.action === 'desk.updated')).toHaveLength(1);
  });

  it('changes the slug unless another desk has it', async () => {
    const a = await createDesk();
    const b = await createDesk();
    const slug = uniqueSlug('renamed');
    expect((await send('PATCH', `/admin/desks/${a.id}`, { slug })).json()).toMatchObject({ slug });
    const taken = await send('PATCH', `/admin/desks/${b.id}`, { slug, position: 99 });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'desk.slug_taken', field: 'slug' });
    expect(await deskRow(b.id)).toMatchObject({ slug: b.slug, position: 0 });
  });

  it('never changes the key prefix, and refuses an unknown desk', async () => {
    const created = await createDesk();
    const res = await send('PATCH', `/admin/desks/${created.id}`, { keyPrefix: uniquePrefix(), position: 7 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'desk.key_prefix_immutable', field: 'keyPrefix' });
    expect(await deskRow(created.id)).toMatchObject({ keyPrefix: created.keyPrefix, position: 0 });
    expect((await auditsOf('desk', created.id)).filter((r) => r.action === 'desk.updated')).toHaveLength(0);

    const missing = await send('PATCH', `/admin/desks/${randomUUID()}`, { position: 1 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('desk.not_found');
    expect((await send('PATCH', `/admin/desks/${created.id}`, { nextNumber: 1 })).json()).toMatchObject({
      code: 'validation.unknown_field',
      field: 'nextNumber',
    });
  });
});

describe('desk members', () => {
  it('replaces the agents of a desk and audits who came and went', async () => {
    const created = await createDesk();
    const [a1, a2] = [await createUser(t, { role: 'agent' }), await createUser(t, { role: 'agent' })];
    const res = await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [a2.id, a1.id, admin.id, a1.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json().memberIds).toEqual([a1.id, a2.id, admin.id].sort());

    const replaced = await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [a2.id] });
    expect(replaced.json().memberIds).toEqual([a2.id]);
    const audits = (await auditsOf('desk', created.id)).filter((r) => r.action === 'desk.members_changed');
    expect(audits.map((a) => a.details)).toEqual(
      expect.arrayContaining([
        { added: [a1.id, a2.id, admin.id].sort(), removed: [] },
        { added: [], removed: [a1.id, admin.id].sort() },
      ]),
    );
    expect(audits).toHaveLength(2);

    // Unchanged: nothing audited.
    expect((await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [a2.id] })).statusCode).toBe(200);
    expect((await auditsOf('desk', created.id)).filter((r) => r.action === 'desk.members_changed')).toHaveLength(2);
    expect((await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [] })).json().memberIds).toEqual([]);
  });

  it('refuses customers, unknown users and deactivated agents, changing nothing', async () => {
    const created = await createDesk();
    const agent = await createUser(t, { role: 'agent' });
    await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [agent.id] });
    const customer = await createUser(t, { role: 'customer' });
    const gone = await createUser(t, { role: 'agent' });
    expect((await send('PATCH', `/admin/users/${gone.id}`, { active: false })).statusCode).toBe(200);

    for (const intruder of [customer.id, 'no-such-user', gone.id]) {
      const res = await send('PUT', `/admin/desks/${created.id}/members`, { userIds: [agent.id, intruder] });
      expect(res.statusCode, intruder).toBe(400);
      expect(res.json()).toMatchObject({ code: 'desk.member_not_staff', field: 'userIds' });
      expect(res.json().message).toContain(intruder);
    }
    const rows = await t.db.select().from(deskMember).where(eq(deskMember.deskId, created.id));
    expect(rows.map((r) => r.userId)).toEqual([agent.id]);
    expect((await auditsOf('desk', created.id)).filter((r) => r.action === 'desk.members_changed')).toHaveLength(1);

    const missing = await send('PUT', `/admin/desks/${randomUUID()}/members`, { userIds: [agent.id] });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('desk.not_found');
  });

  it('tells which desks an agent works on, in portal order, and takes a demoted agent off every desk', async () => {
    const later = await createDesk({ position: 900 });
    const earlier = await createDesk({ position: 800 });
    const agent = await createUser(t, { role: 'agent' });
    for (const d of [later, earlier]) await send('PUT', `/admin/desks/${d.id}/members`, { userIds: [agent.id] });
    expect(await deskIdsOfAgent(t.db, agent.id)).toEqual([earlier.id, later.id]);

    expect((await send('PATCH', `/admin/users/${agent.id}`, { role: 'customer' })).statusCode).toBe(200);
    expect(await deskIdsOfAgent(t.db, agent.id)).toEqual([]);
    for (const d of [later, earlier]) {
      const audits = (await auditsOf('desk', d.id)).filter((r) => r.action === 'desk.members_changed');
      expect(audits.map((a) => a.details)).toContainEqual({ added: [], removed: [agent.id] });
    }
    // An agent promoted to administrator stays on their desks.
    const promoted = await createUser(t, { role: 'agent' });
    await send('PUT', `/admin/desks/${later.id}/members`, { userIds: [promoted.id] });
    expect((await send('PATCH', `/admin/users/${promoted.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect(await deskIdsOfAgent(t.db, promoted.id)).toEqual([later.id]);
  });
});

describe('request types', () => {
  const newType = (deskId: string, overrides: Record<string, unknown> = {}) => ({
    deskId,
    slug: uniqueSlug('type'),
    names: texts('Type'),
    descriptions: texts('What for'),
    ...overrides,
  });

  it('creates one on a desk with defaults, lists them by desk, and audits', async () => {
    const d = await createDesk();
    const res = await send('POST', '/admin/request-types', newType(d.id, { slug: 'incident', position: 20 }));
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toEqual({
      id: expect.any(String),
      deskId: d.id,
      slug: 'incident',
      names: texts('Type'),
      descriptions: texts('What for'),
      underSla: true,
      requiresFlexContract: false,
      requiresProject: false,
      active: true,
      position: 20,
    });
    const first = (
      await send('POST', '/admin/request-types', newType(d.id, { slug: 'question', position: 10, underSla: false, requiresProject: true }))
    ).json();
    const listed = (await send('GET', `/admin/request-types?deskId=${d.id}`)).json();
    expect(listed.map((ty: { id: string }) => ty.id)).toEqual([first.id, created.id]);
    expect((await send('GET', `/admin/request-types?deskId=${randomUUID()}`)).json()).toEqual([]);
    expect((await send('GET', '/admin/request-types?deskId=nope')).json().field).toBe('deskId');

    const [audit] = await auditsOf('request_type', created.id);
    expect(audit).toMatchObject({ action: 'request_type.created', actorId: admin.id, details: { deskId: d.id, slug: 'incident', underSla: true } });
  });

  it('refuses an unknown desk and a slug the desk already has; the same slug on another desk is fine', async () => {
    const [d1, d2] = [await createDesk(), await createDesk()];
    const count = async () =>
      (
        await t.db
          .select()
          .from(requestType)
          .where(inArray(requestType.deskId, [d1.id, d2.id]))
      ).length;
    expect((await send('POST', '/admin/request-types', newType(d1.id, { slug: 'shared' }))).statusCode).toBe(201);
    const audited = async () => (await t.db.select().from(auditLog).where(eq(auditLog.action, 'request_type.created'))).length;
    const auditedBefore = await audited();

    const unknown = await send('POST', '/admin/request-types', newType(randomUUID()));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'desk.not_found', field: 'deskId' });
    const taken = await send('POST', '/admin/request-types', newType(d1.id, { slug: 'shared' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'request_type.slug_taken', field: 'slug' });
    expect(await count()).toBe(1);
    expect(await audited()).toBe(auditedBefore);

    expect((await send('POST', '/admin/request-types', newType(d2.id, { slug: 'shared' }))).statusCode).toBe(201);
    expect(await count()).toBe(2);
  });

  it('changes what a type requires and its slug, auditing the difference; refuses a taken slug and an unknown type', async () => {
    const d = await createDesk();
    const other = (await send('POST', '/admin/request-types', newType(d.id, { slug: 'other' }))).json();
    const ty = (await send('POST', '/admin/request-types', newType(d.id, { slug: 'mine' }))).json();
    const res = await send('PATCH', `/admin/request-types/${ty.id}`, { requiresFlexContract: true, underSla: true, active: false, slug: 'renamed' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ty.id, slug: 'renamed', requiresFlexContract: true, underSla: true, active: false });
    const updates = (await auditsOf('request_type', ty.id)).filter((a) => a.action === 'request_type.updated');
    expect(updates.map((a) => a.details)).toEqual([
      { from: { requiresFlexContract: false, active: true, slug: 'mine' }, to: { requiresFlexContract: true, active: false, slug: 'renamed' } },
    ]);

    const taken = await send('PATCH', `/admin/request-types/${ty.id}`, { slug: other.slug, position: 50 });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'request_type.slug_taken', field: 'slug' });
    const [row] = await t.db.select().from(requestType).where(eq(requestType.id, ty.id));
    expect(row).toMatchObject({ slug: 'renamed', position: 0 });

    const missing = await send('PATCH', `/admin/request-types/${randomUUID()}`, { active: true });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('request_type.not_found');
    expect((await send('PATCH', `/admin/request-types/${ty.id}`, { deskId: d.id })).json()).toMatchObject({
      code: 'validation.unknown_field',
      field: 'deskId',
    });
  });
});

describe("a desk's e-mail address", () => {
  const newType = (deskId: string, overrides: Record<string, unknown> = {}) => ({
    deskId,
    slug: uniqueSlug('type'),
    names: texts('Type'),
    descriptions: texts('What for'),
    ...overrides,
  });
  const uniqueAddress = (name = 'desk') => `${name}-${randomUUID().slice(0, 8)}@guichet.localhost`;

  it('is stored lower-cased at creation, listed with the desk, audited, and the type left to the default', async () => {
    const address = uniqueAddress('hr');
    const created = await createDesk({ inboundAddress: address.toUpperCase() });
    expect(created).toMatchObject({ inboundAddress: address, inboundRequestTypeId: null });
    expect(await deskRow(created.id)).toMatchObject({ inboundAddress: address, inboundRequestTypeId: null });
    const listed = (await send('GET', '/admin/desks')).json().find((d: { id: string }) => d.id === created.id);
    expect(listed).toMatchObject({ inboundAddress: address, inboundRequestTypeId: null });
    const [audit] = await auditsOf('desk', created.id);
    expect(audit).toMatchObject({ action: 'desk.created', details: { inboundAddress: address } });
  });

  it('refuses an address another desk has, naming the field, at creation and at update, changing nothing', async () => {
    const address = uniqueAddress();
    const owner = await createDesk({ inboundAddress: address });
    const before = (await t.db.select().from(desk)).length;

    const created = await send('POST', '/admin/desks', newDesk({ inboundAddress: address.toUpperCase() }));
    expect(created.statusCode).toBe(409);
    expect(created.json()).toMatchObject({ code: 'desk.inbound_address_taken', field: 'inboundAddress' });
    expect(await t.db.select().from(desk)).toHaveLength(before);

    const other = await createDesk();
    const updated = await send('PATCH', `/admin/desks/${other.id}`, { inboundAddress: address, position: 42 });
    expect(updated.statusCode).toBe(409);
    expect(updated.json()).toMatchObject({ code: 'desk.inbound_address_taken', field: 'inboundAddress' });
    expect(await deskRow(other.id)).toMatchObject({ inboundAddress: null, position: 0 });
    expect((await auditsOf('desk', other.id)).filter((a) => a.action === 'desk.updated')).toHaveLength(0);

    // The owner may send its own address again (a form sends the whole desk), and give it up for another desk to take.
    expect((await send('PATCH', `/admin/desks/${owner.id}`, { inboundAddress: address })).statusCode).toBe(200);
    expect((await send('PATCH', `/admin/desks/${owner.id}`, { inboundAddress: null })).json()).toMatchObject({ inboundAddress: null });
    expect((await send('PATCH', `/admin/desks/${other.id}`, { inboundAddress: address })).json()).toMatchObject({ inboundAddress: address });
  });

  it('refuses a malformed address naming the field', async () => {
    for (const inboundAddress of ['not-an-address', 'a@', '', `${'x'.repeat(250)}@example.ch`, 42]) {
      const res = await send('POST', '/admin/desks', newDesk({ inboundAddress }));
      expect(res.statusCode, String(inboundAddress)).toBe(400);
      expect(res.json().field, String(inboundAddress)).toBe('inboundAddress');
    }
    const d = await createDesk();
    const res = await send('PATCH', `/admin/desks/${d.id}`, { inboundAddress: 'nope' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('inboundAddress');
  });

  it("takes one of the desk's active request types, audits the change, and goes back to the default with null", async () => {
    const d = await createDesk();
    const ty = (await send('POST', '/admin/request-types', newType(d.id))).json();
    const res = await send('PATCH', `/admin/desks/${d.id}`, { inboundRequestTypeId: ty.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inboundRequestTypeId: ty.id });
    const updates = (await auditsOf('desk', d.id)).filter((a) => a.action === 'desk.updated');
    expect(updates.map((a) => a.details)).toEqual([{ from: { inboundRequestTypeId: null }, to: { inboundRequestTypeId: ty.id } }]);

    expect((await send('PATCH', `/admin/desks/${d.id}`, { inboundRequestTypeId: null })).json()).toMatchObject({ inboundRequestTypeId: null });
    expect(await deskRow(d.id)).toMatchObject({ inboundRequestTypeId: null });
  });

  it("refuses another desk's request type, an inactive one and an unknown one, naming the field", async () => {
    const d = await createDesk();
    const elsewhere = await createDesk();
    const foreign = (await send('POST', '/admin/request-types', newType(elsewhere.id))).json();
    const inactive = (await send('POST', '/admin/request-types', newType(d.id))).json();
    expect((await send('PATCH', `/admin/request-types/${inactive.id}`, { active: false })).statusCode).toBe(200);

    for (const id of [foreign.id, inactive.id, randomUUID()]) {
      const res = await send('PATCH', `/admin/desks/${d.id}`, { inboundRequestTypeId: id, position: 9 });
      expect(res.statusCode, id).toBe(400);
      expect(res.json(), id).toMatchObject({ code: 'desk.unknown_request_type', field: 'inboundRequestTypeId' });
    }
    expect(await deskRow(d.id)).toMatchObject({ inboundRequestTypeId: null, position: 0 });

    // A new desk has no request types: naming one at creation is refused, and no desk is created.
    const before = (await t.db.select().from(desk)).length;
    const created = await send('POST', '/admin/desks', newDesk({ inboundRequestTypeId: foreign.id }));
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({ code: 'desk.unknown_request_type', field: 'inboundRequestTypeId' });
    expect(await t.db.select().from(desk)).toHaveLength(before);
    expect((await send('PATCH', `/admin/desks/${d.id}`, { inboundRequestTypeId: 'nope' })).json().field).toBe('inboundRequestTypeId');
  });
});
