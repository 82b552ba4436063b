import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const list = async (cookie: string) => (await call(t.app, { url: '/api/views', cookie })).json().items as { id: string; name: string; query: string }[];
const save = (cookie: string, body: unknown) => call(t.app, { method: 'POST', url: '/api/views', cookie, body });
const remove = (cookie: string, id: string) => call(t.app, { method: 'DELETE', url: `/api/views/${id}`, cookie });

describe('saved views', () => {
  it('saves, lists and deletes an agent’s own views, and opens the list with a saved query', async () => {
    const agent = await agentOf(t, [], 'Viewer');
    const colleague = await agentOf(t, [], 'Colleague');
    const created = await save(agent.cookie, { name: '  Critical, unassigned ', query: '?queue=unassigned&criticality=critical,high&sort=criticality' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Critical, unassigned', query: 'queue=unassigned&criticality=critical,high&sort=criticality' });
    await save(agent.cookie, { name: 'assigned to me', query: 'queue=mine' });
    expect((await list(agent.cookie)).map((v) => v.name)).toEqual(['assigned to me', 'Critical, unassigned']);

    // The saved query opens the list as it is.
    const opened = await call(t.app, { url: `/api/requests?${created.json().query}`, cookie: agent.cookie });
    expect(opened.statusCode).toBe(200);

    // Another agent neither sees nor deletes them.
    expect(await list(colleague.cookie)).toEqual([]);
    const foreign = await remove(colleague.cookie, created.json().id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('saved_view.not_found');
    // The same name is the colleague's to use.
    expect((await save(colleague.cookie, { name: 'Critical, unassigned', query: '' })).statusCode).toBe(201);

    const deleted = await remove(agent.cookie, created.json().id);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().items.map((v: { name: string }) => v.name)).toEqual(['assigned to me']);
    expect((await remove(agent.cookie, created.json().id)).statusCode).toBe(404);
  });

  it('refuses a taken name (whatever its case), a bad name and a query the list would refuse', async () => {
    const admin = await loginAs(t, 'admin');
    expect((await save(admin.cookie, { name: 'Mine', query: 'queue=mine' })).statusCode).toBe(201);
    const taken = await save(admin.cookie, { name: 'MINE', query: 'queue=all_open' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'saved_view.name_taken', field: 'name' });
    const cases: [unknown, string][] = [
      [{ name: '', query: 'queue=mine' }, 'name'],
      [{ name: '   ', query: 'queue=mine' }, 'name'],
      [{ name: 'x'.repeat(81), query: 'queue=mine' }, 'name'],
      [{ name: 'Long', query: `q=${'a'.repeat(2000)}` }, 'query'],
      [{ name: 'Bad status', query: 'status=archived' }, 'query'],
      [{ name: 'Bad param', query: 'colour=red' }, 'query'],
      [{ name: 'With cursor', query: 'queue=mine&cursor=abc' }, 'query'],
      [{ name: 'No query' }, 'query'],
      [{ name: 'Extra', query: '', shared: true }, 'shared'],
    ];
    for (const [body, field] of cases) {
      const res = await save(admin.cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
    expect((await save(admin.cookie, { name: 'Bad status', query: 'status=archived' })).json().message).toContain('status');
    expect((await list(admin.cookie)).map((v) => v.name)).toEqual(['Mine']);
    expect((await remove(admin.cookie, 'not-a-uuid')).json().field).toBe('id');
  });
});
