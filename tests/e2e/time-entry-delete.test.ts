/**
 * Deleting a time entry asks first: the dialog names the entry; "keep it" leaves it in place, "delete"
 * removes it. The request and the entries are made through the API, as the portal would make them.
 */
import type { Browser } from 'playwright-core';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatMinutes } from '../../src/shared/durations.ts';
import { desk, deskMember, requestType } from '../../src/server/db/schema.ts';
import { timeEntry } from '../../src/server/db/schema.ts';
import { createDateFormatter, todayIn } from '../../src/web/lib/date-format.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { randomIp } from '../support/test-app.ts';
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

/** A person's API session, as their browser would hold it. */
async function apiAs(server: BrowserServer, email: string, password: string) {
  const headers = { origin: server.baseUrl, 'x-forwarded-for': randomIp() };
  const login = await server.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers, payload: { email, password } });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return async (url: string, payload: Record<string, unknown>) => {
    const res = await server.app.inject({ method: 'POST', url, headers: { ...headers, cookie }, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; key: string };
  };
}

describeBrowser('deleting a time entry', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for confirmation naming the entry: “keep it” keeps it, “delete” deletes it', async () => {
    const org = await seedOrganization(server, 'Alpina Industrie SA', [`${uniqueSuffix()}.ch`]);
    const customer = await seedUser(server, { email: `claire.dubois@${org.domains[0]}`, name: 'Claire Dubois', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${uniqueSuffix()}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const [support] = await server.ctx.db.select().from(desk).where(eq(desk.slug, 'support'));
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });
    const [assistance] = (await server.ctx.db.select().from(requestType)).filter((rt) => rt.deskId === support!.id && rt.slug === 'assistance');

    const asCustomer = await apiAs(server, customer.email, customer.password);
    const { key } = await asCustomer('/api/requests', {
      requestTypeId: assistance!.id,
      summary: 'Les factures ne s’impriment plus',
      description: 'Depuis ce matin.',
      criticality: 'high',
    });
    const asAgent = await apiAs(server, agent.email, agent.password);
    const today = todayIn('Europe/Zurich');
    const analysis = await asAgent(`/api/requests/${key}/time-entries`, {
      minutes: 90,
      workedOn: today,
      description: 'Analyse du lancement des factures',
      billable: true,
    });
    const call = await asAgent(`/api/requests/${key}/time-entries`, { minutes: 15, workedOn: today, description: 'Appel avec la cliente', billable: false });
    const both = [analysis.id, call.id].sort();
    const stored = async () =>
      (await server.ctx.db.select({ id: timeEntry.id }).from(timeEntry).where(inArray(timeEntry.id, both))).map((row) => row.id).sort();
    expect(await stored()).toEqual(both);

    await asPerson(browser, async (page, log) => {
      await logIn(page, server, agent.email, agent.password);
      await page.goto(`${server.baseUrl}/requests/${key}`);
      const panel = page.getByTestId('time-log-panel');
      const entries = panel.getByTestId('time-entry');
      await expect.poll(() => entries.count()).toBe(2);
      const entry = entries.filter({ hasText: 'Analyse du lancement des factures' });

      // Asked first, naming the entry; keeping it changes nothing.
      await entry.getByTestId('time-delete').click();
      const dialog = page.getByRole('dialog', { name: fr.flex.timeLog.deleteTitle });
      await dialog.waitFor();
      const day = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: 'UTC' }).day(today);
      const named = await dialog.getByTestId('time-delete-dialog').innerText();
      expect(named).toContain(formatMinutes(90));
      expect(named).toContain(day);
      expect(named).toContain('Sophie Martin');
      expect(named).toContain('Analyse du lancement des factures');
      await dialog.getByTestId('time-delete-cancel').click();
      await dialog.waitFor({ state: 'detached' });
      expect(await entries.count()).toBe(2);
      expect(await stored()).toEqual(both);

      // Confirmed: that entry, and only that one, is gone.
      await entry.getByTestId('time-delete').click();
      await dialog.getByTestId('time-delete-confirm').click();
      await expect.poll(() => entries.count()).toBe(1);
      expect(await entries.first().innerText()).toContain('Appel avec la cliente');
      expect(await stored()).toEqual([call.id]);
      expect(log.pageErrors).toEqual([]);
    });
  });
});
