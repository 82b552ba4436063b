import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, project } from '../../db/schema.ts';
import { call, createOrganization, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const post = (body: unknown) => call(t.app, { method: 'POST', url: '/api/admin/projects', cookie: admin.cookie, body });
const patch = (id: string, body: unknown) => call(t.app, { method: 'PATCH', url: `/api/admin/projects/${id}`, cookie: admin.cookie, body });
const list = (query: string) => call(t.app, { url: `/api/admin/projects?${query}`, cookie: admin.cookie });
const auditsOf = (id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'project'), eq(auditLog.targetId, id)));
const projectsOf = (organizationId: string) => t.db.select().from(project).where(eq(project.organizationId, organizationId));

describe('creating a project', () => {
  it('creates an active project for an organization and audits it', async () => {
    const org = await createOrganization(t, 'Alpina');
    const res = await post({ organizationId: org.id, name: '  ERP migration 2027 ', code: 'ALP-MIG' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.any(String),
      organizationId: org.id,
      name: 'ERP migration 2027',
      code: 'ALP-MIG',
      status: 'active',
      createdAt: t.clock.now().toISOString(),
    });
    const audits = await auditsOf(body.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: 'project.created',
      actorId: admin.id,
      details: { organizationId: org.id, name: 'ERP migration 2027', code: 'ALP-MIG' },
    });
    // The code is optional.
    expect((await post({ organizationId: org.id, name: 'No code' })).json()).toMatchObject({ code: null, status: 'active' });
  });

  it('refuses an unknown organization and malformed input, naming the field, and writes nothing', async () => {
    const ghost = randomUUID();
    const unknown = await post({ organizationId: ghost, name: 'Ghost project' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'organization.not_found', field: 'organizationId' });
    expect(await projectsOf(ghost)).toHaveLength(0);

    const org = await createOrganization(t);
    const cases: [unknown, string][] = [
      [{ organizationId: org.id, name: ' ' }, 'name'],
      [{ organizationId: 'nope', name: 'X' }, 'organizationId'],
      [{ organizationId: org.id, name: 'X', status: 'closed' }, 'status'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    expect(await projectsOf(org.id)).toHaveLength(0);
  });
});

describe('listing projects', () => {
  it('filters by organization and status, and pages through every match exactly once', async () => {
    const org = await createOrganization(t, 'Paged');
    const other = await createOrganization(t, 'Other');
    await post({ organizationId: other.id, name: 'Not listed' });
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      ids.add((await post({ organizationId: org.id, name: `Project ${i}` })).json().id);
    }
    // Two rows with the same creation instant: the id breaks the tie.
    ids.add((await post({ organizationId: org.id, name: 'Same instant' })).json().id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`organizationId=${org.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; organizationId: string }[]; nextCursor: string | null };
      for (const item of page.items) expect(item.organizationId).toBe(org.id);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(ids);

    const closed = [...ids][0]!;
    await patch(closed, { status: 'closed' });
    const closedOnly = (await list(`organizationId=${org.id}&status=closed`)).json();
    expect(closedOnly.items.map((p: { id: string }) => p.id)).toEqual([closed]);
    expect((await list(`organizationId=${org.id}&status=active`)).json().items).toHaveLength(5);
  });

  it('refuses a malformed cursor and bad filters', async () => {
    expect((await list('cursor=%25%25')).json().field).toBe('cursor');
    expect((await list('status=archived')).json().field).toBe('status');
    expect((await list('organizationId=x')).json().field).toBe('organizationId');
    expect((await list('limit=101')).json().field).toBe('limit');
  });
});

describe('updating a project', () => {
  it('renames, clears the code and closes it, auditing only what changed', async () => {
    const org = await createOrganization(t);
    const created = (await post({ organizationId: org.id, name: 'Before', code: 'B-1' })).json();
    const res = await patch(created.id, { name: 'After', code: null, status: 'closed' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, name: 'After', code: null, status: 'closed' });
    const updates = (await auditsOf(created.id)).filter((a) => a.action === 'project.updated');
    expect(updates.map((a) => a.details)).toEqual([
      { from: { name: 'Before', code: 'B-1', status: 'active' }, to: { name: 'After', code: null, status: 'closed' } },
    ]);

    expect((await patch(created.id, { name: 'After', status: 'closed' })).statusCode).toBe(200);
    expect((await auditsOf(created.id)).filter((a) => a.action === 'project.updated')).toHaveLength(1);
    expect((await patch(created.id, { status: 'active' })).json().status).toBe('active');
  });

  it('refuses an unknown project and fields that cannot change', async () => {
    const missing = await patch(randomUUID(), { name: 'Ghost' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('project.not_found');

    const org = await createOrganization(t);
    const created = (await post({ organizationId: org.id, name: 'Fixed' })).json();
    const moved = await patch(created.id, { organizationId: (await createOrganization(t)).id });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ code: 'validation.unknown_field', field: 'organizationId' });
    expect((await patch(created.id, { status: 'archived' })).json().field).toBe('status');
    expect(await projectsOf(org.id)).toMatchObject([{ name: 'Fixed', status: 'active' }]);
  });
});
