/**
 * In-app notifications and e-mail preferences, as a customer uses them: in Chromium, against the real app.
 * The customer opens a request, an agent answers, the bell counts the unread notifications, opening one
 * leads to the request, whose page marks its notifications read; on the profile the customer turns off the e-mails of replies.
 * Only what no person could do in the interface is seeded (organization, accounts, the agent's desk).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { desk, deskMember, outbox } from '../../src/server/db/schema.ts';
import { messageIdFor } from '../../src/server/features/mail/deliver-mail.ts';
import { de } from '../../src/web/i18n/de.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp.ts';
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
const bellLabel = (count: number) =>
  count === 0 ? fr.notifications.bell.label : fill(count === 1 ? fr.notifications.bell.labelUnread_one : fr.notifications.bell.labelUnread_other, { count });
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

describeBrowser('notifications: the bell and the e-mail preferences', () => {
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

  it('a customer sees the unread count, opens the reply from the bell, and turns off reply e-mails on the profile', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const support = (await server.ctx.db.select().from(desk)).find((d) => d.slug === 'support')!;
    await server.ctx.db.insert(deskMember).values({ deskId: support.id, userId: agent.id });

    await asPerson(browser, async (page) => {
      await logIn(page, server, customer.email, customer.password);
      const bell = page.getByTestId('notification-bell');
      await bell.waitFor();
      await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
      await page.getByTestId('request-summary').fill('Les factures ne s’impriment plus');
      await page.getByTestId('request-description').fill('Depuis ce matin, le lancement des factures s’arrête.');
      await page.getByTestId('criticality-high').click();
      await page.getByTestId('request-submit').click();
      const requestPage = page.getByTestId('page-request');
      await requestPage.waitFor();
      const key = (await requestPage.getAttribute('data-key'))!;

      const unread = async () => (await page.evaluate(async () => (await fetch('/api/notifications/unread-count')).json())).unread as number;
      // The request's page is open: its acknowledgement counts as read.
      await eventually(unread).toBe(0);

      // The agent answers (through the API, as the workspace does).
      const signIn = await server.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: server.baseUrl },
        payload: { email: agent.email, password: agent.password },
      });
      const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const answer = (body: string) =>
        server.app.inject({ method: 'POST', url: `/api/requests/${key}/messages`, headers: { origin: server.baseUrl, cookie }, payload: { body } });
      expect((await answer('Pouvez-vous essayer de relancer le service ?')).statusCode).toBe(201);

      // The reply (and the status change it may bring), unread.
      const total = await unread();
      expect(total).toBeGreaterThanOrEqual(1);
      await page.goto(`${server.baseUrl}/`);
      await eventually(() => bell.getAttribute('aria-label')).toBe(bellLabel(total));

      await bell.click();
      const panel = page.getByTestId('notification-panel');
      const replyTitle = `[${key}] Nouvelle réponse : Les factures ne s’impriment plus`;
      await panel.getByText(replyTitle).waitFor();
      // The acknowledgement (read) and the unread ones.
      expect(await panel.getByTestId('notification-item').count()).toBe(total + 1);
      await panel.getByText(replyTitle).click();
      await page.waitForURL((url) => url.pathname === `/requests/${key}`);
      await page.getByTestId('page-request').waitFor();
      await eventually(unread).toBe(0);
      await eventually(() => bell.getAttribute('aria-label')).toBe(fr.notifications.bell.label);

      // Another answer while the customer is elsewhere: "mark all read" from the bell.
      await page.goto(`${server.baseUrl}/profile`);
      expect((await answer('Le correctif est installé.')).statusCode).toBe(201);
      await page.reload();
      await eventually(() => bell.getAttribute('aria-label')).toBe(bellLabel(await unread()));
      expect(await unread()).toBeGreaterThanOrEqual(1);
      await bell.click();
      await page.getByTestId('notification-mark-all').click();
      await eventually(() => bell.getAttribute('aria-label')).toBe(fr.notifications.bell.label);
      await page.keyboard.press('Escape');

      // The profile: reply e-mails off, saved at once; essential ones are said to be always sent.
      const prefs = page.getByTestId('email-preferences');
      await prefs.getByText(fr.notifications.preferences.essential).waitFor();
      const replies = prefs.getByRole('switch', { name: fr.notifications.preferences.categories['request-reply'].label });
      expect(await replies.isChecked()).toBe(true);
      await replies.click({ force: true });
      await page.getByText(fr.notifications.preferences.saved).waitFor();
      expect(await replies.isChecked()).toBe(false);
      const saved = await page.evaluate(async () => (await fetch('/api/me/email-preferences')).json());
      expect(saved).toMatchObject({ 'request-reply': false, 'request-created': true });

      // Read in German from now on: the notifications written in French are listed in German.
      await page.getByTestId('language-de').click();
      await eventually(() => bell.getAttribute('aria-label')).toBe(de.notifications.bell.label);
      await bell.click();
      await page.getByTestId('notification-panel').getByText(`[${key}] Neue Antwort: Les factures ne s’impriment plus`).first().waitFor();
      expect(await page.getByTestId('notification-panel').getByText(replyTitle).count()).toBe(0);
    });
  });

  it('an administrator finds a dead message and a held one in the outbox and sends them, under their Message-ID', async () => {
    const admin = await seedUser(server, { email: `admin-${uniqueSuffix()}@guichet.test`, name: 'Ada Admin', role: 'admin' });
    const to = `dead-${uniqueSuffix()}@example.test`;
    const [dead] = await server.ctx.db
      .insert(outbox)
      .values({
        to,
        language: 'fr',
        template: 'reset-password',
        subject: 'Message en lettre morte',
        text: 'Texte',
        html: '<p>Texte</p>',
        status: 'failed',
        attempts: 10,
        lastError: 'connect ECONNREFUSED',
        createdAt: new Date(),
      })
      .returning();

    await asPerson(browser, async (page) => {
      await logIn(page, server, admin.email, admin.password);
      await page.goto(`${server.baseUrl}/admin/outbox`);
      await page.getByTestId('outbox-status-filter').getByText(fr.outbox.statuses.failed, { exact: true }).click();
      const row = page.locator(`[data-testid="outbox-row"][data-to="${to}"]`);
      await row.getByRole('button', { name: 'Message en lettre morte' }).click();
      const deadLetter = page.getByTestId('outbox-dead-letter');
      await deadLetter.getByText(fr.notifications.outbox.deadText).waitFor();
      await deadLetter.getByTestId('outbox-retry').click();
      await page.getByText(fr.notifications.outbox.retried).waitFor();
    });

    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.messageId).toBe(messageIdFor(dead!.id, server.config.baseUrl));
    await eventually(async () => (await server.ctx.db.select().from(outbox).where(eq(outbox.id, dead!.id)))[0]!.status).toBe('sent');

    // A message held by an earlier run without a mail server: sent from the same place.
    const heldTo = `held-${uniqueSuffix()}@example.test`;
    const [held] = await server.ctx.db
      .insert(outbox)
      .values({
        to: heldTo,
        language: 'fr',
        template: 'reset-password',
        subject: 'Message retenu',
        text: 'Texte',
        html: '<p>Texte</p>',
        status: 'held',
        attempts: 0,
        createdAt: new Date(),
      })
      .returning();
    await asPerson(browser, async (page) => {
      await logIn(page, server, admin.email, admin.password);
      await page.goto(`${server.baseUrl}/admin/outbox`);
      await page.getByTestId('outbox-status-filter').getByText(fr.outbox.statuses.held, { exact: true }).click();
      await page.locator(`[data-testid="outbox-row"][data-to="${heldTo}"]`).getByRole('button', { name: 'Message retenu' }).click();
      const box = page.getByTestId('outbox-held');
      await box.getByText(fr.notifications.outbox.heldText).waitFor();
      await box.getByTestId('outbox-retry').click();
      await page.getByText(fr.notifications.outbox.retried).waitFor();
    });
    expect((await smtp.waitFor((m) => m.to.includes(heldTo))).messageId).toBe(messageIdFor(held!.id, server.config.baseUrl));
  });
});
