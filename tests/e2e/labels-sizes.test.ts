/**
 * Words of the shared components and file sizes, in the reader's language: the password field's eye
 * button says what it does in French or German, and an attachment's size is written "1,5 Mo" in French.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { de } from '../../src/web/i18n/de.ts';
import { en } from '../../src/web/i18n/en.ts';
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

describeBrowser('words of the shared components and file sizes follow the interface’s language', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the password field’s eye button says “show” or “hide” in French, then in German', async () => {
    await asPerson(browser, async (page, log) => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('page-login').waitFor();
      const password = page.getByLabel(fr.fields.password, { exact: true });
      await page.getByRole('button', { name: fr.password.show, exact: true }).click();
      expect(await password.getAttribute('type')).toBe('text');
      await page.getByRole('button', { name: fr.password.hide, exact: true }).click();
      expect(await password.getAttribute('type')).toBe('password');

      await page.getByTestId('language-de').click();
      await page.getByRole('button', { name: de.password.show, exact: true }).waitFor();
      // No English left over from the component library.
      expect(await page.getByRole('button', { name: en.password.show }).count()).toBe(0);
      expect(await page.locator('[aria-label="Toggle password visibility"]').count()).toBe(0);
      expect(log.pageErrors).toEqual([]);
    });
  });

  it('a customer writing in French sees the size of an attachment as “1,5 Mo”, while uploading and on the request', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    await asPerson(browser, async (page, log) => {
      await logIn(page, server, customer.email, customer.password);
      await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
      await page.getByTestId('request-summary').fill('Journal des erreurs de facturation');
      await page.getByTestId('request-description').fill('Le journal est joint.');
      await page.getByTestId('criticality-low').click();
      // 1.5 MiB of text.
      await page
        .getByTestId('attachments-input')
        .setInputFiles([{ name: 'journal.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1.5 * 1024 * 1024, 'facture refusée\n') }]);
      const item = page.locator('[data-testid="attachments-item"][data-name="journal.txt"][data-state="done"]');
      await item.waitFor();
      const sizeOf = (text: string) => text.replace(/\s/g, ' ');
      expect(sizeOf(await item.innerText())).toContain('1,5 Mo');
      await page.getByTestId('request-submit').click();
      const attachment = page.locator('[data-testid="attachment"][data-name="journal.txt"]');
      await attachment.waitFor();
      expect(sizeOf(await attachment.innerText())).toContain('1,5 Mo');
      expect(sizeOf(await attachment.innerText())).not.toContain('MB');
      expect(log.pageErrors).toEqual([]);
    });
  });
});
