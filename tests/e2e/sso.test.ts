/**
 * Single sign-on as people use it, in Chromium: a customer whose company signs in through its own
 * OpenID provider (oidc-provider, on 127.0.0.1) types their address, is offered their company account
 * instead of a password, signs in at the provider and lands in the portal, in their organization.
 * The sign-in page in that state and the administration's page hold on a phone and a laptop.
 */
import type { Browser } from 'playwright-core';
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
import { freePort } from '../support/free-port.ts';
import { startOidcIdp, type IdpAccount } from '../support/oidc-idp.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

describeBrowser('single sign-on in the browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let idp: Awaited<ReturnType<typeof startOidcIdp>>;
  const domain = `sso-${uniqueSuffix()}.test`;
  const accounts: Record<string, IdpAccount> = {};
  let admin: { email: string; password: string };

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    server = await startServerForBrowser({ env: { SSO_PRIVATE_IDP_ORIGINS: issuer } });
    const org = await seedOrganization(server, 'Contoso SA', [domain]);
    admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@vendor.test`, name: 'Ada Admin', role: 'admin' });
    const cookie = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: server.baseUrl },
        payload: { email: admin.email, password: admin.password },
      })
    ).cookies
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/admin/sso-providers',
      headers: { origin: server.baseUrl, cookie },
      payload: { protocol: 'oidc', organizationId: org.id, domain, issuer, clientId: 'guichet', clientSecret: 'browser-client-secret-42' },
    });
    expect(created.statusCode, created.body).toBe(201);
    idp = await startOidcIdp({ port, clientId: 'guichet', clientSecret: 'browser-client-secret-42', redirectUris: [created.json().callbackUrl], accounts });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  it('a customer of a company with single sign-on signs in through their company account, without a password', async () => {
    const email = `marie.dupont@${domain}`;
    accounts.marie = { email, name: 'Marie Dupont' };
    await asPerson(browser, async (page) => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByLabel(fr.fields.email, { exact: true }).fill(email);
      const button = page.getByRole('button', { name: fr.login.sso.continue });
      await button.waitFor();
      expect(await page.getByLabel(fr.fields.password, { exact: true }).count()).toBe(0);
      await button.click();

      // The identity provider's own pages: its log-in form, then its consent.
      await page.waitForURL((url) => url.origin === idp.issuer);
      await page.locator('input[name="login"]').fill('marie');
      await page.locator('input[name="password"]').fill('whatever-the-idp-checks');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === '/');
      const home = page.getByTestId('page-home-customer');
      await home.getByRole('heading', { level: 1 }).getByText('Marie Dupont').waitFor();
      await home.getByText('Contoso SA').first().waitFor();
    });
  });

  it('the sign-in page offering the company account, and the administration of identity providers, hold on a phone and a laptop', async () => {
    const problems: string[] = [];
    for (const viewport of VIEWPORTS) {
      await asPerson(
        browser,
        async (page) => {
          await page.goto(`${server.baseUrl}/login`);
          await page.getByLabel(fr.fields.email, { exact: true }).fill(`someone@${domain}`);
          await page.getByRole('button', { name: fr.login.sso.continue }).waitFor();
          await settle(page);
          problems.push(...(await sweepPage(page, `login with SSO (${viewport.name})`)));

          await logIn(page, server, admin.email, admin.password);
          await page.goto(`${server.baseUrl}/admin/sso`);
          await page.getByTestId('sso-provider-row').first().waitFor();
          await settle(page);
          problems.push(...(await sweepPage(page, `admin SSO (${viewport.name})`)));
          await page.getByTestId('sso-create').click();
          await page.getByRole('dialog', { name: fr.sso.create }).waitFor();
          await settle(page);
          problems.push(...(await sweepPage(page, `admin SSO form (${viewport.name})`)));
        },
        { context: { viewport: { width: viewport.width, height: viewport.height } } },
      );
    }
    expect(problems).toEqual([]);
  });
});
