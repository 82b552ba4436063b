/**
 * SLA and escalation, as customers see them: in Chromium, against the real app. A customer opens a
 * request and reads when to expect an answer; the public escalation page lists whom to call at level 2.
 * Only what no person could do in the interface is seeded (organization, account, the escalation matrix).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk, deskMember, escalationContact, escalationLevel } from '../../src/server/db/schema.ts';
import { loadCalendarConfig } from '../../src/server/features/calendar/calendar-store.ts';
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

describeBrowser('SLA: customers see when to expect an answer, and whom to call when it is late', () => {
  let server: BrowserServer;
  let browser: Browser;
  let supportDeskId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
    const desks = await server.ctx.db.select().from(desk);
    supportDeskId = desks.find((d) => d.slug === 'support')!.id;
    // The escalation matrix of Support, as an administrator would have entered it.
    await server.ctx.db.insert(escalationLevel).values(
      ([1, 2, 3] as const).map((level) => ({
        deskId: supportDeskId,
        level,
        whenToCall: { fr: `Niveau ${level} : appelez-nous.`, de: `Stufe ${level}: rufen Sie uns an.`, en: `Level ${level}: call us.` },
      })),
    );
    await server.ctx.db.insert(escalationContact).values([
      {
        deskId: supportDeskId,
        level: 1,
        position: 0,
        name: 'Customer Services',
        role: 'Customer Services',
        email: 'support@guichet.test',
        phone: '+41 31 555 10 00',
        language: 'fr',
      },
      {
        deskId: supportDeskId,
        level: 2,
        position: 0,
        name: 'Nadia Keller',
        role: 'Responsable du Customer Services',
        email: 'nadia.keller@guichet.test',
        phone: '+41 31 555 10 20',
        language: 'de',
      },
      {
        deskId: supportDeskId,
        level: 3,
        position: 0,
        name: 'Laurent Favre',
        role: 'Direction',
        email: 'laurent.favre@guichet.test',
        phone: '+41 31 555 10 01',
        language: 'fr',
      },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer opens a request and sees the expected answer time; the escalation page lists the level-2 contact of Support', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });

    await asPerson(browser, async (page, log) => {
      await logIn(page, server, customer.email, customer.password);
      const home = page.getByTestId('page-home-customer');
      await home.getByTestId('request-type-assistance').click();
      await page.getByTestId('create-request-form').waitFor();
      await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
      await page.getByTestId('request-description').fill('Depuis ce matin, le lancement des factures s’arrête.');
      await page.getByTestId('criticality-high').click();
      await page.getByTestId('request-submit').click();
      const requestPage = page.getByTestId('page-request');
      await requestPage.waitFor();
      const key = (await requestPage.getAttribute('data-key'))!;

      // What the server promises, read as the customer's browser would, written in Zurich time and French.
      const detail = await page.evaluate(async (k) => (await fetch(`/api/requests/${k}`, { headers: { accept: 'application/json' } })).json(), key);
      const expected = detail.sla.customer as { answerExpectedBy: string; resolutionTargetedBy: string };
      expect(expected.answerExpectedBy).toBeTruthy();
      const sla = page.getByTestId('sla-customer');
      await sla.waitFor();
      const format = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: browserTimeZone() });
      expect(await sla.getByTestId('sla-answer-by').innerText()).toBe(fill(fr.sla.request.answerBy, { date: format.deadline(expected.answerExpectedBy) }));
      expect(await sla.getByTestId('sla-resolution-by').innerText()).toBe(
        fill(fr.sla.request.resolutionBy, { date: format.deadline(expected.resolutionTargetedBy) }),
      );
      expect(await sla.getByTestId('sla-paused').count()).toBe(0);
      // Customers never see the agents' clocks.
      expect(await page.getByTestId('sla-clock-engagement').count()).toBe(0);

      // The escalation matrix, from the home page.
      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('escalation-link').click();
      await page.getByTestId('page-escalation').waitFor();
      const support = page.locator(`[data-testid="escalation-desk"][data-desk-id="${supportDeskId}"]`);
      const level2 = support.getByTestId('escalation-level-2');
      await level2.getByText('Niveau 2 : appelez-nous.').waitFor();
      const contact = level2.locator('[data-testid="escalation-contact"][data-name="Nadia Keller"]');
      await contact.waitFor();
      expect(await contact.getByTestId('escalation-email').getAttribute('href')).toBe('mailto:nadia.keller@guichet.test');
      expect(await contact.getByTestId('escalation-phone').getAttribute('href')).toBe('tel:+41315551020');
      expect(await support.getByTestId('escalation-level-3').getByText('Laurent Favre', { exact: true }).count()).toBe(1);
      expect(log.pageErrors).toEqual([]);
    });
  });

  it('an agent sees both clocks; an administrator edits the targets, a closure day, previews deadlines and edits the matrix', async () => {
    const org = await seedOrganization(server, 'Berna Logistik AG', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `max.muster@${org.domains[0]}`, name: 'Max Muster', organizationId: org.id, language: 'de' });
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name: 'Sophie Martin', role: 'agent', language: 'fr' });
    await server.ctx.db.insert(deskMember).values({ deskId: supportDeskId, userId: agent.id });
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Ada Admin', role: 'admin', language: 'fr' });

    let key = '';
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('request-summary').fill('Druck funktioniert nicht');
        await page.getByTestId('request-description').fill('Seit heute morgen.');
        await page.getByTestId('criticality-critical').click();
        await page.getByTestId('request-submit').click();
        await page.getByTestId('page-request').waitFor();
        key = (await page.getByTestId('page-request').getAttribute('data-key'))!;
        await page.getByTestId('sla-customer').getByTestId('sla-answer-by').waitFor();
      },
      { as: 'customer' },
    );

    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const engagement = page.getByTestId('sla-clock-engagement');
        await engagement.waitFor();
        expect(['running', 'at_risk', 'breached']).toContain(await engagement.getAttribute('data-state'));
        const resolution = page.getByTestId('sla-clock-resolution');
        expect(await resolution.getAttribute('data-cycle')).toBe('1');
        await engagement.getByText(fill(fr.sla.request.target, { time: '1 h' })).waitFor();
        await resolution.getByText(fill(fr.sla.request.target, { time: '8 h' })).waitFor();
      },
      { as: 'agent' },
    );

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/sla`);
        await page.getByTestId('page-admin-sla').waitFor();
        const rows = page.getByTestId('sla-policy-row');
        await rows.first().waitFor();
        const assistance = rows.filter({ hasText: 'Assistance' }).first();
        await assistance.getByTestId('sla-policy-edit').click();
        const form = page.getByTestId('sla-policy-form');
        await form.waitFor();
        // A zero target is refused next to its field.
        await form.getByTestId('sla-target-low-engagement').fill('0');
        await form.getByTestId('sla-policy-save').click();
        await form.getByText(fr.sla.admin.invalidHours).waitFor();
        await form.getByTestId('sla-target-low-engagement').fill('12');
        await form.getByTestId('sla-policy-save').click();
        await form.waitFor({ state: 'detached' });
        await assistance.getByTestId('sla-cell-low').getByText('12 / 160').waitFor();

        // A closure day, added then removed.
        await page.getByTestId('sla-closure-input').fill('2031-06-03');
        await page.getByTestId('sla-closure-add').click();
        const day = page.locator('[data-testid="sla-closure-day"][data-day="2031-06-03"]');
        await day.waitFor();
        await day.getByTestId('sla-closure-remove').click();
        await day.waitFor({ state: 'detached' });

        // Preview: Monday 16 June 2031 at 09:00 in Zurich, Haute: engagement 4 business hours later, same day.
        await page.getByTestId('sla-preview-start').fill('2031-06-16T09:00');
        await page.getByTestId('sla-preview-submit').click();
        const result = page.getByTestId('sla-preview-result');
        await result.waitFor();
        const format = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: browserTimeZone() });
        expect(await result.getByTestId('sla-preview-engagement').innerText()).toContain(format.deadline('2031-06-16T12:30:00Z'));

        // The escalation matrix: a second level-2 contact, shown on the public page.
        await page.goto(`${server.baseUrl}/admin/escalation`);
        await page.getByTestId('page-admin-escalation').waitFor();
        const level2 = page.getByTestId('escalation-admin-level-2');
        await level2.getByTestId('escalation-admin-contact').first().waitFor();
        await level2.getByTestId('contact-add-2').click();
        const added = level2.getByTestId('escalation-admin-contact').nth(1);
        await added.getByTestId('contact-name').fill('Jonas Weber');
        await added.getByTestId('contact-role').fill('Stellvertreter');
        await added.getByTestId('contact-email').fill('not-an-address');
        await added.getByTestId('contact-phone').fill('+41 31 555 10 21');
        await page.getByTestId('escalation-save').click();
        await added.getByText(fr.validation.email).waitFor();
        await added.getByTestId('contact-email').fill('jonas.weber@guichet.test');
        await page.getByTestId('escalation-save').click();
        await page.getByText(fr.sla.escalationAdmin.saved).waitFor();
        await page.goto(`${server.baseUrl}/escalation`);
        await page
          .locator(`[data-testid="escalation-desk"][data-desk-id="${supportDeskId}"]`)
          .getByTestId('escalation-level-2')
          .getByText('Jonas Weber', { exact: true })
          .waitFor();
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );
  });

  it('anyone reads the escalation matrix without logging in; an administrator edits the business calendar and reads the SLA report', async () => {
    await asPerson(
      browser,
      async (page) => {
        await page.goto(`${server.baseUrl}/escalation`);
        await page.getByTestId('page-escalation').waitFor();
        await page
          .locator(`[data-testid="escalation-desk"][data-desk-id="${supportDeskId}"]`)
          .getByTestId('escalation-level-2')
          .getByText('Nadia Keller', { exact: true })
          .waitFor();
        expect(new URL(page.url()).pathname).toBe('/escalation');
      },
      { as: 'anonymous' },
    );

    const org = await seedOrganization(server, 'Jura Mécanique SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `luc.girard@${org.domains[0]}`, name: 'Luc Girard', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name: 'Nina Rochat', role: 'agent', language: 'fr' });
    await server.ctx.db.insert(deskMember).values({ deskId: supportDeskId, userId: agent.id });
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Aline Admin', role: 'admin', language: 'fr' });

    // A Critique request, qualified by the agent: its engagement clock is judged this month.
    let key = '';
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('request-summary').fill('Les factures ne partent plus');
        await page.getByTestId('request-description').fill('Depuis ce matin.');
        await page.getByTestId('criticality-critical').click();
        await page.getByTestId('request-submit').click();
        await page.getByTestId('page-request').waitFor();
        key = (await page.getByTestId('page-request').getAttribute('data-key'))!;
      },
      { as: 'customer' },
    );
    await asPerson(
      browser,
      async (page) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        await page.getByTestId('action-qualify').click();
        await page.getByTestId('qualify-form').waitFor();
        await page.getByTestId('qualify-submit').click();
        await page.getByTestId('qualify-form').waitFor({ state: 'detached' });
      },
      { as: 'agent' },
    );

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);

        // The calendar: an overlapping interval and an unknown time zone are refused next to their fields, nothing saved.
        await page.goto(`${server.baseUrl}/admin/sla/calendar`);
        await page.getByTestId('page-admin-sla-calendar').waitFor();
        const monday = page.locator('[data-testid="calendar-day"][data-day="1"]');
        const afternoon = monday.locator('[data-testid="calendar-interval"][data-index="1"]');
        await afternoon.getByTestId('calendar-interval-start').fill('11:00');
        await page.getByTestId('calendar-save').click();
        await afternoon.getByTestId('calendar-interval-error').getByText('overlaps the interval 08:00–12:00').waitFor();
        await afternoon.getByTestId('calendar-interval-start').fill('13:30');
        await page.getByTestId('calendar-time-zone').fill('Mars/Olympus');
        await page.getByTestId('calendar-save').click();
        await page.getByText('must be a known IANA time zone, e.g. Europe/Zurich').waitFor();
        await afternoon.getByTestId('calendar-interval-error').waitFor({ state: 'detached' });
        // Refused whole: the previous calendar is kept.
        expect(await loadCalendarConfig(server.ctx.db)).toMatchObject({
          timeZone: 'Europe/Zurich',
          weekly: {
            1: [
              { start: '08:00', end: '12:00' },
              { start: '13:30', end: '18:00' },
            ],
          },
        });
        await page.getByTestId('calendar-time-zone').fill('Europe/Zurich');
        await page.getByTestId('calendar-eve-closing').fill('15:00');
        await page.getByTestId('calendar-save').click();
        await page.getByText(fr.sla.calendar.saved).waitFor();
        expect((await loadCalendarConfig(server.ctx.db)).eveClosing).toBe('15:00');
        // The preview sits on the same page.
        await page.getByTestId('sla-preview').waitFor();

        // The report: this month's Critique row, its chart, and the CSV.
        await page.goto(`${server.baseUrl}/admin/sla/report`);
        await page.getByTestId('page-admin-sla-report').waitFor();
        const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
        const row = page.locator(`[data-testid="sla-report-row"][data-month="${month}"][data-criticality="critical"]`);
        await row.waitFor();
        expect(Number(await row.getByTestId('engagement-met').innerText()) + Number(await row.getByTestId('engagement-breached').innerText())).toBe(1);
        await page.getByTestId('sla-report-chart').locator('svg .recharts-bar-rectangle').first().waitFor();
        const href = await page.getByTestId('sla-report-csv').getAttribute('href');
        const csv = await page.request.get(`${server.baseUrl}${href}`);
        expect(csv.status()).toBe(200);
        const body = await csv.body();
        expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(body.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^Mois,Guichet,Criticité,/);

        // An inverted range is refused next to the field.
        await page.getByTestId('sla-report-from').fill('2026-06');
        await page.getByTestId('sla-report-to').fill('2026-03');
        await page.getByTestId('sla-report-show').click();
        await page.getByText('must not be before from (2026-06)').waitFor();
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );
  });
});
