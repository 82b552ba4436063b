import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, startServerForBrowser, withPage, type BrowserServer } from '../support/browser.ts';

describeBrowser('smoke: the built web app in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the login page, under the server’s Content Security Policy, without errors', async () => {
    await withPage(browser, async (page, log) => {
      const response = await page.goto(`${server.baseUrl}/login`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

      const heading = page.getByRole('heading').first();
      await heading.waitFor({ state: 'visible', timeout: 20_000 });
      expect((await heading.textContent())?.trim()).not.toBe('');
      expect(await page.title()).not.toBe('');
      await page.getByRole('textbox').first().waitFor({ state: 'visible' });

      expect(log.cspViolations()).toEqual([]);
      expect(log.pageErrors).toEqual([]);
      // A logged-out visitor's session probe answers 401, which Chromium logs as a failed resource: not an error of the page.
      expect(log.console.filter((m) => m.type === 'error' && !m.text.startsWith('Failed to load resource'))).toEqual([]);
    });
  });
});
