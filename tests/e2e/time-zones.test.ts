/**
 * Times in one zone: a customer whose browser runs in New York reads the request's history and its SLA
 * box in the same zone — their profile's, by default the business calendar's (Zurich) — labelled, since
 * it is not their browser's; once they choose New York on their profile, both follow, unlabelled.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDateFormatter } from '../../src/web/lib/date-format.ts';
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

const fill = (text: string, params: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key]));
const BROWSER_ZONE = 'America/New_York';

/** What the request page shows: the SLA box's answer time, and the history line of the creation. */
async function shownTimes(page: Page) {
  const sla = page.getByTestId('sla-customer');
  await sla.waitFor();
  const created = page.locator('[data-testid="history-entry"][data-field="created"]');
  await created.waitFor();
  return { answerBy: await sla.getByTestId('sla-answer-by').innerText(), created: await created.innerText() };
}

describeBrowser('times: one zone for the history and the SLA box, labelled where it is not the browser’s', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer in New York reads Zurich times, labelled, in the history and the SLA box; choosing New York on the profile shows both in New York', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });

    await asPerson(
      browser,
      async (page, log) => {
        expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_ZONE);
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
        await page.getByTestId('request-description').fill('Depuis ce matin, le lancement des factures s’arrête.');
        await page.getByTestId('criticality-high').click();
        await page.getByTestId('request-submit').click();
        const requestPage = page.getByTestId('page-request');
        await requestPage.waitFor();
        const key = (await requestPage.getAttribute('data-key'))!;
        const detail = await page.evaluate(async (k) => (await fetch(`/api/requests/${k}`, { headers: { accept: 'application/json' } })).json(), key);
        const answerExpectedBy = detail.sla.customer.answerExpectedBy as string;
        const createdAt = (detail.history as { field: string; at: string }[]).find((entry) => entry.field === 'created')!.at;

        // By default, the business calendar's zone, named on every time since the browser is elsewhere.
        const zurich = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: BROWSER_ZONE });
        const before = await shownTimes(page);
        expect(before.answerBy).toBe(fill(fr.sla.request.answerBy, { date: zurich.deadline(answerExpectedBy) }));
        expect(before.answerBy).toContain('(Zurich)');
        expect(before.created).toContain(zurich.dateTime(createdAt));
        expect(before.created).toContain('(Zurich)');

        // The profile offers the calendar's zone by default, and any zone by searching its name.
        await page.goto(`${server.baseUrl}/profile`);
        const zone = page.getByTestId('profile-time-zone');
        await expect.poll(() => zone.inputValue()).toBe(fill(fr.profile.timeZoneCalendar, { zone: 'Europe/Zurich' }));
        await zone.click();
        await zone.fill('New York');
        await page.getByRole('option', { name: /^America\/New York/ }).click();
        await page.getByTestId('profile-save').click();
        await page.getByText(fr.profile.saved).waitFor();

        // Both in New York now, the browser's own zone: no label.
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const newYork = createDateFormatter({ language: 'fr', timeZone: BROWSER_ZONE, browserZone: BROWSER_ZONE });
        const after = await shownTimes(page);
        expect(after.answerBy).toBe(fill(fr.sla.request.answerBy, { date: newYork.deadline(answerExpectedBy) }));
        expect(after.created).toContain(newYork.dateTime(createdAt));
        expect(`${after.answerBy} ${after.created}`).not.toMatch(/\((Zurich|New York)\)/);
        expect(log.pageErrors).toEqual([]);
      },
      { context: { timezoneId: BROWSER_ZONE } },
    );
  });
});
