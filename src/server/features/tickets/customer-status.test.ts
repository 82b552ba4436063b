/**
 * Customers get the status as they know it (DESIGN.md §2): waiting for a third party is "in
 * progress" to them, in every answer — the request, its history, lists, search, the status filter,
 * project pages, error messages — and Customer Services' own reasons for a status never reach them.
 * Agents keep the internal status and everything in the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-02-02T08:00:00Z' });
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId, ids.consultingId], 'Desk Agent');
});
afterAll(async () => {
  await t.close();
});

const VENDOR_REASON = 'waiting on vendor ticket VT-991';
const post = async (url: string, cookie: string, body: unknown) => {
  t.clock.advance(60_000);
  const res = await call(t.app, { method: 'POST', url, cookie, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
};
const get = async (url: string, cookie: string) => {
  const res = await call(t.app, { url, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
type Entry = { field: string; from: string | null; to: string | null; reason: string | null };

/** A request qualified, lowered to medium with a reason for the customer, then put in progress and waiting for a vendor. */
async function requestWaitingForVendor() {
  const c = await customerOrg(t);
  const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
  await post(`/api/requests/${r.key}/qualify`, agent.cookie, { criticality: 'medium', reason: 'A workaround exists: print from the archive.' });
  await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'in_progress', reason: 'taken by the second level' });
  await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'waiting_third_party', reason: VENDOR_REASON });
  return { c, r };
}

describe('a request waiting for a third party, as its customer reads it', () => {
  it('is in progress on its page, with no staff-only history entry or reason', async () => {
    const { c, r } = await requestWaitingForVendor();
    const page = await call(t.app, { url: `/api/requests/${r.key}`, cookie: c.reporter.cookie });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('waiting_third_party');
    expect(page.body).not.toContain('vendor');
    expect(page.body).not.toContain('second level');
    const detail = page.json();
    expect(detail.status).toBe('in_progress');
    expect(detail.statusLabel).toBe('En cours');
    const history = detail.history as Entry[];
    expect(history.filter((e) => e.field === 'status').map((e) => [e.from, e.to, e.reason])).toEqual([
      ['open', 'qualified', null],
      ['qualified', 'in_progress', null],
    ]);
    // The reason of a lowered criticality is written for the customer: it stays.
    expect(history.find((e) => e.field === 'criticality')).toMatchObject({
      from: 'high',
      to: 'medium',
      reason: 'A workaround exists: print from the archive.',
    });

    // Resolved from waiting for the vendor: the customer reads "in progress → resolved", without the staff's reason.
    await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'resolved', reason: 'vendor patch 12.4.1 applied' });
    const resolved = await call(t.app, { url: `/api/requests/${r.key}`, cookie: c.colleague.cookie });
    expect(resolved.body).not.toContain('waiting_third_party');
    expect(resolved.body).not.toContain('vendor');
    expect((resolved.json().history as Entry[]).filter((e) => e.field === 'status').at(-1)).toMatchObject({
      from: 'in_progress',
      to: 'resolved',
      reason: null,
    });
  });

  it('is in progress in the lists and the search, and found by the in_progress filter; waiting_third_party is not a filter for customers', async () => {
    const { c, r } = await requestWaitingForVendor();
    // The reporter reads French, the colleague (who does not take part: not in "mine") German.
    for (const [query, who, label] of [
      ['scope=mine', c.reporter, 'En cours'],
      ['scope=mine&q=invoice', c.reporter, 'En cours'],
      ['scope=organization', c.colleague, 'In Bearbeitung'],
      ['scope=organization&state=open&sort=updated', c.colleague, 'In Bearbeitung'],
    ] as const) {
      const list = await get(`/api/requests?${query}`, who.cookie);
      const item = (list.items as { key: string; status: string }[]).find((i) => i.key === r.key);
      expect(item, query).toMatchObject({ status: 'in_progress', statusLabel: label });
    }
    const keys = async (status: string) =>
      ((await get(`/api/requests?scope=organization&status=${status}`, c.reporter.cookie)).items as { key: string }[]).map((i) => i.key);
    expect(await keys('in_progress')).toEqual([r.key]);
    expect(await keys('open,waiting_customer')).toEqual([]);
    const refused = await call(t.app, { url: '/api/requests?scope=organization&status=in_progress,waiting_third_party', cookie: c.reporter.cookie });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'validation.invalid', field: 'status' });
    expect(refused.json().message).toContain('expected open, qualified, in_progress, waiting_customer, resolved, closed, canceled');
  });

  it('is told a refused transition in the status they know', async () => {
    const { c, r } = await requestWaitingForVendor();
    const refused = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/transitions`, cookie: c.reporter.cookie, body: { to: 'closed' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('A request cannot go from in_progress to closed.');
  });

  it('is in progress on its project’s page', async () => {
    const c = await customerOrg(t, { project: true });
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: c.projectId });
    await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'qualified' });
    await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'waiting_third_party', reason: VENDOR_REASON });
    expect((await get(`/api/projects/${c.projectId}`, c.reporter.cookie)).requests).toMatchObject([{ key: r.key, status: 'in_progress' }]);
    expect((await get(`/api/projects/${c.projectId}`, agent.cookie)).requests).toMatchObject([{ key: r.key, status: 'waiting_third_party' }]);
  });

  it('keeps a reason a customer wrote, for the customers', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await post(`/api/requests/${r.key}/transitions`, c.reporter.cookie, { to: 'canceled', reason: 'We found the cause ourselves.' });
    const history = (await get(`/api/requests/${r.key}`, c.colleague.cookie)).history as Entry[];
    expect(history.find((e) => e.field === 'status')).toMatchObject({ from: 'open', to: 'canceled', reason: 'We found the cause ourselves.' });
  });
});

describe('Customer Services', () => {
  it('keep the internal status, every history entry and its reasons, and filter on waiting_third_party', async () => {
    const { r } = await requestWaitingForVendor();
    const detail = await get(`/api/requests/${r.key}`, agent.cookie);
    expect(detail.status).toBe('waiting_third_party');
    expect(detail.statusLabel).toBe('Waiting for third party');
    expect((detail.history as Entry[]).filter((e) => e.field === 'status').map((e) => [e.from, e.to, e.reason])).toEqual([
      ['open', 'qualified', null],
      ['qualified', 'in_progress', 'taken by the second level'],
      ['in_progress', 'waiting_third_party', VENDOR_REASON],
    ]);
    const list = await get(`/api/requests?scope=desks&status=waiting_third_party&limit=100`, agent.cookie);
    expect((list.items as { key: string; status: string }[]).find((i) => i.key === r.key)).toMatchObject({ status: 'waiting_third_party' });
    const inProgress = await get(`/api/requests?scope=desks&status=in_progress&limit=100`, agent.cookie);
    expect((inProgress.items as { key: string }[]).map((i) => i.key)).not.toContain(r.key);
  });

  it('document it in the API reference', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json();
    const status = (doc.paths['/api/requests'].get.parameters as { name: string; description?: string; schema?: { description?: string } }[]).find(
      (p) => p.name === 'status',
    )!;
    expect(status.description ?? status.schema?.description).toMatch(
      /in_progress finds the requests waiting for a third party too, and waiting_third_party is refused/,
    );
    expect(doc.components.schemas.TicketSummary.properties.status.description).toMatch(/waiting_third_party is in_progress to them/);
    expect(doc.components.schemas.TicketHistoryEntry.description).toMatch(/Customer Services’ reasons for a status stay theirs/);
  });
});
