/**
 * The keyboard, in Chromium against the real app: the first Tab reaches "Skip to content", which moves
 * the focus to the page's content; the menu of small screens is out of the tab order on a laptop; after
 * a failed submit the focus is on the first invalid field, whether the form found the fault or the
 * server named the field (a 4xx `{ code, message, field }`).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

const LAPTOP = { viewport: { width: 1280, height: 800 } };

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

/** What has the focus: its test id, or its tag and text, and whether it sits in the menu of small screens. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      testId: el?.getAttribute('data-testid') ?? '',
      text: (el?.textContent ?? '').trim().slice(0, 40),
      inMobileMenu: Boolean(el?.closest('[data-testid="mobile-menu"]')),
      inMain: Boolean(el?.closest('main')),
    };
  });

describeBrowser('the keyboard: skip link, tab order, focus after a failed submit', () => {
  let server: BrowserServer;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof seedUser>>;
  let customer: Awaited<ReturnType<typeof seedUser>>;
  let takenDomain: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
    const suffix = uniqueSuffix();
    takenDomain = `alpina-${suffix}.ch`;
    const org = await seedOrganization(server, `Alpina Industrie ${suffix}`, [takenDomain]);
    admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Admin Guichet', role: 'admin' });
    customer = await seedUser(server, { email: `claire@${takenDomain}`, name: 'Claire Dubois', organizationId: org.id });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the first Tab reaches "Skip to content", which moves the focus to the content; the hidden menu is never reached on a laptop', async () => {
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/`);
        await page.getByTestId('page-home-staff').waitFor();

        // From the top of the page: the skip link first.
        await page.locator('body').focus();
        await page.keyboard.press('Tab');
        expect(await focused(page)).toMatchObject({ testId: 'skip-link', text: fr.nav.skipToContent });
        await page.keyboard.press('Enter');
        expect(await focused(page)).toMatchObject({ id: 'main-content' });
        // The next Tab goes on inside the content, past the header.
        await page.keyboard.press('Tab');
        expect((await focused(page)).inMain).toBe(true);

        // Tabbing through the header from the top reaches the content without passing through the menu of small screens.
        await page.goto(`${server.baseUrl}/`);
        await page.getByTestId('page-home-staff').waitFor();
        await page.locator('body').focus();
        const visited: Awaited<ReturnType<typeof focused>>[] = [];
        for (let i = 0; i < 30; i++) {
          await page.keyboard.press('Tab');
          const now = await focused(page);
          visited.push(now);
          if (now.inMain) break;
        }
        expect(visited.filter((v) => v.inMobileMenu)).toEqual([]);
        expect(visited.at(-1)?.inMain).toBe(true);
      },
      { context: LAPTOP },
    );
  });

  it('on a phone the menu opens with the burger and its links are in reach', async () => {
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        const menu = page.getByTestId('mobile-menu');
        expect(await menu.evaluate((el) => (el as HTMLElement).inert)).toBe(true);
        await page.getByRole('button', { name: fr.nav.openMenu }).click();
        await expect.poll(() => menu.evaluate((el) => (el as HTMLElement).inert)).toBe(false);
        await menu.getByRole('link', { name: fr.nav.profile }).focus();
        expect((await focused(page)).inMobileMenu).toBe(true);
      },
      { context: { viewport: { width: 390, height: 844 } } },
    );
  });

  it('a form that finds a fault puts the focus on the first invalid field', async () => {
    await asPerson(
      browser,
      async (page) => {
        await page.goto(`${server.baseUrl}/login`);
        await page.getByTestId('page-login').waitFor();
        const email = page.getByLabel(fr.fields.email, { exact: true });
        const password = page.getByLabel(fr.fields.password, { exact: true });
        await page.getByTestId('login-submit').click();
        await expect.poll(() => isFocused(email)).toBe(true);
        expect(await email.getAttribute('aria-invalid')).toBe('true');

        // The e-mail is right now, the password still missing: the focus goes there.
        await email.fill(customer.email);
        await page.getByTestId('login-submit').click();
        await expect.poll(() => isFocused(password)).toBe(true);

        // The same on a longer form: opening a request without a summary.
        await password.fill(customer.password);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('create-request-form').waitFor();
        await page.getByTestId('request-submit').click();
        await expect.poll(() => isFocused(page.getByTestId('request-summary'))).toBe(true);
        // Summary given, the criticality (a group of choices) missing.
        await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
        await page.getByTestId('request-description').fill('Depuis ce matin.');
        await page.getByTestId('request-submit').click();
        await expect.poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="criticality"]')))).toBe(true);
      },
      { context: LAPTOP },
    );
  });

  it('a field the server refuses (a 4xx naming it) gets the focus', async () => {
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/organizations`);
        await page.getByTestId('organization-create').click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel(fr.organizations.name, { exact: true }).fill(`Doublon ${uniqueSuffix()}`);
        const domains = dialog.getByLabel(fr.organizations.domains, { exact: true });
        await domains.fill(takenDomain);
        await domains.press('Enter');
        await dialog.getByTestId('organization-save').click();
        // 409 organization.domain_taken, field "domains": the message beside the field, the focus in it.
        await dialog.getByText(fr.errors.organization.domain_taken, { exact: false }).waitFor();
        await expect.poll(() => isFocused(domains)).toBe(true);
      },
      { context: LAPTOP },
    );
  });
});
