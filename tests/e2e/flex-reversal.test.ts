/**
 * Reversing billed time in Chromium: the administrator gives Customer Services' reason and a note
 * for the customer in the reversal dialog; the customer's Flex page and downloaded statement show
 * the note and never the reason; the administrator's statement shows both. The billed time itself is
 * seeded through the app's commands (logging time and billing are journeys of their own, flex.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk, deskMember, flexContractWindow, requestType } from '../../src/server/db/schema.ts';
import { addPurchase } from '../../src/server/features/flex/add-purchase.ts';
import { runBilling } from '../../src/server/features/flex/run-billing.ts';
import { logTime } from '../../src/server/features/flex/time-entries.ts';
import { createTicket } from '../../src/server/features/tickets/create-ticket.ts';
import { loadViewer } from '../../src/server/policies/tickets.ts';
import { businessToday } from '../../src/server/features/calendar/business-day.ts';
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

const STAFF_REASON = 'Doublon de saisie de Sophie, à rappeler en revue';
const CUSTOMER_NOTE = 'Temps saisi deux fois par erreur, rendu au solde.';

describeBrowser('Flex: a reversal’s reason stays with Customer Services, the customer reads the note written for them', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reversal dialog, customer statement and CSV, staff statement', async () => {
    const suffix = uniqueSuffix();
    const { ctx } = server;
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`alpina-${suffix}.ch`]);
    const year = new Date().getUTCFullYear();
    await ctx.db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
    const customer = await seedUser(server, { email: `claire@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${suffix}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Admin Guichet', role: 'admin' });
    const [support] = (await ctx.db.select().from(desk)).filter((d) => d.slug === 'support');
    await ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });
    const [solvaFlex] = (await ctx.db.select().from(requestType)).filter((r) => r.deskId === support!.id && r.slug === 'solva-flex');
    const viewerOf = (u: { id: string; name: string; email: string }, role: 'customer' | 'agent' | 'admin') =>
      loadViewer(ctx.db, { id: u.id, name: u.name, email: u.email, role, language: 'fr', organizationId: role === 'customer' ? org.id : null });

    const today = await businessToday(ctx.db, ctx.clock);
    await addPurchase(ctx, { actorId: admin.id, organizationId: org.id, input: { purchasedOn: today, hours: 10, reference: 'PO-2026-014' } });
    const { key } = await createTicket(ctx, await viewerOf(customer, 'customer'), {
      requestTypeId: solvaFlex!.id,
      summary: 'Nouveau champ centre de coût',
      description: 'Un centre de coût sur chaque commande fournisseur.',
      criticality: 'medium',
      projectId: null,
      attachmentIds: [],
      participantIds: [],
    });
    await logTime(ctx, await viewerOf(agent, 'agent'), key, { minutes: 90, workedOn: today, description: 'Ajout du champ', billable: true });
    await runBilling(ctx, { periodStart: today, periodEnd: today, organizationId: org.id, trigger: 'admin', actorId: admin.id });

    // The administrator reverses the billed time, with a reason and a note for the customer.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const panel = page.getByTestId('time-log-panel');
        await panel.getByTestId('time-reverse').click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('time-reverse-reason').fill(STAFF_REASON);
        expect(await dialog.innerText()).toContain(fr.flex.timeLog.reverseReasonHint);
        await dialog.getByTestId('time-reverse-customer-note').fill(CUSTOMER_NOTE);
        await dialog.getByTestId('time-reverse-confirm').click();
        await expect.poll(() => panel.getByTestId('time-entry').getAttribute('data-status'), { timeout: 15_000 }).toBe('reversed');

        // Staff read both on the organization's statement.
        await page.goto(`${server.baseUrl}/flex/${org.id}`);
        const reversal = page.getByTestId('flex-ledger-row').filter({ hasText: fr.flex.kinds.reversal });
        await reversal.waitFor();
        const note = await reversal.getByTestId('flex-ledger-note').innerText();
        expect(note).toContain(STAFF_REASON);
        expect(note).toContain(fr.flex.customerNote.replace('{{note}}', CUSTOMER_NOTE));
      },
      { as: 'admin-reversal' },
    );

    // The customer reads the note, never the reason: on the page and in the downloaded statement.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.goto(`${server.baseUrl}/flex`);
        const reversal = page.getByTestId('flex-ledger-row').filter({ hasText: fr.flex.kinds.reversal });
        await reversal.waitFor({ timeout: 15_000 });
        expect((await reversal.getByTestId('flex-ledger-note').innerText()).trim()).toBe(CUSTOMER_NOTE);
        expect(await page.getByTestId('page-flex').innerText()).not.toContain('Doublon');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flex-download').click()]);
        const csv = readFileSync((await download.path())!, 'utf8');
        expect(csv).toContain(`"reversal","${key}","${CUSTOMER_NOTE}","90"`);
        expect(csv).not.toContain('Doublon');
      },
      { as: 'customer-statement' },
    );
  });
});
