/**
 * Desks in the administration, in Chromium against the real app: an administrator sees which desk
 * the maintenance contract covers and changes it in the desk's form (the rule keys on that flag,
 * never on the desk's slug).
 */
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk } from '../../src/server/db/schema.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { logIn, asPerson, describeBrowser, launchBrowser, seedUser, startServerForBrowser, uniqueSuffix, type BrowserServer } from '../support/browser.ts';

describeBrowser('desks: which desk the maintenance contract covers', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an administrator sees the flag on Support, not on Consulting, and sets it on Consulting in its form', async () => {
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Ada Admin', role: 'admin' });
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/desks`);
        const flagIn = async (slug: string) => {
          await page.locator(`[data-testid="desk-row"][data-slug="${slug}"]`).getByTestId('desk-edit').click();
          const dialog = page.getByRole('dialog');
          const flag = dialog.getByRole('switch', { name: fr.catalog.desks.coveredByMaintenanceLabel });
          await flag.waitFor({ state: 'attached' });
          return { dialog, flag };
        };

        const support = await flagIn('support');
        expect(await support.flag.isChecked()).toBe(true);
        await support.dialog.getByRole('button', { name: fr.common.cancel }).click();
        await support.dialog.waitFor({ state: 'detached' });

        const consulting = await flagIn('consulting');
        expect(await consulting.flag.isChecked()).toBe(false);
        await consulting.flag.click();
        await expect.poll(() => consulting.flag.isChecked()).toBe(true);
        await consulting.dialog.getByTestId('desk-save').click();
        await consulting.dialog.waitFor({ state: 'detached' });

        await expect
          .poll(async () => (await server.ctx.db.select({ covered: desk.coveredByMaintenance }).from(desk).where(eq(desk.slug, 'consulting')))[0]?.covered)
          .toBe(true);
        const again = await flagIn('consulting');
        expect(await again.flag.isChecked()).toBe(true);
      },
      { as: 'admin' },
    );
  });
});
