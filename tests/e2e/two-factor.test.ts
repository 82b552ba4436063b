/**
 * Two-factor authentication in Chromium against the real app: a customer of an organization that
 * requires it logs in, is kept on the set-up page, scans (reads) the key, confirms a code computed as
 * an authenticator app would (RFC 6238), keeps the backup codes and reaches the portal; the next
 * log-in asks for a code. Every step is checked at 390 and 1280 px: no sideways scrolling, nothing
 * cut, no critical or serious axe violation.
 */
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { organization } from '../../src/server/db/schema.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import {
  asPerson,
  describeBrowser,
  launchBrowser,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

/** What an authenticator app shows now for a base32 key (RFC 6238: SHA-1, 30 s, 6 digits). */
function totpNow(base32Key: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32Key.replace(/\s+|=+$/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(Array.from({ length: Math.floor(bits.length / 8) }, (_, i) => Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

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

/** The password step of the log-in page; `null` for the page already open (where a log-out leads, remembering where from). */
async function submitPassword(page: Page, server: BrowserServer | null, email: string, password: string) {
  if (server) await page.goto(`${server.baseUrl}/login`);
  await page.getByTestId('page-login').waitFor();
  await page.getByLabel(fr.fields.email, { exact: true }).fill(email);
  await page.getByLabel(fr.fields.password, { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

describeBrowser('two-factor authentication in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer whose organization requires it sets it up at the first log-in, then logs in with a code', { timeout: 180_000 }, async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    await server.ctx.db.update(organization).set({ twoFactorRequired: true }).where(eq(organization.id, org.id));
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });

    await asPerson(browser, async (page, log) => {
      const problems: string[] = [];
      await submitPassword(page, server, customer.email, customer.password);
      // Kept on the set-up page: the portal is out of reach until it is done.
      await page.getByTestId('page-two-factor-setup').waitFor();
      await page.goto(`${server.baseUrl}/requests`);
      await page.getByTestId('page-two-factor-setup').waitFor();
      problems.push(...(await sweepBoth(page, 'set-up: password')));

      await page.getByLabel(fr.twoFactor.password, { exact: true }).fill(customer.password);
      await page.getByTestId('two-factor-continue').click();
      await page.getByRole('img', { name: fr.twoFactor.qrAlt }).waitFor();
      const key = (await page.getByTestId('two-factor-key').innerText()).replace(/\s+/g, '');
      expect(key).toMatch(/^[A-Z2-7]+$/);
      problems.push(...(await sweepBoth(page, 'set-up: QR code')));

      // A wrong code is refused on its field.
      const wrong = totpNow(key) === '000000' ? '111111' : '000000';
      await page.getByLabel(fr.twoFactor.code, { exact: true }).fill(wrong);
      await page.getByTestId('two-factor-verify').click();
      await page.getByText(fr.errors.auth.invalid_code, { exact: true }).waitFor();
      await page.getByLabel(fr.twoFactor.code, { exact: true }).fill(totpNow(key));
      await page.getByTestId('two-factor-verify').click();
      await page.getByTestId('two-factor-backup-codes').waitFor();
      expect(await page.getByTestId('backup-code').count()).toBe(10);
      problems.push(...(await sweepBoth(page, 'set-up: backup codes')));
      await page.getByTestId('two-factor-backup-done').click();
      await page.getByTestId('page-home-customer').waitFor();

      // The profile says it is on, and required.
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByTestId('profile-two-factor').getByTestId('two-factor-status').getByText(fr.twoFactor.on).waitFor();
      problems.push(...(await sweepBoth(page, 'profile')));

      // Log out, and in again: the password, then a code.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('nav-logout').click();
      // The log-out leads to the log-in page, which remembers the profile: no navigation of our own.
      await submitPassword(page, null, customer.email, customer.password);
      await page.getByTestId('login-code-step').waitFor();
      problems.push(...(await sweepBoth(page, 'log-in: code step')));
      await page.getByLabel(fr.twoFactor.code, { exact: true }).fill(totpNow(key));
      await page.getByTestId('login-trust-device').check();
      await page.getByTestId('login-code-submit').click();
      // Back where the log-out left from.
      await page.getByTestId('page-profile').waitFor();
      await page.getByTestId('user-menu').waitFor();

      expect(problems).toEqual([]);
      expect(log.pageErrors).toEqual([]);
      expect(log.cspViolations()).toEqual([]);
    });
  });
});
