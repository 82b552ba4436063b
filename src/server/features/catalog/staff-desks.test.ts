import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createOrganization, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('desks and organizations for the agent workspace', () => {
  it('lists active desks with their types and agents, marking the caller’s desks, in the caller’s language', async () => {
    const ids = await catalog(t);
    const agent = await agentOf(t, [ids.supportId], 'Sam Support');
    const res = await call(t.app, { url: '/api/desks', cookie: agent.cookie });
    expect(res.statusCode).toBe(200);
    const support = res.json().desks.find((d: { id: string }) => d.id === ids.supportId);
    const consulting = res.json().desks.find((d: { id: string }) => d.id === ids.consultingId);
    expect(support).toMatchObject({ keyPrefix: 'SUP', member: true, name: 'Support' });
    expect(support.agents).toEqual([{ id: agent.id, name: 'Sam Support' }]);
    expect(support.requestTypes.map((r: { slug: string }) => r.slug)).toEqual(['assistance', 'solva-flex']);
    expect(consulting).toMatchObject({ member: false, name: 'Consulting requests' });
  });

  it('finds organizations by name for staff only', async () => {
    await createOrganization(t, 'Zeta Maschinenbau AG');
    const agent = await loginAs(t, 'agent');
    const res = await call(t.app, { url: '/api/organizations?q=zeta', cookie: agent.cookie });
    expect(res.json().items.map((o: { name: string }) => o.name)).toEqual(['Zeta Maschinenbau AG']);
    const customer = await loginAs(t, 'customer');
    expect((await call(t.app, { url: '/api/organizations', cookie: customer.cookie })).statusCode).toBe(403);
    expect((await call(t.app, { url: '/api/desks', cookie: customer.cookie })).statusCode).toBe(403);
  });
});
