/**
 * Requests, as people use them: in Chromium, against the real app, with e-mails delivered over real SMTP.
 * A customer opens a request, Customer Services qualifies it (lowering its criticality, with a reason the
 * customer sees and receives), they talk, the agent resolves it and the customer confirms. Each person has
 * their own browser context and client address (`asPerson`); only what no person could do in the
 * interface is seeded (organizations, accounts, desk membership, Flex contracts, projects).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_STATUS_LABELS, CRITICALITY_LABELS, CUSTOMER_STATUS_LABELS } from '../../src/shared/tickets.ts';
import { desk, deskMember, flexContractWindow, project } from '../../src/server/db/schema.ts';
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
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp.ts';

const t = fr.requests;
/** An interface text with its {{placeholders}} filled in. */
const fill = (text: string, params: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key]));
/** Waits (polling) until `read` gives `expected`. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const statusOf = (page: Page) => page.getByTestId('request-status').innerText();
const criticalityOf = (page: Page) => page.getByTestId('request-criticality').innerText();

/** Opens the request page afresh, as a person coming back to it would. */
async function openRequest(page: Page, server: BrowserServer, key: string) {
  await page.goto(`${server.baseUrl}/requests/${key}`);
  await page.locator(`[data-testid="page-request"][data-key="${key}"]`).waitFor();
}

