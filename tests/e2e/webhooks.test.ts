/**
 * Administration → Webhooks in Chromium against the real app: an administrator subscribes a
 * receiver (a real HTTP server on 127.0.0.1, allowed by WEBHOOK_ALLOWED_HOSTS), sees the signing
 * secret, sends a test ping, reads the delivery log with the try's answer, and sends a delivery
 * again. A refused URL is shown on its field. Every page is checked at 390 and 1280 px: no sideways
 * scrolling, nothing cut, no critical or serious axe violation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookSubscription } from '../../src/server/db/schema.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { asPerson, describeBrowser, launchBrowser, logIn, seedUser, startServerForBrowser, uniqueSuffix, type BrowserServer } from '../support/browser.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

async function sweepBoth(page: Page, label: string): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await settle(page);
    problems.push(...(await sweepPage(page, `${label} @${viewport.name}`)));
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return problems;
}

describeBrowser('webhooks administration in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const suffix = uniqueSuffix();

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`received ${suffix}`);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/erp/hooks`;
    [server, browser] = await Promise.all([startServerForBrowser({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('an administrator subscribes a receiver, reads its secret, pings it and sends a delivery again from the log', async () => {
    const admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Ada Admin', role: 'admin', language: 'fr' });
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/webhooks`);
        await page.getByTestId('nav-admin-webhooks').first().waitFor({ state: 'attached' });
        await page.getByText(fr.webhooks.empty).waitFor();
        const problems = await sweepBoth(page, 'webhooks list (empty)');

        await page.getByTestId('webhook-create').click();
        const dialog = page.getByRole('dialog');
        const url = dialog.getByTestId('webhook-url');
        // An http URL to a host the server does not allow is refused on its field.
        await url.fill('http://erp.example.com/hooks');
        await dialog.getByTestId('webhook-description').fill(`ERP ${suffix}`);
        await dialog.getByTestId('webhook-event-message.created').check();
        problems.push(...(await sweepBoth(page, 'new webhook')));
        await dialog.getByTestId('webhook-save').click();
        await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
        expect(await dialog.getByText(fr.errors.webhook.url_refused).count()).toBe(1);
        await url.fill(receiverUrl);
        await dialog.getByTestId('webhook-save').click();
        await page.waitForURL(/\/admin\/webhooks\/[0-9a-f-]{36}$/);

        const [saved] = await server.ctx.db.select().from(webhookSubscription).where(eq(webhookSubscription.url, receiverUrl));
        expect(saved).toMatchObject({ description: `ERP ${suffix}`, events: ['request.created', 'message.created'], enabled: true });
        // The secret is hidden until asked for.
        const secret = page.getByTestId('webhook-secret');
        expect(await secret.textContent()).not.toContain(saved!.secret);
        await page.getByTestId('webhook-secret-toggle').click();
        await expect.poll(() => secret.textContent()).toBe(saved!.secret);

        await page.getByTestId('webhook-ping').click();
        const rows = page.getByTestId('webhook-delivery-row');
        await expect.poll(() => rows.count()).toBe(1);
        expect(received).toHaveLength(1);
        expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'webhook.ping', version: 1 });
        expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
        problems.push(...(await sweepBoth(page, 'webhook')));

        await rows.first().getByRole('button').click();
        const delivery = page.getByTestId('webhook-delivery');
        await delivery.getByTestId('webhook-try').first().waitFor();
        expect(await delivery.getByTestId('webhook-try').first().textContent()).toContain(`received ${suffix}`);
        problems.push(...(await sweepBoth(page, 'webhook delivery')));
        await delivery.getByTestId('webhook-resend').click();
        await expect.poll(() => delivery.getByTestId('webhook-try').count()).toBe(2);
        expect(received.map((r) => r.headers['webhook-id'])).toEqual([received[0]!.headers['webhook-id'], received[0]!.headers['webhook-id']]);

        await page.keyboard.press('Escape');
        await page.goto(`${server.baseUrl}/admin/webhooks`);
        await expect.poll(() => page.getByTestId('webhook-row').count()).toBe(1);
        problems.push(...(await sweepBoth(page, 'webhooks list')));

        expect(problems).toEqual([]);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );
  });
});
