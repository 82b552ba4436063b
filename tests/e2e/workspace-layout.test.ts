/**
 * The agent workspace on the screens agents use: a 390 px phone, a 1280 × 800 laptop and a
 * 1920 × 1080 screen. Nothing scrolls sideways, nothing in the list is cut (badges whole, both SLA
 * clocks and the last change within the list's box), with and without a request open beside the
 * list; the queue list collapses and the request panel resizes, and both are remembered; on a phone
 * the list is made of cards, the queues are in a drawer and a request opens full screen with a way
 * back. axe-core finds no critical or serious violation in the workspace.
 */
import AxeBuilder from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.ts';
import { desk, deskMember, requestType } from '../../src/server/db/schema.ts';
import { CRITICALITIES, STATUSES, type Criticality, type Status } from '../../src/shared/tickets.ts';
import { fr } from '../../src/web/i18n/fr.ts';
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
import { randomIp } from '../support/test-app.ts';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
const WIDE = { width: 1920, height: 1080 };

/** A session cookie for `email`, signed in through the API from an address of its own (the log-in rate limit is per address). */
async function cookieOf(server: BrowserServer, email: string, password: string) {
  const headers = { origin: server.baseUrl, 'x-forwarded-for': randomIp() };
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers, payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

async function call(server: BrowserServer, cookie: string, method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) {
  const res = await server.app.inject({ method, url, headers: { origin: server.baseUrl, cookie }, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json() as { key: string };
}

/**
 * What a person would find wrong with the list as laid out now, one sentence per problem: the
 * document wider than the window, a badge whose text is cut, a part of a request (key, summary,
 * organization, criticality, status, both SLA clocks, last change) hidden or outside the list's
 * visible box. The box is the nearest ancestor of the list that clips (what scrolls or hides).
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) problems.push(`the document is ${doc.scrollWidth} px wide in a ${window.innerWidth} px window`);
    const list = document.querySelector<HTMLElement>('[data-testid="queue-table"]');
    if (!list) return [...problems, 'no list'];
    let box: HTMLElement = list;
    for (let el: HTMLElement | null = list.parentElement; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowX !== 'visible') {
        box = el;
        break;
      }
    }
    const frame = box.getBoundingClientRect();
    const inView = { left: Math.max(frame.left, 0), right: Math.min(frame.right, window.innerWidth) };
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`the list's box scrolls sideways (${box.scrollWidth} px of content in ${box.clientWidth} px)`);
    const parts = [
      'queue-key',
      'queue-summary',
      'queue-organization',
      'queue-criticality',
      'queue-status',
      'sla-engagement',
      'sla-resolution',
      'queue-updated',
    ];
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="queue-row"]')];
    if (rows.length === 0) problems.push('no row');
    for (const row of rows) {
      const key = row.dataset.key;
      for (const part of parts) {
        const el = [...row.querySelectorAll<HTMLElement>(`[data-testid="${part}"]`)].find((e) => e.getClientRects().length > 0);
        if (!el) {
          problems.push(`${key}: ${part} is not shown`);
          continue;
        }
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) problems.push(`${key}: ${part} has no size`);
        else if (r.left < inView.left - 0.5 || r.right > inView.right + 0.5)
          problems.push(
            `${key}: ${part} is out of view (${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(inView.left)}–${Math.round(inView.right)})`,
          );
      }
      for (const badge of row.querySelectorAll<HTMLElement>('.mantine-Badge-root, .mantine-Badge-label')) {
        if (badge.scrollWidth > badge.clientWidth)
          problems.push(`${key}: the badge “${badge.textContent}” is cut (${badge.clientWidth} of ${badge.scrollWidth} px)`);
      }
    }
    return problems;
  });
}

/**
 * What is wrong with the app's header as laid out now: wider than the window, something in it past its
 * edges or overflowing, or its content not lined up with the page's (the same container edges).
 */
function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const header = document.querySelector<HTMLElement>('header.mantine-AppShell-header');
    if (!header) return ['no header'];
    const width = window.innerWidth;
    const box = header.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5)
      problems.push(`the header spans ${Math.round(box.left)}–${Math.round(box.right)} px in a ${width} px window`);
    if (header.scrollWidth > header.clientWidth + 1) problems.push(`the header's content is ${header.scrollWidth} px wide in ${header.clientWidth} px`);
    for (const el of header.querySelectorAll<HTMLElement>('a, button, img, svg, [data-testid]')) {
      if (el.getClientRects().length === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
        problems.push(`${el.dataset.testid ?? el.tagName} is outside the header (${Math.round(r.left)}–${Math.round(r.right)})`);
    }
    const inHeader = header.querySelector<HTMLElement>('.mantine-Container-root');
    const inMain = document.querySelector<HTMLElement>('main .mantine-Container-root');
    if (inHeader && inMain) {
      const h = inHeader.getBoundingClientRect();
      const m = inMain.getBoundingClientRect();
      if (Math.abs(h.left - m.left) > 1 || Math.abs(h.right - m.right) > 1)
        problems.push(
          `the header's content (${Math.round(h.left)}–${Math.round(h.right)}) is not lined up with the page's (${Math.round(m.left)}–${Math.round(m.right)})`,
        );
    }
    return problems;
  });
}