/** Picks an option of a Mantine Select by its visible label. */
async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describeBrowser('requests: customers open and follow requests, Customer Services qualifies and resolves them', () => {
  let server: BrowserServer;
  let browser: Browser;
  let smtp: SmtpReceiver;
  let supportDeskId: string;
  let consultingDeskId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    [server, browser] = await Promise.all([startServerForBrowser({ smtpUrl: smtp.url }), launchBrowser()]);
    const desks = await server.ctx.db.select().from(desk);
    supportDeskId = desks.find((d) => d.slug === 'support')!.id;
    consultingDeskId = desks.find((d) => d.slug === 'consulting')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.stop();
  });

  /** An organization whose Flex contract runs from last year to next year. */
  async function organizationWithFlex(name: string) {
    const org = await seedOrganization(server, name, [`${uniqueSuffix()}.ch`]);
    const year = new Date().getUTCFullYear();
    await server.ctx.db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
    return org;
  }

  async function agentOf(deskId: string, name: string) {
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name, role: 'agent', language: 'fr' });
    await server.ctx.db.insert(deskMember).values({ deskId, userId: agent.id });
    return agent;
  }

  it('a customer opens an Assistance request; Support lowers its criticality with a reason; they talk; it is resolved and confirmed', async () => {
    const org = await organizationWithFlex('Alpina Industrie SA');
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const colleague = await seedUser(server, { email: `luc.perret@${org.domains[0]}`, name: 'Luc Perret', organizationId: org.id });
    const agent = await agentOf(supportDeskId, 'Sophie Martin');
    const summary = 'Les factures ne s’impriment plus';
    const reason = 'Un contournement existe : impression depuis la liste des factures.';

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, customer.email, customer.password);
        const home = page.getByTestId('page-home-customer');
        await home.getByTestId('desk-support').waitFor();
        await home.getByTestId('desk-consulting').waitFor();
        await home.getByTestId('guidance').getByText(t.home.guidanceConsulting).waitFor();
        expect(await home.getByTestId('escalation-link').getAttribute('href')).toBe('/escalation');
        // With an active Flex contract, Solva Flex is offered.
        expect(await home.getByTestId('request-type-solva-flex').getAttribute('data-available')).toBe('true');

        await home.getByTestId('request-type-assistance').click();
        await page.getByTestId('create-request-form').waitFor();
        await page.getByTestId('request-summary').fill(summary);
        await page.getByTestId('request-description').fill('Depuis ce matin, le **lancement des factures** s’arrête.\n\n<img src=x onerror="window.__xss=1">');
        await page.getByTestId('criticality-high').click();
        // A colleague follows the request from the start.
        await choose(page, 'request-participants', colleague.name);

        // Each file is uploaded as soon as it is chosen; a refused type is said on that file.
        await page.getByTestId('attachments-input').setInputFiles([
          { name: 'capture.png', mimeType: 'image/png', buffer: PNG },
          { name: 'outil.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00 not a document') },
        ]);
        const refused = page.locator('[data-testid="attachments-item"][data-name="outil.exe"]');
        await refused.getByTestId('attachments-error').getByText(fr.errors.attachment.type_refused).waitFor();
        await page.locator('[data-testid="attachments-item"][data-name="capture.png"][data-state="done"]').waitFor();
        await refused.getByTestId('attachments-remove').click();
        await refused.waitFor({ state: 'detached' });

        await page.getByTestId('request-submit').click();
        const requestPage = page.getByTestId('page-request');
        await requestPage.waitFor();
        const key = (await requestPage.getAttribute('data-key'))!;
        expect(key).toMatch(/^SUP-\d+$/);
        expect(new URL(page.url()).pathname).toBe(`/requests/${key}`);
        expect(await statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.open.fr);
        expect(await criticalityOf(page)).toBe(CRITICALITY_LABELS.high.fr);
        await page.getByTestId('attachments-card').getByText('capture.png').waitFor();
        await page.locator('[data-testid="participant"][data-name="Luc Perret"]').waitFor();
        // The description is Markdown, sanitized: bold is bold, the injected handler is gone.
        await page.getByTestId('request-description-card').locator('strong', { hasText: 'lancement des factures' }).waitFor();
        expect(await page.getByTestId('request-description-card').locator('img[onerror]').count()).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

        await asPerson(
          browser,
          async (agentPage) => {
            await logIn(agentPage, server, agent.email, agent.password);
            await openRequest(agentPage, server, key);
            expect(await statusOf(agentPage)).toBe(AGENT_STATUS_LABELS.open.fr);

            // Qualify, lowering to Medium: the reason is required, next to its field.
            await agentPage.getByTestId('action-qualify').click();
            await agentPage.getByTestId('qualify-form').waitFor();
            await agentPage.getByTestId('qualify-criticality-medium').click();
            await agentPage.getByTestId('lowered-warning').waitFor();
            await agentPage.getByTestId('qualify-submit').click();
            const reasonField = agentPage.getByTestId('criticality-reason');
            await agentPage.getByTestId('qualify-form').getByText(fr.validation.required).waitFor();
            expect(await reasonField.getAttribute('aria-invalid')).toBe('true');
            await reasonField.fill(reason);
            await agentPage.getByTestId('qualify-submit').click();
            await agentPage.getByTestId('qualify-form').waitFor({ state: 'detached' });
            await eventually(() => statusOf(agentPage)).toBe(AGENT_STATUS_LABELS.qualified.fr);
            expect(await criticalityOf(agentPage)).toBe(CRITICALITY_LABELS.medium.fr);

            // The customer sees the new level and why, at the top of the page, in their words…
            await openRequest(page, server, key);
            expect(await criticalityOf(page)).toBe(CRITICALITY_LABELS.medium.fr);
            expect(await statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.qualified.fr);
            const lowered = page.getByTestId('criticality-lowered');
            await lowered.getByText(fill(t.detail.criticalityLoweredTitle, { from: CRITICALITY_LABELS.high.fr, to: CRITICALITY_LABELS.medium.fr })).waitFor();
            await lowered.getByText(fill(t.detail.reason, { reason })).waitFor();
            // …and receives it by e-mail, with a link to the request.
            const mail = await smtp.waitFor((m) => m.to.includes(customer.email) && m.subject.startsWith(`[${key}] Criticité abaissée`));
            expect(mail.subject).toBe(`[${key}] Criticité abaissée : ${CRITICALITY_LABELS.medium.fr}`);
            expect(mail.text).toContain(reason);
            expect(mail.text).toContain(`${server.baseUrl}/requests/${key}`);
            // The participant is told too.
            await smtp.waitFor((m) => m.to.includes(colleague.email) && m.subject.startsWith(`[${key}] Criticité abaissée`));

            // The agent asks a question, writes an internal note, and waits for the customer.
            await agentPage.getByTestId('reply-body').fill('Pouvez-vous nous envoyer le **journal** d’erreurs ?');
            await agentPage.getByTestId('reply-send').click();
            await agentPage.getByTestId('message').filter({ hasText: 'journal' }).waitFor();
            await agentPage.getByTestId('reply-visibility-internal').click();
            await agentPage.getByTestId('reply-body').fill('Probablement le patch 12.3.');
            await agentPage.getByTestId('reply-send').click();
            const note = agentPage.locator('[data-testid="message"][data-visibility="internal"]');
            await note.getByText('Probablement le patch 12.3.').waitFor();
            await note.getByTestId('internal-note-label').getByText(t.detail.internalNote).waitFor();
            await agentPage.getByTestId('status-menu').click();
            await agentPage.getByTestId('status-to-waiting_customer').click();
            await eventually(() => statusOf(agentPage)).toBe(AGENT_STATUS_LABELS.waiting_customer.fr);

            // The customer reads the question (not the note), in their words, and answers.
            await openRequest(page, server, key);
            expect(await statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.waiting_customer.fr);
            await page.getByTestId('notice-waiting').waitFor();
            await page.getByTestId('message').filter({ hasText: 'journal' }).waitFor();
            expect(await page.getByText('Probablement le patch 12.3.').count()).toBe(0);
            await page.getByTestId('reply-body').fill('Voici le journal.');
            await page.getByTestId('reply-send').click();
            await page.getByTestId('message').filter({ hasText: 'Voici le journal.' }).waitFor();
            await eventually(() => statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.in_progress.fr);

            // The agent resolves it.
            await openRequest(agentPage, server, key);
            expect(await statusOf(agentPage)).toBe(AGENT_STATUS_LABELS.in_progress.fr);
            await agentPage.getByTestId('status-menu').click();
            await agentPage.getByTestId('status-to-resolved').click();
            await eventually(() => statusOf(agentPage)).toBe(AGENT_STATUS_LABELS.resolved.fr);
          },
          { as: 'agent' },
        );

        // The customer confirms the resolution: the request is closed, and says so.
        await openRequest(page, server, key);
        // The reporter lets the colleague go.
        await page.locator('[data-testid="participant"][data-name="Luc Perret"]').getByTestId('participant-remove').click();
        await page.locator('[data-testid="participant"][data-name="Luc Perret"]').waitFor({ state: 'detached' });
        expect(await statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.resolved.fr);
        await page.getByTestId('notice-resolved').waitFor();
        await page.getByTestId('action-confirm').click();
        await page.getByTestId('confirm-dialog-confirm').click();
        await eventually(() => statusOf(page)).toBe(CUSTOMER_STATUS_LABELS.closed.fr);
        await page.getByTestId('notice-final').waitFor();
        expect(await page.getByTestId('reply-box').count()).toBe(0);

        // The history speaks the customer's words.
        await page
          .getByTestId('history-entry')
          .filter({ hasText: fill(t.history.status, { from: CUSTOMER_STATUS_LABELS.resolved.fr, to: CUSTOMER_STATUS_LABELS.closed.fr }) })
          .waitFor();

        // "My requests" lists it among all requests.
        await page.getByTestId('nav-my-requests').click();
        await page.getByTestId('page-my-requests').waitFor();
        await page.getByTestId('requests-state').getByText(t.list.stateAll).click();
        const row = page.locator(`[data-testid="request-row"][data-key="${key}"]`);
        await row.getByText(summary).waitFor();
        await row.getByText(CUSTOMER_STATUS_LABELS.closed.fr).waitFor();

        // An unknown key is a clear 404.
        await page.goto(`${server.baseUrl}/requests/SUP-99999`);
        await page.getByTestId('page-request-not-found').waitFor();

        expect(log.pageErrors).toEqual([]);
        // The only CSP reports are about the hostile handler of the description, which Chromium reports when
        // DOMPurify parses it in its inert document, before removing it: nothing of the page's own is refused.
        expect(log.cspViolations().filter((text) => !text.includes('inline event handler'))).toEqual([]);
      },
      { as: 'customer' },
    );
  });

  it('does not offer Solva Flex to an organization without an active Flex contract', async () => {
    const org = await seedOrganization(server, 'Helvetia Logistik AG', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `jonas.meier-${uniqueSuffix()}@helvetia.test`, name: 'Jonas Meier', organizationId: org.id });
    await asPerson(browser, async (page, log) => {
      await logIn(page, server, customer.email, customer.password);
      const solvaFlex = page.getByTestId('request-type-solva-flex');
      await solvaFlex.waitFor();
      expect(await solvaFlex.getAttribute('data-available')).toBe('false');
      expect(await solvaFlex.getAttribute('aria-disabled')).toBe('true');
      await solvaFlex.getByText(t.home.unavailable).waitFor();
      const reason = (await solvaFlex.getByTestId('request-type-unavailable-reason').innerText()).trim();
      expect(reason).toContain('contrat Flex');
      // It cannot be used: no button, nothing to click.
      expect(await solvaFlex.isDisabled()).toBe(true);
      expect(await solvaFlex.getByRole('button').count()).toBe(0);
      // Nor does its address give a usable form: the reason instead.
      const typeId = await page.evaluate(async () => {
        const catalog = (await (await fetch('/api/catalog')).json()) as { desks: { requestTypes: { id: string; slug: string }[] }[] };
        return catalog.desks.flatMap((d) => d.requestTypes).find((r) => r.slug === 'solva-flex')!.id;
      });
      await page.goto(`${server.baseUrl}/requests/new?type=${typeId}`);
      await page.getByTestId('create-unavailable').getByText(reason).waitFor();
      expect(await page.getByTestId('create-request-form').count()).toBe(0);
      // Assistance is still offered.
      await page.goto(`${server.baseUrl}/`);
      expect(await page.getByTestId('request-type-assistance').getAttribute('data-available')).toBe('true');
      expect(log.pageErrors).toEqual([]);
    });
  });

  it('a consulting request, reached from the top bar, asks for one of the organization’s projects', async () => {
    const org = await seedOrganization(server, 'Bergbahnen Vaudoises', [`${uniqueSuffix()}.ch`]);
    const [rollout] = await server.ctx.db.insert(project).values({ organizationId: org.id, name: 'ERP migration 2027', code: 'MIG' }).returning();
    const customer = await seedUser(server, { email: `marc.favre-${uniqueSuffix()}@bergbahn.test`, name: 'Marc Favre', organizationId: org.id });
    await agentOf(consultingDeskId, 'Marc Rochat');
    await asPerson(browser, async (page, log) => {
      await logIn(page, server, customer.email, customer.password);
      await page.getByTestId('nav-consulting').click();
      const deskPage = page.getByTestId('page-desk-consulting');
      await deskPage.waitFor();
      await deskPage.getByTestId('desk-projects').getByText(rollout!.name).waitFor();
      await deskPage.getByTestId('request-type-project-request').click();

      await page.getByTestId('create-request-form').waitFor();
      await page.getByTestId('request-summary').fill('Reprise des données articles');
      await page.getByTestId('request-description').fill('Le mapping des unités doit être revu.');
      await page.getByTestId('criticality-low').click();
      // Without a project, the form says so at the project field and sends nothing.
      await page.getByTestId('request-submit').click();
      await page.getByTestId('create-request-form').getByText(t.create.projectRequired).waitFor();
      expect(await page.getByTestId('request-project').getAttribute('aria-invalid')).toBe('true');
      expect(new URL(page.url()).pathname).toBe('/requests/new');

      await choose(page, 'request-project', `${rollout!.name} (MIG)`);
      await page.getByTestId('request-submit').click();
      const requestPage = page.getByTestId('page-request');
      await requestPage.waitFor();
      expect(await requestPage.getAttribute('data-key')).toMatch(/^CON-\d+$/);
      expect(await page.getByTestId('detail-project').innerText()).toBe(rollout!.name);
      expect(await page.getByTestId('detail-desk').innerText()).toBe('Demandes Consulting');
      expect(await criticalityOf(page)).toBe(CRITICALITY_LABELS.low.fr);
      expect(log.pageErrors).toEqual([]);
    });
  });
});
