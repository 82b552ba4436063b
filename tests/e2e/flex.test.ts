/**
 * Flex in Chromium, against the real app (DESIGN.md §2 "Flex"): an administrator records hours
 * bought, the customer opens a Solva Flex request and sees the balance on the form, an agent logs
 * time on it, the administrator runs billing, and the customer sees the balance go down and
 * downloads the statement. Only what no person could do in the interface is seeded (organization,
 * accounts, the agent's desk, the Flex contract window).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatMinutes } from '../../src/shared/durations.ts';
import { and, eq } from 'drizzle-orm';
import { desk, deskMember, flexContractWindow, outbox } from '../../src/server/db/schema.ts';
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

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).innerText()).trim();

describeBrowser('Flex: time logged on a Solva Flex request is billed and the customer sees the balance go down', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('purchase, request, time logged, billing run, balance and statement', async () => {
    const suffix = uniqueSuffix();
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`alpina-${suffix}.ch`]);
    const year = new Date().getUTCFullYear();
    await server.ctx.db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
    const customer = await seedUser(server, { email: `claire@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${suffix}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Admin Guichet', role: 'admin' });
    const [support] = (await server.ctx.db.select().from(desk)).filter((d) => d.slug === 'support');
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });

    // The administrator records 10 hours bought.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.getByTestId('nav-flex').first().click();
        await page.getByTestId('flex-balances').waitFor();
        await page.locator('[data-testid="flex-balance-row"][data-organization="Alpina Industrie SA"]').getByTestId('flex-open-organization').click();
        await page.getByTestId('page-flex-organization').waitFor();
        await page.getByTestId('flex-purchase-hours').fill('10');
        await page.getByTestId('flex-purchase-reference').fill('PO-2026-014');
        await page.getByTestId('flex-purchase-submit').click();
        await expect.poll(() => text(page, 'flex-balance'), { timeout: 15_000 }).toBe(formatMinutes(600));
      },
      { as: 'admin-purchase' },
    );

    // The customer opens a Solva Flex request; the form shows the balance.
    const key = await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-solva-flex').click();
        await page.getByTestId('create-request-form').waitFor();
        expect(await page.getByTestId('create-flex-balance').innerText()).toContain(fr.flex.createForm.balance.replace('{{balance}}', formatMinutes(600)));
        await page.getByTestId('request-summary').fill('Nouveau champ centre de coût');
        await page.getByTestId('request-description').fill('Un centre de coût sur chaque commande fournisseur.');
        await page.getByTestId('criticality-medium').click();
        await page.getByTestId('request-submit').click();
        const requestPage = page.getByTestId('page-request');
        await requestPage.waitFor();
        return (await requestPage.getAttribute('data-key'))!;
      },
      { as: 'customer-request' },
    );

    // The agent logs an hour and a half on it.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const panel = page.getByTestId('time-log-panel');
        await panel.getByTestId('time-log-open').click();
        const form = panel.getByTestId('time-log-form');
        await form.getByTestId('time-minutes').fill('90');
        await form.getByTestId('time-description').fill('Ajout du champ et des écrans');
        await form.getByTestId('time-log-form-submit').click();
        await expect.poll(async () => panel.getByTestId('time-entry').count(), { timeout: 15_000 }).toBe(1);
        expect(await panel.getByTestId('time-entry').getAttribute('data-status')).toBe('unbilled');
      },
      { as: 'agent' },
    );

    // Before billing, the customer sees the time logged beside the unchanged balance.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('nav-flex').first().click();
        await page.getByTestId('page-flex').waitFor();
        await expect.poll(() => text(page, 'flex-balance'), { timeout: 15_000 }).toBe(formatMinutes(600));
        expect(await text(page, 'flex-unbilled')).toBe(formatMinutes(90));
      },
      { as: 'customer-before' },
    );

    // The administrator runs billing.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/flex/${org.id}`);
        // A warning threshold of 10 hours: the run below takes the balance under it.
        const contractForm = page.getByTestId('flex-contract-form');
        await contractForm.waitFor();
        await contractForm.getByTestId('flex-threshold-input').fill('600');
        await contractForm.getByTestId('flex-contract-save').click();
        await expect.poll(() => text(page, 'flex-threshold'), { timeout: 15_000 }).toBe(formatMinutes(600));
        await page.getByTestId('flex-billing-form').waitFor();
        await page.getByTestId('flex-run-billing').click();
        await expect.poll(() => text(page, 'flex-balance'), { timeout: 15_000 }).toBe(formatMinutes(510));
      },
      { as: 'admin-billing' },
    );

    // The customer sees the balance go down, the request in the statement, and downloads it.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        // Warned in the portal (and by e-mail) now that the balance is under the threshold.
        const banner = page.getByTestId('home-flex-low-balance');
        await banner.waitFor();
        expect(await banner.innerText()).toContain(formatMinutes(510));
        const [mail] = await server.ctx.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.to, customer.email), eq(outbox.template, 'flex-low-balance')));
        expect(mail?.subject).toBe(`Solde Flex bas : ${formatMinutes(510)}`);
        await page.goto(`${server.baseUrl}/flex`);
        await page.getByTestId('flex-low-balance').waitFor();
        await expect.poll(() => text(page, 'flex-balance'), { timeout: 15_000 }).toBe(formatMinutes(510));
        expect(await text(page, 'flex-unbilled')).toBe(formatMinutes(0));
        const rows = page.getByTestId('flex-ledger-row');
        await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
        expect(await rows.first().innerText()).toContain(key);
        expect(await page.getByTestId('flex-by-request').innerText()).toContain('Nouveau champ centre de coût');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flex-download').click()]);
        const csv = readFileSync((await download.path())!, 'utf8');
        expect(csv).toContain('"purchase","PO-2026-014"');
        expect(csv).toContain(`"charge","${key}","Nouveau champ centre de coût","-90","510"`);
      },
      { as: 'customer-after', context: { acceptDownloads: true } },
    );
  });
});
