/**
 * Customers' "last change" of a request is the last change they can see (`customer_updated_at`):
 * an internal note, an assignment or a status they read the same moves nothing in their lists or
 * on the page; a public reply, a criticality change or a participant does. Agents keep every change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, createUser, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-02-02T08:00:00Z' });
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId], 'Desk Agent');
});
afterAll(async () => {
  await t.close();
});

/** Each change an hour after the previous one. */
const later = () => {
  t.clock.advance(3_600_000);
  return t.clock.now().toISOString();
};
const send = async (method: 'POST' | 'PATCH', url: string, cookie: string, body: unknown) => {
  const at = later();
  const res = await call(t.app, { method, url, cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return at;
};
const get = async (url: string, cookie: string) => {
  const res = await call(t.app, { url, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
type Item = { key: string; updatedAt: string };
const keysOf = (page: { items: Item[] }) => page.items.map((i) => i.key);

describe('the last change customers see', () => {
  it('stays put on an internal note, an assignment or a status they read the same; a public reply moves it', async () => {
    const c = await customerOrg(t);
    const older = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await send('POST', `/api/requests/${older.key}/transitions`, agent.cookie, { to: 'in_progress' });
    later();
    const newer = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, summary: 'Stock report is empty' });
    const createdNewer = t.clock.now().toISOString();
    const list = (cookie: string, query = 'sort=updated') => get(`/api/requests?scope=organization&${query}`, cookie);
    const before = await list(c.reporter.cookie);
    expect(keysOf(before)).toEqual([newer.key, older.key]);
    const seenBefore = (await get(`/api/requests/${older.key}`, c.colleague.cookie)).updatedAt as string;

    // Changes Customer Services alone sees.
    const noteAt = await send('POST', `/api/requests/${older.key}/messages`, agent.cookie, { body: 'Vendor says next week. INTERNAL', visibility: 'internal' });
    await send('PATCH', `/api/requests/${older.key}`, agent.cookie, { assigneeId: agent.id });
    const thirdPartyAt = await send('POST', `/api/requests/${older.key}/transitions`, agent.cookie, { to: 'waiting_third_party' });

    for (const cookie of [c.reporter.cookie, c.colleague.cookie]) {
      const after = await list(cookie);
      expect(keysOf(after)).toEqual([newer.key, older.key]);
      expect(after.items).toEqual(before.items.map((i: Item) => expect.objectContaining({ key: i.key, updatedAt: i.updatedAt })));
      expect((await get(`/api/requests/${older.key}`, cookie)).updatedAt).toBe(seenBefore);
      // The updated range and the search read the same time.
      expect(keysOf(await list(cookie, `updatedFrom=${encodeURIComponent(createdNewer)}`))).toEqual([newer.key]);
      // Both descriptions speak of invoices: a search comes by last change, the customers'.
      expect(keysOf(await list(cookie, 'q=invoice'))).toEqual([newer.key, older.key]);
    }
    // Keyset pages follow the customers' order.
    const first = await list(c.reporter.cookie, 'sort=updated&limit=1');
    expect(keysOf(first)).toEqual([newer.key]);
    expect(keysOf(await list(c.reporter.cookie, `sort=updated&limit=1&cursor=${first.nextCursor}`))).toEqual([older.key]);

    // Agents see every change.
    const staffView = await get(`/api/requests/${older.key}`, agent.cookie);
    expect(staffView.updatedAt).toBe(thirdPartyAt);
    expect(noteAt < thirdPartyAt).toBe(true);
    const desks = await get(`/api/requests?scope=desks&organizationId=${c.org.id}&sort=updated`, agent.cookie);
    expect(keysOf(desks)).toEqual([older.key, newer.key]);
    expect(keysOf(await get(`/api/requests?scope=desks&organizationId=${c.org.id}&q=invoice`, agent.cookie))).toEqual([older.key, newer.key]);

    // A public reply is a change they see.
    const replyAt = await send('POST', `/api/requests/${older.key}/messages`, agent.cookie, { body: 'The vendor has a fix; we install it tomorrow.' });
    const after = await list(c.reporter.cookie);
    expect(keysOf(after)).toEqual([older.key, newer.key]);
    expect(after.items[0].updatedAt).toBe(replyAt);
    expect((await get(`/api/requests/${older.key}`, c.colleague.cookie)).updatedAt).toBe(replyAt);
    expect(keysOf(await list(c.reporter.cookie, `updatedFrom=${encodeURIComponent(replyAt)}`))).toEqual([older.key]);
  });

  it('moves with a criticality change, a participant, and a status they see change', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const seen = async () => (await get(`/api/requests/${r.key}`, c.reporter.cookie)).updatedAt as string;
    expect(await send('PATCH', `/api/requests/${r.key}`, agent.cookie, { criticality: 'critical' })).toBe(await seen());
    const other = await createUser(t, { organizationId: c.org.id, name: 'Pia Participant' });
    expect(await send('POST', `/api/requests/${r.key}/participants`, c.reporter.cookie, { userId: other.id })).toBe(await seen());
    expect(await send('POST', `/api/requests/${r.key}/transitions`, agent.cookie, { to: 'waiting_customer' })).toBe(await seen());
    // The customer's own reply too.
    expect(await send('POST', `/api/requests/${r.key}/messages`, c.colleague.cookie, { body: 'Here is the log.' })).toBe(await seen());
  });
});
