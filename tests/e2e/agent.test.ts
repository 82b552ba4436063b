/**
 * The agent workspace and the catalogue administration, as people use them: in Chromium, against the real
 * app, with e-mails delivered over real SMTP. Each person has their own browser context and client address.
 * Seeded directly: what no person could do in the interface (the organization, its customer, an agent, an
 * administrator, the agent's desk).
 */
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk, deskMember, flexContractWindow, project, ticket } from '../../src/server/db/schema.ts';
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

const fill = (text: string, params: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key]));

/** Chooses `option` in a Mantine Select, typing `search` first when given (searchable selects). */
async function choose(page: Page, testId: string, option: string, search?: string) {
  const input = page.getByTestId(testId);
  await input.click();
  if (search !== undefined) await input.pressSequentially(search, { delay: 20 });
  await page.getByRole('option', { name: option }).first().click();
}

/** YYYY-MM-DD of today in Europe/Zurich, moved by `days`. */
const zurichDay = (days = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

describeBrowser('agent workspace and catalogue administration in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    [server, browser] = await Promise.all([startServerForBrowser({ smtpUrl: smtp.url }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.stop();
  });

  it('an agent opens a request for a customer: the customer is the reporter and gets the acknowledgement by e-mail', async () => {
    const suffix = uniqueSuffix();
    const domain = `alpina-${suffix}.test`;
    const org = await seedOrganization(server, `Alpina Industrie ${suffix}`, [domain]);
    const customer = await seedUser(server, { email: `claire.${suffix}@${domain}`, name: `Claire Dubois ${suffix}`, organizationId: org.id, language: 'fr' });
    const agent = await seedUser(server, { email: `sophie.${suffix}@guichet.test`, name: `Sophie Martin ${suffix}`, role: 'agent', language: 'fr' });
    const [support] = await server.ctx.db.select().from(desk).where(eq(desk.slug, 'support'));
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });
    const summary = `Les factures ne s’impriment plus ${suffix}`;

    const key = await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);

        // The home sums up the agent's queues; a queue leads into the workspace, on that queue.
        const toQualify = page.getByTestId('home-queues').getByTestId('home-queue-to_qualify');
        await expect.poll(() => toQualify.getAttribute('data-count')).toMatch(/^\d+$/);
        const count = await toQualify.getAttribute('data-count');
        await toQualify.click();
        await page.waitForURL(/\/agent\?queue=to_qualify$/);
        await expect.poll(() => page.getByTestId('queue-to_qualify').getAttribute('aria-current')).toBe('page');
        expect(await page.getByTestId('queue-to_qualify').getAttribute('data-count')).toBe(count);
        await page.goto(`${server.baseUrl}/`);

        // The "Requests" entry of the navigation leads to the queue of the agent's desks.
        await page.getByTestId('nav-agent').click();
        await page.getByTestId('agent-queue').getByRole('heading', { name: fr.workspace.queue.title, level: 1 }).waitFor();
        await page.getByTestId('agent-new-request').click();
        await page.getByTestId('page-new-request').waitFor();

        // Submitting the empty form names each missing field next to it.
        await page.getByTestId('new-request-submit').click();
        await page.getByText(fr.workspace.create.organizationRequired, { exact: true }).waitFor();
        await page.getByText(fr.workspace.create.reporterRequired, { exact: true }).waitFor();

        await choose(page, 'new-request-organization', org.name, org.name.slice(0, 12));
        await choose(page, 'new-request-reporter', `${customer.name} · ${customer.email}`);
        // The agent works at Support only: Consulting cannot be chosen; Solva Flex needs a Flex contract the organization lacks.
        await expect.poll(() => page.getByTestId('new-request-desk').getByRole('radio', { name: 'Support' }).isChecked()).toBe(true);
        await expect.poll(() => page.getByTestId('new-request-type-solva-flex').getAttribute('data-available')).toBe('false');
        await page.getByTestId('new-request-type-assistance').click();
        await page.getByTestId('new-request-summary').fill(summary);
        await page.getByTestId('new-request-description').fill('Depuis ce matin, le **lot de factures** s’arrête à la première facture.');
        await page.getByTestId('new-request-criticality-high').click();
        await page.getByTestId('new-request-submit').click();

        // The request page opens on the new key, with the customer as reporter.
        await page.waitForURL(/\/requests\/SUP-\d+$/);
        const opened = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
        await expect.poll(() => page.getByTestId('request-key').innerText(), { timeout: 10_000 }).toContain(opened);
        await page.getByRole('heading', { level: 1, name: summary }).waitFor();
        await page.getByTestId('detail-reporter').getByText(customer.name).waitFor();

        // Back in the queue, the request is listed with the customer as reporter.
        await page.getByTestId('nav-agent').click();
        const row = page.locator(`[data-testid="queue-row"][data-key="${opened}"]`);
        await row.waitFor();
        await row.getByText(customer.name).waitFor();
        await row.getByText(org.name).waitFor();
        expect(log.pageErrors).toEqual([]);
        expect(log.cspViolations()).toEqual([]);
        return opened;
      },
      { as: 'agent' },
    );

    const [created] = await server.ctx.db.select().from(ticket).where(eq(ticket.key, key));
    expect(created).toMatchObject({ reporterId: customer.id, createdById: agent.id, organizationId: org.id, summary, criticality: 'high', status: 'open' });

    // The customer receives the acknowledgement over SMTP, in French, saying who opened it for them.
    const mail = await smtp.waitFor((m) => m.to.includes(customer.email) && m.subject.includes(`[${key}]`), 20_000);
    expect(mail.subject).toBe(`[${key}] Demande reçue : ${summary}`);
    expect(mail.text).toContain(agent.name);
    expect(mail.text).toContain(`${server.baseUrl}/requests/${key}`);
  });

  it('an administrator adds a Flex contract window and a project, and sees them listed', async () => {
    const suffix = uniqueSuffix();
    const org = await seedOrganization(server, `Helvetia Logistik ${suffix}`, [`helvetia-${suffix}.test`]);
    const admin = await seedUser(server, { email: `admin.${suffix}@guichet.test`, name: `Admin ${suffix}`, role: 'admin', language: 'fr' });
    const startsOn = zurichDay(-10);
    const endsOn = zurichDay(365);
    const projectName = `Migration ERP ${suffix}`;

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);
        await page.getByTestId('nav-admin').click();
        await page.getByTestId('nav-admin-organizations').click();

        // The organization's Flex contract: inactive today, no window.
        await page.getByTestId('organization-search').fill(suffix);
        const row = page.locator(`[data-testid="organization-row"][data-name="${org.name}"]`);
        await row.getByTestId('organization-flex').click();
        const contract = page.getByTestId('flex-contract');
        await contract.getByTestId('flex-windows-empty').waitFor();
        expect(await contract.getByTestId('flex-contract-state').getAttribute('data-active')).toBe('false');

        // An inverted window is refused next to its end date.
        await contract.getByTestId('flex-starts-on').fill(endsOn);
        await contract.getByTestId('flex-ends-on').fill(startsOn);
        await contract.getByTestId('flex-add').click();
        await contract.getByText(fr.catalog.errors.flex.window_inverted, { exact: true }).waitFor();

        // A window around today: listed, and the contract is active today.
        await contract.getByTestId('flex-starts-on').fill(startsOn);
        await contract.getByTestId('flex-ends-on').fill(endsOn);
        await contract.getByTestId('flex-add').click();
        await contract.locator(`[data-testid="flex-window-row"][data-starts-on="${startsOn}"][data-ends-on="${endsOn}"]`).waitFor();
        await expect.poll(() => contract.getByTestId('flex-contract-state').getAttribute('data-active')).toBe('true');

        // An overlapping window is refused by the server, next to its start date.
        await contract.getByTestId('flex-starts-on').fill(zurichDay(30));
        await contract.getByTestId('flex-ends-on').fill(zurichDay(400));
        await contract.getByTestId('flex-add').click();
        await contract.getByText(fr.catalog.errors.flex.window_overlap, { exact: true }).waitFor();
        await page.keyboard.press('Escape');
        await contract.waitFor({ state: 'detached' });

        // A project for the organization, created from the Projects page.
        await page.getByTestId('nav-admin-projects').click();
        await page.getByRole('heading', { name: fr.catalog.projects.title, level: 1 }).waitFor();
        await page.getByTestId('project-create').click();
        await choose(page, 'project-organization', org.name, suffix);
        await page.getByTestId('project-name').fill(projectName);
        await page.getByTestId('project-code').fill(`HL-${suffix}`);
        await page.getByTestId('project-save').click();
        await page.getByText(fill(fr.catalog.projects.created, { name: projectName })).waitFor();

        // Listed under the organization's filter, active.
        await choose(page, 'project-organization-filter', org.name, suffix);
        const projectRow = page.locator(`[data-testid="project-row"][data-name="${projectName}"]`);
        await projectRow.waitFor();
        expect(await projectRow.getAttribute('data-status')).toBe('active');
        await projectRow.getByText(org.name).waitFor();
        expect(log.pageErrors).toEqual([]);
        expect(log.cspViolations()).toEqual([]);
      },
      { as: 'admin' },
    );

    const windows = await server.ctx.db.select().from(flexContractWindow).where(eq(flexContractWindow.organizationId, org.id));
    expect(windows.map((w) => ({ startsOn: w.startsOn, endsOn: w.endsOn }))).toEqual([{ startsOn, endsOn }]);
    const projects = await server.ctx.db
      .select()
      .from(project)
      .where(and(eq(project.organizationId, org.id), eq(project.name, projectName)));
    expect(projects).toMatchObject([{ code: `HL-${suffix}`, status: 'active' }]);
  });
});
