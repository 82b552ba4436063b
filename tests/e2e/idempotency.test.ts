/**
 * A retried submission creates once, in Chromium against the real app: the connection drops after
 * the server has committed a new request (or a reply) — the browser never gets the answer and says
 * the server cannot be reached — and the person presses the button again. The same submission is
 * sent with the same Idempotency-Key; the server answers its first answer; there is one request (one
 * reply), and the person lands where the first attempt would have taken them.
 */
import { count, eq } from 'drizzle-orm';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ticket, ticketMessage } from '../../src/server/db/schema.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import {
  asPerson,
  describeBrowser,
  launchBrowser,
  logIn,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';

/**
 * Lets the first POST to `path` reach the server, which handles and commits it, then drops the
 * connection before the answer reaches the page; later ones go through. Returns the
 * Idempotency-Key of every POST to `path` and the answers the page received.
 */
async function dropFirstAnswer(page: Page, path: string) {
  const keys: (string | undefined)[] = [];
  const answers: { status: number; replayed: string | undefined }[] = [];
  let dropped = false;
  const isTarget = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === path;
  page.on('request', (request) => {
    if (isTarget(request)) keys.push(request.headers()['idempotency-key']);
  });
  page.on('response', (response) => {
    if (isTarget(response.request())) answers.push({ status: response.status(), replayed: response.headers()['idempotent-replayed'] });
  });
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      if (route.request().method() !== 'POST' || dropped) return route.continue();
      dropped = true;
      const served = await route.fetch();
      expect(served.status()).toBe(201);
      await route.abort('connectionreset');
    },
  );
  return { keys, answers, dropped: () => dropped };
}

describeBrowser('a submission retried after the connection dropped creates once', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function customer() {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    return seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
  }
  const requestsOf = async (reporterId: string) => (await server.ctx.db.select({ n: count() }).from(ticket).where(eq(ticket.reporterId, reporterId)))[0]!.n;

  it('a new request: the answer is lost, the customer presses the button again, one request is opened and shown', async () => {
    const claire = await customer();
    await asPerson(browser, async (page) => {
      await logIn(page, server, claire.email, claire.password);
      await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
      await page.getByTestId('create-request-form').waitFor();
      await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
      await page.getByTestId('request-description').fill('Depuis ce matin, le lancement des factures s’arrête.');
      await page.getByTestId('criticality-high').click();
      const network = await dropFirstAnswer(page, '/api/requests');

      await page.getByTestId('request-submit').click();
      // The server created it; the browser only knows the connection failed.
      await page.getByTestId('create-request-form').getByText(fr.errors.network.unreachable).waitFor();
      expect(network.dropped()).toBe(true);
      await expect.poll(() => requestsOf(claire.id)).toBe(1);

      await page.getByTestId('request-submit').click();
      const requestPage = page.getByTestId('page-request');
      await requestPage.waitFor();
      const key = (await requestPage.getAttribute('data-key'))!;
      expect(new URL(page.url()).pathname).toBe(`/requests/${key}`);
      const [created] = await server.ctx.db.select({ key: ticket.key }).from(ticket).where(eq(ticket.reporterId, claire.id));
      expect(created!.key).toBe(key);
      expect(await requestsOf(claire.id)).toBe(1);
      // Both attempts carried the submission's one key; the second answer was the first, replayed.
      expect(network.keys).toHaveLength(2);
      expect(network.keys[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(network.keys[1]).toBe(network.keys[0]);
      expect(network.answers).toEqual([{ status: 201, replayed: 'true' }]);

      // A new submission afterwards is a new request, with a new key.
      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
      await page.getByTestId('create-request-form').waitFor();
      await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
      await page.getByTestId('request-description').fill('Depuis ce matin, le lancement des factures s’arrête.');
      await page.getByTestId('criticality-high').click();
      const next = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/requests');
      await page.getByTestId('request-submit').click();
      expect((await next).headers()['idempotency-key']).not.toBe(network.keys[0]);
      await page.locator(`[data-testid="page-request"]:not([data-key="${key}"])`).waitFor();
      expect(await requestsOf(claire.id)).toBe(2);
    });
  });

  it('a reply: the answer is lost, the customer sends again, the conversation holds one reply', async () => {
    const claire = await customer();
    await asPerson(browser, async (page) => {
      await logIn(page, server, claire.email, claire.password);
      const opened = await page.evaluate(async () => {
        const catalog = (await (await fetch('/api/catalog')).json()) as { desks: { requestTypes: { id: string; slug: string }[] }[] };
        const assistance = catalog.desks.flatMap((d) => d.requestTypes).find((type) => type.slug === 'assistance')!;
        const res = await fetch('/api/requests', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requestTypeId: assistance.id,
            summary: 'Export bloqué',
            description: 'L’export comptable ne part plus.',
            criticality: 'medium',
          }),
        });
        return (await res.json()) as { id: string; key: string };
      });
      await page.goto(`${server.baseUrl}/requests/${opened.key}`);
      await page.locator(`[data-testid="page-request"][data-key="${opened.key}"]`).waitFor();
      const network = await dropFirstAnswer(page, `/api/requests/${opened.key}/messages`);

      await page.getByTestId('reply-body').fill('Voici le journal d’erreurs.');
      await page.getByTestId('reply-send').click();
      await page.getByTestId('reply-box').getByText(fr.errors.network.unreachable).waitFor();
      expect(network.dropped()).toBe(true);
      // The text is still there to send again.
      expect(await page.getByTestId('reply-body').inputValue()).toBe('Voici le journal d’erreurs.');

      await page.getByTestId('reply-send').click();
      await page.getByTestId('message-body').getByText('Voici le journal d’erreurs.').waitFor();
      await expect.poll(() => page.getByTestId('reply-body').inputValue()).toBe('');
      expect(await page.getByTestId('message').count()).toBe(1);
      expect((await server.ctx.db.select({ n: count() }).from(ticketMessage).where(eq(ticketMessage.ticketId, opened.id)))[0]!.n).toBe(1);
      expect(network.keys).toHaveLength(2);
      expect(network.keys[1]).toBe(network.keys[0]);
      expect(network.answers).toEqual([{ status: 201, replayed: 'true' }]);
    });
  });
});
