/**
 * The agent workspace, as an agent uses it: in Chromium, against the real app. The agent filters a
 * queue (the address follows, a reload keeps it, back undoes it), moves through the list with j/k,
 * opens a request beside the list with Enter, assigns two requests at once, and finds the request
 * whose SLA is at risk in its queue. The requests are opened through the API by the customer; the
 * server's clock stands still at a known business hour, then moves.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.ts';
import { desk, deskMember, requestType, ticket } from '../../src/server/db/schema.ts';
import {
  logIn,
  asPerson,
  describeBrowser,
  launchBrowser,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';

/** The customer opens a request through the API, as the portal would. */
async function openAsCustomer(server: BrowserServer, email: string, password: string, body: Record<string, unknown>) {
  const origin = { origin: server.baseUrl, 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` };
  const login = await server.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: origin, payload: { email, password } });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/requests',
    headers: { ...origin, cookie },
    payload: { description: 'Depuis ce matin.', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { key: string };
}

describeBrowser('the agent workspace in Chromium', () => {
  const clock = new ManualClock('2026-02-02T07:00:00Z'); // Monday 08:00 in Zurich
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser({ clock }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('filters a queue in the address, moves with j/k, opens a request beside the list, bulk-assigns two requests and sees the SLA at-risk queue', async () => {
    const suffix = uniqueSuffix();
    const org = await seedOrganization(server, `Alpina ${suffix}`, [`alpina-${suffix}.test`]);
    const customer = await seedUser(server, { email: `claire.${suffix}@alpina-${suffix}.test`, name: `Claire ${suffix}`, organizationId: org.id });
    const agent = await seedUser(server, { email: `sophie.${suffix}@guichet.test`, name: `Sophie ${suffix}`, role: 'agent' });
    const colleague = await seedUser(server, { email: `marc.${suffix}@guichet.test`, name: `Marc ${suffix}`, role: 'agent' });
    const [support] = await server.ctx.db
      .select()
      .from(desk)
      .where(inArray(desk.slug, ['support']));
    await server.ctx.db.insert(deskMember).values([agent, colleague].map((u) => ({ deskId: support!.id, userId: u.id })));
    const [assistance] = (await server.ctx.db.select().from(requestType)).filter((rt) => rt.deskId === support!.id && rt.slug === 'assistance');

    const open = (summary: string, criticality: string) =>
      openAsCustomer(server, customer.email, customer.password, { requestTypeId: assistance!.id, summary, criticality });
    const critical = await open(`Facturation bloquée ${suffix}`, 'critical');
    clock.advance(60_000);
    const high1 = await open(`Export comptable lent ${suffix}`, 'high');
    clock.advance(60_000);
    const high2 = await open(`Impression des étiquettes ${suffix}`, 'high');
    // 08:50: the critical request's engagement (one business hour) is past 75 %.
    clock.set('2026-02-02T07:50:00Z');

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent`);
        // A fresh workspace shows all open requests, and says so in the address.
        await page.waitForURL(/\/agent\?queue=all_open$/);
        const rows = page.getByTestId('queue-row');
        await expect.poll(() => rows.count()).toBe(3);
        expect(await page.getByTestId('queue-all_open').getAttribute('data-count')).toBe('3');

        // Filter: the queue "to qualify", then criticality "high". The address follows; a reload keeps it.
        await page.getByTestId('queue-to_qualify').click();
        await page.waitForURL(/queue=to_qualify/);
        await page.getByTestId('filter-criticality').click();
        await page.getByRole('option', { name: 'Haute' }).click();
        await page.keyboard.press('Escape');
        await page.waitForURL(/criticality=high/);
        await expect.poll(() => rows.count()).toBe(2);
        // The picker is closed but keeps the focus: j moves through the list all the same.
        const cursorAt = () => page.locator('[data-testid="queue-row"][data-cursor]').getAttribute('data-key');
        await expect.poll(cursorAt).toBe(await rows.first().getAttribute('data-key'));
        await page.keyboard.press('j');
        await expect.poll(cursorAt).toBe(await rows.nth(1).getAttribute('data-key'));
        await page.reload();
        await page.getByTestId('queue-table').waitFor();
        await expect.poll(() => rows.count()).toBe(2);
        expect(new URL(page.url()).searchParams.get('criticality')).toBe('high');
        expect(new URL(page.url()).searchParams.get('queue')).toBe('to_qualify');
        // These filters, saved under a name.
        await page.getByTestId('view-save').click();
        await page.getByTestId('view-name').fill('Hautes à qualifier');
        await page.getByTestId('view-save-submit').click();
        await page.locator('[data-testid="saved-view"][data-name="Hautes à qualifier"]').waitFor();
        // Back undoes the filter.
        await page.goBack();
        await page.waitForURL((url) => !url.searchParams.has('criticality'));
        await expect.poll(() => rows.count()).toBe(3);

        // Newest first: high2, high1, critical. j moves down, k up; Enter opens beside the list.
        await page.locator('body').click({ position: { x: 5, y: 5 } });
        const cursorKey = () => page.locator('[data-testid="queue-row"][data-cursor]').getAttribute('data-key');
        await expect.poll(cursorKey).toBe(high2.key);
        await page.keyboard.press('j');
        await page.keyboard.press('j');
        await expect.poll(cursorKey).toBe(critical.key);
        await page.keyboard.press('k');
        await expect.poll(cursorKey).toBe(high1.key);
        await page.keyboard.press('Enter');
        const panel = page.getByTestId('request-panel');
        await panel.waitFor();
        await panel.getByRole('heading', { level: 1, name: `Export comptable lent ${suffix}` }).waitFor();
        expect(new URL(page.url()).searchParams.get('open')).toBe(high1.key);
        await page.screenshot({ path: 'test-results/workspace-panel.png' });
        // The list stays beside it, with the same selection.
        expect(await rows.count()).toBe(3);
        expect(await cursorKey()).toBe(high1.key);
        // Escape closes the panel.
        await page.locator('body').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('Escape');
        await expect.poll(() => panel.count()).toBe(0);

        // x checks the selected request; a click checks another. Both are assigned to the colleague.
        await page.keyboard.press('x');
        await page.locator(`[data-testid="queue-row"][data-key="${high2.key}"] [data-testid="row-check"]`).check();
        await page.getByTestId('bulk-count').getByText('2').waitFor();
        await page.getByTestId('bulk-assignee').click();
        await page.getByRole('option', { name: colleague.name }).click();
        await page.getByTestId('bulk-assign-apply').click();
        const result = page.getByTestId('bulk-result');
        await result.waitFor();
        expect(await result.getAttribute('data-succeeded')).toBe('2');
        expect(await result.getAttribute('data-failed')).toBe('0');
        await expect
          .poll(() => page.locator(`[data-testid="queue-row"][data-key="${high1.key}"] [data-testid="queue-assignee"]`).innerText())
          .toBe(colleague.name);
        await expect
          .poll(() => page.locator(`[data-testid="queue-row"][data-key="${high2.key}"] [data-testid="queue-assignee"]`).innerText())
          .toBe(colleague.name);

        // The SLA at-risk queue: its count, and the critical request with its engagement clock in orange.
        await expect.poll(() => page.getByTestId('queue-sla_at_risk').getAttribute('data-count')).toBe('1');
        await page.getByTestId('queue-sla_at_risk').click();
        await page.waitForURL(/queue=sla_at_risk/);
        await expect.poll(() => rows.count()).toBe(1);
        const row = page.locator(`[data-testid="queue-row"][data-key="${critical.key}"]`);
        expect(await row.getByTestId('sla-engagement').getAttribute('data-state')).toBe('at_risk');
        expect(await row.getByTestId('sla-resolution').getAttribute('data-state')).toBe('running');
        await page.screenshot({ path: 'test-results/workspace-sla-at-risk.png', fullPage: true });

        // The saved view brings its filters back; deleted, it is gone.
        await page.locator('[data-testid="saved-view"][data-name="Hautes à qualifier"]').click();
        await page.waitForURL((url) => url.searchParams.get('queue') === 'to_qualify' && url.searchParams.get('criticality') === 'high');
        await expect.poll(() => rows.count()).toBe(2);
        await page.getByTestId('saved-view-delete').click();
        await expect.poll(() => page.getByTestId('saved-view').count()).toBe(0);

        // A search, within these filters: the words are highlighted in the server's snippet.
        await page.getByTestId('workspace-search').fill('étiquettes');
        await page.getByTestId('workspace-search').press('Enter');
        await page.waitForURL((url) => url.searchParams.get('q') === 'étiquettes');
        await expect.poll(() => rows.count()).toBe(1);
        const snippet = page.locator(`[data-testid="queue-row"][data-key="${high2.key}"] [data-testid="queue-snippet"] mark`);
        await expect.poll(() => snippet.first().innerText()).toBe('étiquettes');
        expect(log.pageErrors).toEqual([]);
        expect(log.cspViolations()).toEqual([]);
      },
      { as: 'agent' },
    );

    const assigned = await server.ctx.db
      .select({ key: ticket.key, assigneeId: ticket.assigneeId })
      .from(ticket)
      .where(inArray(ticket.key, [high1.key, high2.key, critical.key]));
    expect(Object.fromEntries(assigned.map((r) => [r.key, r.assigneeId]))).toEqual({
      [high1.key]: colleague.id,
      [high2.key]: colleague.id,
      [critical.key]: null,
    });
  });

  it('keeps "all requests" when the agent picks it: in the address, as the chosen queue, with the closed requests listed', async () => {
    const suffix = uniqueSuffix();
    const org = await seedOrganization(server, `Brienz ${suffix}`, [`brienz-${suffix}.test`]);
    const customer = await seedUser(server, { email: `lea.${suffix}@brienz-${suffix}.test`, name: `Léa ${suffix}`, organizationId: org.id });
    const agent = await seedUser(server, { email: `paul.${suffix}@guichet.test`, name: `Paul ${suffix}`, role: 'agent' });
    const [support] = await server.ctx.db
      .select()
      .from(desk)
      .where(inArray(desk.slug, ['support']));
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });
    const [assistance] = (await server.ctx.db.select().from(requestType)).filter((rt) => rt.deskId === support!.id && rt.slug === 'assistance');
    const open = (summary: string) => openAsCustomer(server, customer.email, customer.password, { requestTypeId: assistance!.id, summary, criticality: 'low' });
    const stillOpen = await open(`Badge perdu ${suffix}`);
    const done = await open(`Accès VPN ${suffix}`);
    await server.ctx.db.update(ticket).set({ status: 'closed' }).where(eq(ticket.key, done.key));

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent`);
        await page.waitForURL(/\/agent\?queue=all_open$/);
        const row = (key: string) => page.locator(`[data-testid="queue-row"][data-key="${key}"]`);
        await row(stillOpen.key).waitFor();
        await expect.poll(() => row(done.key).count()).toBe(0);

        await page.getByTestId('queue-any').click();
        await row(done.key).waitFor();
        // It stays: the address names it, the workspace does not go back to its default queue.
        await page.waitForTimeout(500);
        expect(new URL(page.url()).searchParams.get('queue')).toBe('all');
        expect(await page.getByTestId('queue-any').getAttribute('aria-current')).toBe('page');
        expect(await page.getByTestId('queue-all_open').getAttribute('aria-current')).toBeNull();
        expect(await row(stillOpen.key).count()).toBe(1);
        expect(await row(done.key).count()).toBe(1);
        // And after a reload.
        await page.reload();
        await row(done.key).waitFor();
        expect(new URL(page.url()).searchParams.get('queue')).toBe('all');
        expect(await page.getByTestId('queue-any').getAttribute('aria-current')).toBe('page');
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'agent' },
    );
  });
});
