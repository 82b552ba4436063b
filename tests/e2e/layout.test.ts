/**
 * Every main page on a phone (390 × 844) and on a laptop (1280 × 800), in Chromium against the real app:
 * the document is never wider than the viewport, nothing is cut, and axe-core finds no critical or
 * serious violation. The data is what a real customer has: long names, long summaries, messages,
 * attachments, time logged, a billing run, mail in the outbox. (The agent workspace, /agent, has its
 * own test.) One server, one browser, one logged-in context per role.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk, deskMember, escalationContact, escalationLevel, flexContractWindow, outbox, project, requestType, ticket } from '../../src/server/db/schema.ts';
import { satisfactionSurvey } from '../../src/server/db/schema.ts';
import { createSurveyToken } from '../../src/server/features/survey/survey-token.ts';
import { ADMIN_SECTIONS } from '../../src/web/features/admin/admin-sections.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import {
  describeBrowser,
  launchBrowser,
  newPerson,
  SCREENSHOT_DIR,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A JSON call to the API from a logged-in context (its cookies), as the web app makes it. */
async function apiCall<T = any>(context: BrowserContext, server: BrowserServer, method: string, url: string, data?: unknown): Promise<T> {
  const response = await context.request.fetch(`${server.baseUrl}/api${url}`, {
    method,
    headers: { origin: server.baseUrl },
    ...(data !== undefined ? { data } : {}),
  });
  if (!response.ok()) throw new Error(`${method} ${url}: ${response.status()} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function loggedIn(browser: Browser, server: BrowserServer, email: string, password: string): Promise<BrowserContext> {
  const context = await newPerson(browser);
  await apiCall(context, server, 'POST', '/auth/sign-in/email', { email, password });
  return context;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describeBrowser('every main page at 390 × 844 and 1280 × 800: no sideways scrolling, nothing cut, no critical or serious axe violation', () => {
  let server: BrowserServer;
  let browser: Browser;
  const contexts: Record<'anonymous' | 'customer' | 'unattached' | 'agent' | 'admin', BrowserContext> = {} as never;
  const seeded = { key: '', closedKey: '', organizationId: '', projectId: '', surveyToken: '', invitationToken: '', types: {} as Record<string, string> };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
    const db = server.ctx.db;
    const suffix = uniqueSuffix();
    const domain = `alpina-industrie-${suffix}.ch`;
    const org = await seedOrganization(server, `Alpina Industrie SA — Division Logistique et Entreposage de Suisse romande ${suffix}`, [domain]);
    seeded.organizationId = org.id;
    await db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: day(-400), endsOn: day(400) });
    const [proj] = await db
      .insert(project)
      .values({ organizationId: org.id, name: 'Migration de la comptabilité fournisseurs vers la nouvelle plateforme consolidée', code: 'MIGR-COMPTA-2026' })
      .returning();
    seeded.projectId = proj!.id;
    const customer = await seedUser(server, {
      email: `claire-marie.dubois-schneeberger@${domain}`,
      name: 'Claire-Marie Dubois-Schneeberger von Allmen',
      organizationId: org.id,
    });
    const unattached = await seedUser(server, {
      email: `maximilian.oberholzer-grossenbacher@freelance-${suffix}.test`,
      name: 'Maximilian Oberholzer-Grossenbacher',
      organizationId: null,
    });
    const agent = await seedUser(server, {
      email: `sophie-anne.martin-beauregard-${suffix}@guichet.test`,
      name: 'Sophie-Anne Martin-Beauregard',
      role: 'agent',
    });
    const admin = await seedUser(server, { email: `administration-${suffix}@guichet.test`, name: 'Administratrice Principale du Guichet', role: 'admin' });
    for (const d of await db.select().from(desk)) await db.insert(deskMember).values({ deskId: d.id, userId: agent.id });
    const desks = await db.select().from(desk);
    for (const type of await db.select().from(requestType)) seeded.types[`${desks.find((d) => d.id === type.deskId)!.slug}/${type.slug}`] = type.id;

    contexts.anonymous = await newPerson(browser);
    contexts.customer = await loggedIn(browser, server, customer.email, customer.password);
    contexts.unattached = await loggedIn(browser, server, unattached.email, unattached.password);
    contexts.agent = await loggedIn(browser, server, agent.email, agent.password);
    contexts.admin = await loggedIn(browser, server, admin.email, admin.password);

    // Requests with long summaries, a conversation with an attachment, time logged, a billing run.
    const long = (n: number) => `Les factures fournisseurs du lot de fin de mois ne s’impriment plus depuis la mise à jour ${n} — DocumentImpressionException`;
    const created: string[] = [];
    for (const [i, criticality] of (['critical', 'high', 'medium', 'low'] as const).entries()) {
      const body = {
        requestTypeId: seeded.types[i === 3 ? 'support/solva-flex' : 'support/assistance'],
        summary: long(i),
        description:
          'Depuis ce matin, le **lot de factures** s’arrête.\n\n```\nat ch.alpina.print.DocumentImpressionException.raiseForUnavailablePrinterQueue(PrinterQueue.java:1234)\n```',
        criticality,
      };
      created.push((await apiCall(contexts.customer, server, 'POST', '/requests', body)).key);
    }
    await apiCall(contexts.customer, server, 'POST', '/requests', {
      requestTypeId: seeded.types['consulting/project-request'],
      summary: 'Atelier de conception pour les nouveaux centres de coût analytiques par division et par site',
      description: 'Nous souhaitons un atelier.',
      criticality: 'medium',
      projectId: seeded.projectId,
    });
    seeded.key = created[0]!;
    const upload = await contexts.customer.request.post(`${server.baseUrl}/api/attachments`, {
      headers: { origin: server.baseUrl },
      multipart: { file: { name: 'capture-ecran-erreur-impression-lot-factures-fournisseurs-2026.png', mimeType: 'image/png', buffer: PNG } },
    });
    expect(upload.ok()).toBe(true);
    await apiCall(contexts.customer, server, 'POST', `/requests/${seeded.key}/messages`, {
      body: 'Voici la capture d’écran de l’erreur, avec le chemin complet : \\\\serveur-impression-principal\\files-attente\\comptabilite-fournisseurs',
      attachmentIds: [(await upload.json()).id],
    });
    await apiCall(contexts.agent, server, 'POST', `/requests/${seeded.key}/messages`, {
      body: 'Merci, nous analysons la file d’impression.',
      visibility: 'public',
    });
    await apiCall(contexts.agent, server, 'POST', `/requests/${seeded.key}/messages`, { body: 'Note interne : vérifier le pilote.', visibility: 'internal' });
    await apiCall(contexts.agent, server, 'POST', `/requests/${seeded.key}/time-entries`, {
      minutes: 95,
      workedOn: day(0),
      description: 'Analyse de la file d’impression et des journaux du serveur',
      billable: true,
    });
    await apiCall(contexts.agent, server, 'POST', `/requests/${created[3]}/time-entries`, {
      minutes: 45,
      workedOn: day(0),
      description: 'Paramétrage du nouveau champ',
      billable: true,
    });
    await apiCall(contexts.admin, server, 'POST', `/admin/organizations/${org.id}/flex-purchases`, {
      purchasedOn: day(-30),
      hours: 20,
      reference: 'BC-2026-000123-ALPINA-LOGISTIQUE',
    });
    const lastMonthEnd = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 0));
    const lastMonthStart = new Date(Date.UTC(lastMonthEnd.getUTCFullYear(), lastMonthEnd.getUTCMonth(), 1));
    await apiCall(contexts.admin, server, 'POST', '/admin/flex/billing-runs', {
      periodStart: lastMonthStart.toISOString().slice(0, 10),
      periodEnd: lastMonthEnd.toISOString().slice(0, 10),
    });
    const invited = `nouvelle.collaboratrice.comptabilite@${domain}`;
    await apiCall(contexts.admin, server, 'POST', '/admin/invitations', { email: invited, role: 'customer', organizationId: org.id });
    const [mail] = await db.select().from(outbox).where(eq(outbox.to, invited));
    seeded.invitationToken = new URL(mail!.text.match(/https?:\/\/\S+invitation\S+/)![0]).searchParams.get('token')!;

    // A closed request with its survey (what the closure does, seeded).
    seeded.closedKey = created[2]!;
    const [closed] = await db.update(ticket).set({ status: 'closed', closedAt: new Date() }).where(eq(ticket.key, seeded.closedKey)).returning();
    await db.insert(satisfactionSurvey).values({ ticketId: closed!.id, deskId: closed!.deskId, reporterId: customer.id, askedAt: new Date() });
    seeded.surveyToken = createSurveyToken(server.config.authSecret, closed!.id, new Date(Date.now() + 86_400_000));
  }, 120_000);

  afterAll(async () => {
    for (const context of Object.values(contexts)) await context?.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  type Visit = string | { url: string; open: (page: Page) => Promise<void>; as: string };

  /**
   * Visits each page at both sizes (after opening what `open` opens: a menu, a dialog); one failure list
   * for all, with a screenshot of each failing page.
   */
  async function sweep(role: keyof typeof contexts, pages: Visit[]) {
    const page: Page = await contexts[role].newPage();
    const problems: string[] = [];
    try {
      for (const visit of pages) {
        const url = typeof visit === 'string' ? visit : visit.url;
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await page.goto(`${server.baseUrl}${url}`);
          await settle(page);
          if (typeof visit !== 'string') {
            await visit.open(page);
            await settle(page);
          }
          const label = `${role} ${url}${typeof visit === 'string' ? '' : ` (${visit.as})`} at ${viewport.width}px`;
          const found = await sweepPage(page, label);
          if (found.length) {
            mkdirSync(SCREENSHOT_DIR, { recursive: true });
            await page.screenshot({ path: path.join(SCREENSHOT_DIR, `layout-${label.replace(/[^\w]+/g, '_')}.png`), fullPage: true }).catch(() => {});
          }
          problems.push(...found);
        }
      }
    } finally {
      await page.close();
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }

  it('the escalation matrix, with its contacts: nothing serious for axe with WCAG 2.2 AA (24 px targets) and the label-in-name check', async () => {
    const [support] = await server.ctx.db.select().from(desk).where(eq(desk.slug, 'support'));
    await server.ctx.db
      .insert(escalationLevel)
      .values({ deskId: support!.id, level: 1, whenToCall: { fr: 'Appelez-nous.', de: 'Rufen Sie uns an.', en: 'Call us.' } })
      .onConflictDoNothing();
    await server.ctx.db.insert(escalationContact).values([
      {
        deskId: support!.id,
        level: 1,
        position: 0,
        name: 'Customer Services',
        role: 'Customer Services',
        email: 'support@guichet.test',
        phone: '+41 31 555 10 00',
        language: 'fr',
      },
      {
        deskId: support!.id,
        level: 1,
        position: 1,
        name: 'Nadia Keller',
        role: 'Responsable du Customer Services',
        email: 'nadia.keller@guichet.test',
        phone: '+41 31 555 10 20',
        language: 'de',
      },
    ]);
    const page = await contexts.anonymous.newPage();
    try {
      const problems: string[] = [];
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.goto(`${server.baseUrl}/escalation`);
        await page.getByTestId('escalation-phone').first().waitFor();
        await settle(page);
        // The sweep's axe run, plus two rules axe leaves off by default: WCAG 2.2's target size, and the label-in-name check.
        const results = await new AxeBuilder({ page })
          .options({ rules: { 'target-size': { enabled: true }, 'label-content-name-mismatch': { enabled: true } } })
          .analyze();
        for (const v of results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious'))
          problems.push(
            `/escalation at ${viewport.width}px: ${v.id} (${v.impact}) ${v.nodes
              .slice(0, 3)
              .map((n) => `${n.target.join(' ')} ${JSON.stringify(n.any[0]?.data ?? null)}`)
              .join(' | ')}`,
          );
        for (const link of await page.locator('[data-testid="escalation-email"], [data-testid="escalation-phone"]').all()) {
          const box = (await link.boundingBox())!;
          if (box.height < 24) problems.push(`/escalation at ${viewport.width}px: ${await link.innerText()} is ${box.height} px high`);
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('public pages', async () => {
    await sweep('anonymous', [
      '/login',
      '/signup',
      '/forgot-password',
      '/reset-password?token=a-reset-token-from-the-e-mail',
      '/escalation',
      `/survey/${seeded.surveyToken}`,
      `/invitation?token=${seeded.invitationToken}`,
      '/verify-email/done',
      '/verify-email/done?error=LINK_INVALID',
    ]);
  }, 300_000);

  it('customer pages, and the waiting page of a user no organization has yet', async () => {
    await sweep('customer', [
      '/',
      '/desks/support',
      '/desks/consulting',
      `/requests/new?type=${seeded.types['support/assistance']}`,
      `/requests/new?type=${seeded.types['support/solva-flex']}`,
      `/requests/new?type=${seeded.types['consulting/project-request']}`,
      '/requests',
      `/requests/${seeded.key}`,
      `/requests/${seeded.closedKey}`,
      '/flex',
      '/profile',
      `/projects/${seeded.projectId}`,
    ]);
    await sweep('unattached', ['/waiting']);
  }, 300_000);

  it('agent pages (the workspace has its own test)', async () => {
    await sweep('agent', [
      '/',
      '/agent/new',
      `/requests/${seeded.key}`,
      '/flex',
      `/flex/${seeded.organizationId}`,
      `/projects/${seeded.projectId}`,
      '/profile',
    ]);
  }, 300_000);

  it('menus and dialogs, open', async () => {
    const opened = (testId: string) => async (page: Page) => {
      await page.getByTestId(testId).first().click();
      await page.getByRole('dialog').or(page.getByRole('menu')).first().waitFor();
    };
    const notifications = async (page: Page) => {
      await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-panel').waitFor();
    };
    // The burger is there on a phone only.
    const phoneMenu = async (page: Page) => {
      const burger = page.getByRole('button', { name: fr.nav.openMenu });
      if (!(await burger.isVisible())) return;
      await burger.click();
      await expect.poll(() => page.getByTestId('mobile-menu').evaluate((el) => (el as HTMLElement).inert)).toBe(false);
    };
    const outboxMessage = async (page: Page) => {
      await page.getByTestId('outbox-row').first().click();
      await page.getByTestId('outbox-message').waitFor();
    };
    await sweep('customer', [
      { url: '/', as: 'account menu open', open: opened('user-menu') },
      { url: '/', as: 'notifications open', open: notifications },
      { url: '/', as: 'phone menu open', open: phoneMenu },
    ]);
    await sweep('admin', [
      { url: '/admin/organizations', as: 'new organization dialog', open: opened('organization-create') },
      { url: '/admin/organizations', as: 'organization dialog with its storage quota', open: opened('organization-edit') },
      { url: '/admin/outbox', as: 'a message open', open: outboxMessage },
    ]);
  }, 300_000);

  it('administration: every section', async () => {
    await sweep('admin', [...ADMIN_SECTIONS.map((section) => section.path), `/flex/${seeded.organizationId}`]);
  }, 400_000);
});
