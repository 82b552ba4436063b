/**
 * API tokens as people use them, in Chromium against the real app: a customer creates a personal
 * token on their profile, copies the secret shown once, the token works for an integration and stops
 * once revoked; an administrator opens the page of service accounts and tokens. The profile, the
 * secret's dialog and the administration page are checked at 390 and 1280 px: no sideways scrolling,
 * nothing cut, no critical or serious axe violation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

describeBrowser('API tokens in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer creates a personal token on the profile, sees its secret once, uses it and revokes it', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const asIntegration = (secret: string) => server.app.inject({ method: 'GET', url: '/api/requests', headers: { authorization: `Bearer ${secret}` } });

    await asPerson(browser, async (page) => {
      await logIn(page, server, customer.email, customer.password);
      await page.goto(`${server.baseUrl}/profile`);
      const card = page.getByTestId('api-tokens');
      await card.getByTestId('list-empty').waitFor();
      expect(await sweepBoth(page, 'profile without tokens')).toEqual([]);

      await card.getByTestId('token-new').click();
      const dialog = page.getByRole('dialog', { name: fr.apiTokens.newTitle });
      await dialog.getByLabel(fr.apiTokens.name).fill('Synchronisation ERP');
      await dialog.getByLabel(fr.apiTokens.scopeNames.requests_write).check();
      // The administration scope is for administrators only.
      expect(await dialog.getByLabel(fr.apiTokens.scopeNames.admin).count()).toBe(0);
      expect(await sweepBoth(page, 'new token form')).toEqual([]);
      await dialog.getByTestId('token-create-submit').click();

      const secretBox = page.getByTestId('token-secret');
      await secretBox.waitFor();
      const secret = (await secretBox.textContent())!.trim();
      expect(secret).toMatch(/^gch_[A-Za-z0-9_-]{43}$/);
      expect(await sweepBoth(page, 'secret shown once')).toEqual([]);
      await page.getByTestId('token-secret-done').click();
      await secretBox.waitFor({ state: 'detached' });

      const row = card.getByTestId('token-row');
      await row.waitFor();
      expect(await row.getAttribute('data-prefix')).toBe(secret.slice(0, 12));
      // The secret is never shown again.
      expect(await page.content()).not.toContain(secret);
      expect((await asIntegration(secret)).statusCode).toBe(200);
      expect(await sweepBoth(page, 'profile with a token')).toEqual([]);

      await row.getByTestId('token-revoke').click();
      await page.getByTestId('token-revoke-confirm').click();
      await card.locator('[data-testid="token-row"][data-status="revoked"]').waitFor();
      const refused = await asIntegration(secret);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('auth.token_revoked');
    });
  });

  it('an administrator creates a service account and its token on the administration page', async () => {
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Ada Admin', role: 'admin' });
    await asPerson(browser, async (page) => {
      await logIn(page, server, admin.email, admin.password);
      await page.goto(`${server.baseUrl}/admin/api-tokens`);
      await page.getByTestId('service-new').click();
      const dialog = page.getByRole('dialog', { name: fr.serviceAccounts.newTitle });
      await dialog.getByTestId('service-name').fill('Connecteur ERP');
      await dialog.getByTestId('service-create-submit').click();
      const account = page.getByTestId('service-account-row').filter({ hasText: 'Connecteur ERP' });
      await account.waitFor();
      await account.getByTestId('service-new-token').click();
      await page.getByTestId('token-name').fill('Production');
      await page.getByTestId('token-create-submit').click();
      const secret = (await page.getByTestId('token-secret').textContent())!.trim();
      await page.getByTestId('token-secret-done').click();
      const row = page.getByTestId('all-tokens-table').locator(`[data-testid="token-row"][data-prefix="${secret.slice(0, 12)}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('Connecteur ERP');
      expect(await sweepBoth(page, 'administration of API tokens')).toEqual([]);
    });
  });
});
