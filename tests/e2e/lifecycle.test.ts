/**
 * Automatic closure as a customer lives it, in Chromium against the real app: the request page says
 * when the next automatic step happens; weeks later (the server's clock moved, the sweep run) it is
 * resolved automatically, then closed; the customer sees the closure notice, rates the service and
 * opens a follow-up request linked to the old one. Only the organization and accounts are seeded.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ManualClock } from '../../src/server/clock.ts';
import { desk, deskMember, ticket } from '../../src/server/db/schema.ts';
import { satisfactionSurvey } from '../../src/server/db/schema.ts';
import { runLifecycleSweep } from '../../src/server/features/lifecycle/sweep.job.ts';
import { createSurveyToken } from '../../src/server/features/survey/survey-token.ts';
import { browserTimeZone, createDateFormatter } from '../../src/web/lib/date-format.ts';
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

describeBrowser('Automatic closure: the customer sees the next step, the closure notice, rates the service and opens a follow-up', () => {
  let server: BrowserServer;
  let browser: Browser;
  const clock = new ManualClock('2026-02-02T08:00:00Z'); // Monday 09:00 in Zurich

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser({ clock }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('waiting → reminder date shown → resolved automatically → closed: closure notice, survey, follow-up', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const [support] = await server.ctx.db.select().from(desk).where(eq(desk.slug, 'support'));
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });
    const format = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: browserTimeZone() });

    let key = '';
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
        await page.getByTestId('request-description').fill('Depuis ce matin.');
        await page.getByTestId('criticality-high').click();
        await page.getByTestId('request-submit').click();
        await page.getByTestId('page-request').waitFor();
        key = (await page.getByTestId('page-request').getAttribute('data-key'))!;
      },
      { as: 'customer' },
    );

    // The agent asks the customer for details: the request waits for them.
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        await page.getByTestId('status-menu').click();
        await page.getByTestId('status-to-waiting_customer').click();
        await page.locator('[data-testid="page-request"][data-status="waiting_customer"]').waitFor();
        await page.getByTestId('notice-next-step').waitFor();
      },
      { as: 'agent' },
    );

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, customer.email, customer.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const notice = page.getByTestId('notice-next-step');
        await notice.waitFor();
        expect(await notice.getAttribute('data-action')).toBe('reminder_1');
        const at = (await notice.getAttribute('data-at'))!;
        expect(await notice.innerText()).toContain(fill(fr.lifecycle.notice.reminder_1, { date: format.deadline(at) }));

        // Three weeks without a reply: resolved automatically (the reminders, overtaken, are not sent); ten days later, closed.
        clock.set('2026-02-23T08:00:00Z');
        expect(await runLifecycleSweep(server.ctx)).toEqual({ reminder_1: 0, reminder_2: 0, resolve: 1, close: 0 });
        await page.reload();
        await page.getByTestId('notice-auto-resolved').waitFor();
        expect(await page.getByTestId('notice-next-step').getAttribute('data-action')).toBe('close');
        clock.set('2026-03-05T08:00:00Z');
        expect(await runLifecycleSweep(server.ctx)).toMatchObject({ close: 1 });
        await page.reload();
        const closed = page.getByTestId('notice-closed');
        await closed.waitFor();
        expect(await closed.innerText()).toContain(fr.lifecycle.closed.title);
        expect(await page.getByTestId('reply-box').count()).toBe(0);

        // The survey, on the page.
        const survey = page.getByTestId('survey-on-page');
        await survey.waitFor();
        await survey.getByTestId('survey-submit').click();
        await survey.getByText(fr.lifecycle.survey.ratingRequired).waitFor();
        const four = await survey.locator('input[type="radio"][value="4"]').getAttribute('id');
        await survey.locator(`label[for="${four}"]`).click();
        await survey.getByTestId('survey-comment').fill('Rapide et clair.');
        await survey.getByTestId('survey-submit').click();
        await page.getByTestId('survey-answered').waitFor();
        expect(await page.getByTestId('survey-answered').innerText()).toBe(fill(fr.lifecycle.survey.thanks, { rating: 4 }));

        // The follow-up request, linked to the closed one.
        await page.getByTestId('action-follow-up').click();
        const form = page.getByTestId('follow-up-form');
        await form.waitFor();
        await form.getByTestId('follow-up-submit').click();
        await form.getByText(fr.lifecycle.followUp.description).first().waitFor();
        await form.getByTestId('follow-up-description').fill('Le problème est revenu.');
        await form.getByTestId('follow-up-submit').click();
        await page.waitForURL((url) => url.pathname.startsWith('/requests/') && !url.pathname.endsWith(`/${key}`));
        const link = page.getByTestId('follow-up-of');
        await link.waitFor();
        expect(await link.innerText()).toBe(fill(fr.lifecycle.closed.followUpOf, { key }));
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'customer' },
    );

    // A forged survey link opens nothing.
    await asPerson(
      browser,
      async (page) => {
        await page.goto(`${server.baseUrl}/survey/${'A'.repeat(48)}`);
        await page.getByTestId('survey-invalid').waitFor();
        expect(await page.getByTestId('survey-form').count()).toBe(0);
      },
      { as: 'anonymous' },
    );

    // The administrator: a desk's rules (an inverted delay is refused next to its field) and the satisfaction results.
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Ada Admin', role: 'admin' });
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/lifecycle`);
        const row = page.locator('[data-testid="lifecycle-rules-row"]').filter({ hasText: 'Support' }).first();
        await row.waitFor();
        expect(await row.getByTestId('rule-resolveDays').innerText()).toBe('15');
        await row.getByTestId('lifecycle-rules-edit').click();
        const form = page.getByTestId('lifecycle-rules-form');
        await form.waitFor();
        await form.getByTestId('rules-secondReminderDays').fill('4');
        await form.getByTestId('lifecycle-rules-save').click();
        await form.getByText(fr.errors.lifecycle.reminders_out_of_order).waitFor();
        await form.getByTestId('rules-secondReminderDays').fill('8');
        await form.getByTestId('rules-resolveDays').fill('12');
        await form.getByTestId('lifecycle-rules-save').click();
        await form.waitFor({ state: 'detached' });
        await row.getByTestId('rule-resolveDays').getByText('12').waitFor();

        await page.goto(`${server.baseUrl}/admin/satisfaction`);
        await page.getByTestId('page-admin-satisfaction').waitFor();
        await page.getByTestId('satisfaction-from').fill('2026-01');
        await page.getByTestId('satisfaction-to').fill('2026-03');
        await page.getByTestId('satisfaction-show').click();
        const result = page.getByTestId('satisfaction-row');
        await result.waitFor();
        expect(await result.innerText()).toMatch(/2026-03\s+Support\s+1\s+4\.00/);
        await page.getByTestId('satisfaction-chart').waitFor();
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );

    const [old] = await server.ctx.db.select().from(ticket).where(eq(ticket.key, key));
    const [answer] = await server.ctx.db.select().from(satisfactionSurvey).where(eq(satisfactionSurvey.ticketId, old!.id));
    expect(answer).toMatchObject({ rating: 4, comment: 'Rapide et clair.' });
    const followUps = await server.ctx.db.select({ key: ticket.key, summary: ticket.summary }).from(ticket).where(eq(ticket.followUpOfId, old!.id));
    expect(followUps).toEqual([{ key: expect.not.stringMatching(`^${key}$`), summary: `Suite de ${key} : Les factures ne s’impriment plus` }]);

    // The e-mail's genuine link, once answered on the page, says so and asks nothing more.
    const genuine = createSurveyToken(server.config.authSecret, old!.id, new Date(clock.now().getTime() + 86_400_000));
    await asPerson(
      browser,
      async (page) => {
        await page.goto(`${server.baseUrl}/survey/${genuine}`);
        const thanks = page.getByTestId('survey-thanks');
        await thanks.waitFor();
        expect(await thanks.innerText()).toBe(fill(fr.lifecycle.survey.thanks, { rating: 4 }));
        expect(await page.getByTestId('survey-form').count()).toBe(0);
      },
      { as: 'anonymous-link' },
    );
  });
});