/** Critical and serious axe-core violations on the page as it is now (the header is the app shell's, checked with every page). */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('header').analyze();
  return (
    results.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      // Each node with axe's findings (for contrast: the colours and the ratio), so a failure says what to change.
      .map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${JSON.stringify(n.any[0]?.data ?? null)}`) }))
  );
}

describeBrowser('the agent workspace on phones and laptops', () => {
  const clock = new ManualClock('2026-02-02T07:00:00Z'); // Monday 08:00 in Zurich
  let server: BrowserServer;
  let browser: Browser;
  let agent: { id: string; email: string; password: string; name: string };
  const keys: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser({ clock }), launchBrowser()]);
    const suffix = uniqueSuffix();
    const [support] = await server.ctx.db.select().from(desk).where(eq(desk.slug, 'support'));
    const [assistance] = (await server.ctx.db.select().from(requestType).where(eq(requestType.deskId, support!.id))).filter((rt) => rt.slug === 'assistance');
    const orgNames = [
      `Coopérative agricole et viticole du Lavaux et de la Côte lémanique SA ${suffix}`,
      `Genossenschaft für Präzisionsmechanik und Uhrenbestandteile Vallée de Joux ${suffix}`,
      `Alpina ${suffix}`,
    ];
    const customers = [];
    for (const [i, name] of orgNames.entries()) {
      const org = await seedOrganization(server, name, [`org${i}-${suffix}.test`]);
      const customer = await seedUser(server, { email: `client${i}@org${i}-${suffix}.test`, name: `Client ${i} ${suffix}`, organizationId: org.id });
      customers.push({ ...customer, cookie: await cookieOf(server, customer.email, customer.password) });
    }
    const seeded = await seedUser(server, { email: `sophie.${suffix}@guichet.test`, name: `Sophie-Charlotte Wüthrich-Delacrétaz ${suffix}`, role: 'agent' });
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: seeded.id });
    agent = seeded;
    const agentCookie = await cookieOf(server, agent.email, agent.password);

    // Every status, each at every criticality where it fits in 18 requests, with summaries too long for one line.
    const paths: Record<Status, Status[]> = {
      open: [],
      qualified: ['qualified'],
      in_progress: ['in_progress'],
      waiting_customer: ['waiting_customer'],
      waiting_third_party: ['qualified', 'waiting_third_party'],
      resolved: ['resolved'],
      closed: ['resolved', 'closed'],
      canceled: ['canceled'],
    };
    const plan: { status: Status; criticality: Criticality }[] = [];
    for (let i = 0; i < 18; i++) plan.push({ status: STATUSES[i % STATUSES.length]!, criticality: CRITICALITIES[i % CRITICALITIES.length]! });
    for (const [i, step] of plan.entries()) {
      const customer = customers[i % customers.length]!;
      const { key } = await call(server, customer.cookie, 'POST', '/api/requests', {
        requestTypeId: assistance!.id,
        criticality: step.criticality,
        summary: `L’export comptable de fin de mois vers la fiduciaire s’arrête à 80 % avec un message incompréhensible (${i + 1})`,
        description: 'Depuis ce matin.',
      });
      keys.push(key);
      clock.advance(60_000);
      if (i % 2 === 0) await call(server, agentCookie, 'PATCH', `/api/requests/${key}`, { assigneeId: agent.id });
      for (const to of paths[step.status]) {
        const closing = to === 'closed' || to === 'canceled';
        await call(server, closing ? customer.cookie : agentCookie, 'POST', `/api/requests/${key}/transitions`, { to });
      }
    }
    clock.set('2026-02-02T08:10:00Z');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('at 1280 × 800 nothing in the list is cut, with or without a request beside it, and axe finds nothing serious', async () => {
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent?sort=updated`);
        const rows = page.getByTestId('queue-row');
        await expect.poll(() => rows.count()).toBe(18);
        expect(
          new Set(await page.locator('[data-testid="queue-row"] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))),
        ).toEqual(new Set(STATUSES));
        await page.screenshot({ path: 'test-results/workspace-layout-1280.png' });
        expect(await layoutProblems(page)).toEqual([]);
        expect(await headerProblems(page)).toEqual([]);

        // A queue, filters and a selection: still whole, and nothing serious for axe.
        await page.getByTestId('filter-more').click();
        await page.getByTestId('row-check').nth(1).check();
        await page.getByTestId('row-check').nth(2).check();
        await page.getByTestId('bulk-bar').waitFor();
        expect(await layoutProblems(page)).toEqual([]);
        expect(await seriousViolations(page)).toEqual([]);

        // The request beside the list: the list keeps everything, in fewer columns.
        await rows.nth(3).click();
        const panel = page.getByTestId('request-panel');
        await panel.getByRole('heading', { level: 1 }).waitFor();
        await page.screenshot({ path: 'test-results/workspace-layout-1280-panel.png' });
        expect(await layoutProblems(page)).toEqual([]);
        expect(await headerProblems(page)).toEqual([]);
        expect(await seriousViolations(page)).toEqual([]);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'agent', context: { viewport: LAPTOP } },
    );
  });

  it('at 1280 × 800 the request panel resizes (arrow keys, mouse) and the queue list folds away, both remembered; the keys still work', async () => {
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent?sort=updated&open=${keys[3]}`);
        const panel = page.getByTestId('request-panel');
        await panel.getByRole('heading', { level: 1 }).waitFor();
        await expect.poll(() => page.getByTestId('queue-row').count()).toBe(18);

        // The panel resizes with the keyboard (a separator, as the ARIA pattern says) and with the mouse.
        const handle = page.getByRole('separator', { name: fr.workspace.list.resizePanel });
        const width = () => panel.evaluate((el) => Math.round(el.getBoundingClientRect().width));
        const before = await width();
        expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(before);
        expect(await handle.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
        await handle.focus();
        for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
        await expect.poll(width).toBeGreaterThan(before + 40);
        const widened = await width();
        expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(widened);
        await page.keyboard.press('ArrowRight');
        await expect.poll(width).toBeLessThan(widened);
        // Never wider than leaves the list room, never narrower than a request needs.
        await page.keyboard.press('End');
        const widest = await width();
        expect(widest).toBe(Number(await handle.getAttribute('aria-valuemax')));
        await page.keyboard.press('Home');
        await expect.poll(width).toBe(Number(await handle.getAttribute('aria-valuemin')));
        const box = (await handle.boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + 40);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 - 150, box.y + 40, { steps: 5 });
        await page.mouse.up();
        await expect.poll(width).toBeGreaterThan(Number(await handle.getAttribute('aria-valuemin')) + 100);
        const dragged = await width();
        expect(await layoutProblems(page)).toEqual([]);

        // The queue list folds away, giving the list its width.
        const listWidth = () => page.getByTestId('queue-table').evaluate((el) => Math.round(el.getBoundingClientRect().width));
        const withQueues = await listWidth();
        const toggle = page.getByTestId('queues-toggle');
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        await toggle.click();
        await expect.poll(() => page.getByTestId('queue-nav').count()).toBe(0);
        expect(await toggle.getAttribute('aria-expanded')).toBe('false');
        await expect.poll(listWidth).toBeGreaterThan(withQueues + 150);
        expect(await layoutProblems(page)).toEqual([]);
        // Without the panel the list has the whole width, one line per request: still whole.
        await page.getByTestId('panel-close').click();
        await expect.poll(() => panel.count()).toBe(0);
        expect(await layoutProblems(page)).toEqual([]);
        await page.screenshot({ path: 'test-results/workspace-layout-1280-wide.png' });
        await page.getByTestId('queue-row').nth(3).click();
        await panel.getByRole('heading', { level: 1 }).waitFor();
        await page.screenshot({ path: 'test-results/workspace-layout-1280-collapsed.png' });

        // Both are remembered.
        await page.reload();
        await panel.getByRole('heading', { level: 1 }).waitFor();
        expect(await width()).toBe(dragged);
        expect(await page.getByTestId('queue-nav').count()).toBe(0);
        await toggle.click();
        await page.getByTestId('queue-nav').waitFor();

        // The keys still work: j moves, x checks, Esc closes the panel, Enter opens the selected request.
        await page.locator('body').click({ position: { x: 5, y: 5 } });
        const cursorKey = () => page.locator('[data-testid="queue-row"][data-cursor]').getAttribute('data-key');
        const first = await cursorKey();
        await page.keyboard.press('j');
        await expect.poll(cursorKey).not.toBe(first);
        const second = await cursorKey();
        await page.keyboard.press('x');
        await expect.poll(() => page.locator(`[data-testid="queue-row"][data-key="${second}"] [data-testid="row-check"]`).isChecked()).toBe(true);
        await page.keyboard.press('Escape');
        await expect.poll(() => panel.count()).toBe(0);
        await page.keyboard.press('Enter');
        await expect.poll(() => panel.getAttribute('data-key')).toBe(second);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'agent', context: { viewport: LAPTOP } },
    );
  });

  it('at 1920 × 1080 the list uses the width beside an open request, and nothing is cut', async () => {
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent?sort=updated&open=${keys[0]}`);
        await page.getByTestId('request-panel').getByRole('heading', { level: 1 }).waitFor();
        await expect.poll(() => page.getByTestId('queue-row').count()).toBe(18);
        await page.screenshot({ path: 'test-results/workspace-layout-1920-panel.png' });
        expect(await layoutProblems(page)).toEqual([]);
        const listWidth = await page.getByTestId('queue-table').evaluate((el) => el.getBoundingClientRect().width);
        expect(listWidth).toBeGreaterThan(900);
        expect(await seriousViolations(page)).toEqual([]);
        await page.getByTestId('panel-close').click();
        await expect.poll(() => page.getByTestId('request-panel').count()).toBe(0);
        expect(await layoutProblems(page)).toEqual([]);
        expect(await headerProblems(page)).toEqual([]);
        // The workspace, and the header with it, use the screen past the other pages' 1320 px.
        expect(await page.locator('header .mantine-Container-root').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(1800);
        await page.screenshot({ path: 'test-results/workspace-layout-1920.png' });
      },
      { as: 'agent', context: { viewport: WIDE } },
    );
  });

  it('at 390 × 844 the list is made of cards, the queues are in a drawer, a request opens full screen with a way back, and requests can still be checked', async () => {
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent?sort=updated`);
        const rows = page.getByTestId('queue-row');
        await expect.poll(() => rows.count()).toBe(18);
        await page.screenshot({ path: 'test-results/workspace-layout-390.png' });
        expect(await layoutProblems(page)).toEqual([]);
        expect(await headerProblems(page)).toEqual([]);

        // The queues: a drawer, which closes once a queue is chosen.
        await page.getByTestId('queues-toggle').click();
        const drawer = page.getByRole('dialog', { name: fr.workspace.list.queues });
        await drawer.getByTestId('queue-all_open').click();
        await page.waitForURL(/queue=all_open/);
        await expect.poll(() => drawer.count()).toBe(0);
        await expect.poll(() => rows.count()).toBe(12);
        await page.getByTestId('queues-toggle').click();
        await expect.poll(async () => (await drawer.boundingBox())?.x).toBe(0);
        await page.screenshot({ path: 'test-results/workspace-layout-390-queues.png' });
        expect(await seriousViolations(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await expect.poll(() => drawer.count()).toBe(0);

        // Filters and a selection, still within the screen; the bulk bar is there.
        await page.getByTestId('filter-more').click();
        await page.getByTestId('row-check').nth(0).check();
        await page.getByTestId('row-check').nth(1).check();
        await page.getByTestId('bulk-count').getByText('2').waitFor();
        await page.getByTestId('bulk-assignee').waitFor();
        expect(await layoutProblems(page)).toEqual([]);
        expect(await seriousViolations(page)).toEqual([]);

        // A card opens the request full screen; "back to the list" returns to the same list.
        const key = await rows.nth(2).getAttribute('data-key');
        await rows.nth(2).getByTestId('queue-summary').click();
        const panel = page.getByTestId('request-panel');
        await panel.getByRole('heading', { level: 1 }).waitFor();
        const frame = await panel.boundingBox();
        expect(frame!.width).toBeGreaterThanOrEqual(PHONE.width - 1);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        expect(await headerProblems(page)).toEqual([]);
        await page.screenshot({ path: 'test-results/workspace-layout-390-panel.png' });
        expect(await seriousViolations(page)).toEqual([]);
        await page.getByRole('button', { name: fr.workspace.list.backToList }).click();
        await expect.poll(() => panel.count()).toBe(0);
        expect(new URL(page.url()).searchParams.get('open')).toBeNull();
        expect(await page.locator(`[data-testid="queue-row"][data-key="${key}"]`).count()).toBe(1);
        expect(await page.getByTestId('row-check').nth(0).isChecked()).toBe(true);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'agent', context: { viewport: PHONE, isMobile: true, hasTouch: true } },
    );
  });
});
