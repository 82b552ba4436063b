/**
 * Data entry in Chromium: nothing typed or chosen is cut, clamped or sent to be refused afterwards.
 * A summary over its limit, a file over the upload limit and a time entry over a day are refused
 * on the spot, in the user's language, with the limit, and nothing is sent; a duration typed as
 * people write it ("1h30") is read, shown as understood, and logged.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { desk, deskMember } from '../../src/server/db/schema.ts';
import { formatMinutes } from '../../src/shared/durations.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { formatFileSize } from '../../src/web/lib/file-size.ts';
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

/** An interface text with its {{placeholders}} filled in as i18next does for French (numbers in the French format). */
const fill = (text: string, params: Record<string, number | string>) =>
  text.replace(/\{\{(\w+)(?:, (\w+))?\}\}/g, (_, key: string, format?: string) => {
    const value = params[key]!;
    if (format === 'number') return new Intl.NumberFormat('fr').format(Number(value));
    if (format === 'fileSize') return formatFileSize(Number(value), 'fr');
    return String(value);
  });

/** The requests the page sends to create requests, upload files or log time, as "METHOD /path". */
function changesSent(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() !== 'GET' && /^\/api\/(requests|attachments)/.test(path)) sent.push(`${request.method()} ${path}`);
  });
  return sent;
}

describeBrowser('data entry: limits are said and kept, never cut or clamped', () => {
  let server: BrowserServer;
  let browser: Browser;
  const MAX_BYTES = 1024 * 1024;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser({ env: { ATTACHMENT_MAX_MB: '1' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a too-long summary and a too-large file at once, sending nothing; then a duration typed as "1h30" is logged as 1 h 30', async () => {
    const suffix = uniqueSuffix();
    const org = await seedOrganization(server, 'Helvetia Logistik AG', [`helvetia-${suffix}.ch`]);
    const customer = await seedUser(server, { email: `jonas@${org.domains[0]}`, name: 'Jonas Meier', organizationId: org.id });
    const agent = await seedUser(server, { email: `agent-${suffix}@guichet.test`, name: 'Sophie Martin', role: 'agent' });
    const [support] = (await server.ctx.db.select().from(desk)).filter((d) => d.slug === 'support');
    await server.ctx.db.insert(deskMember).values({ deskId: support!.id, userId: agent.id });

    const key = await asPerson(
      browser,
      async (page) => {
        const sent = changesSent(page);
        await logIn(page, server, customer.email, customer.password);
        await page.getByTestId('page-home-customer').getByTestId('request-type-assistance').click();
        await page.getByTestId('create-request-form').waitFor();

        // A summary of 10,000 characters stays as typed and is refused with the limit; nothing is sent.
        const summary = page.getByTestId('request-summary');
        await summary.fill('x'.repeat(10_000));
        expect((await summary.inputValue()).length).toBe(10_000);
        await page.getByTestId('request-description').fill('La **version exacte** est 12.4.');
        await page.getByTestId('criticality-medium').click();
        await page.getByTestId('request-submit').click();
        await page.getByText(fill(fr.validation.tooLong, { limit: 255, length: 10_000 }), { exact: true }).waitFor();
        expect(await summary.getAttribute('aria-invalid')).toBe('true');

        // The form says the upload limit before a file is chosen; a larger file is refused at once and never sent.
        await page.getByText(fill(fr.requests.attachments.limit, { limit: MAX_BYTES }), { exact: false }).waitFor();
        await page
          .getByTestId('attachments-input')
          .setInputFiles([{ name: 'export.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MAX_BYTES + 1, 0x41) }]);
        const big = page.locator('[data-testid="attachments-item"][data-name="export.pdf"]');
        expect(await big.getByTestId('attachments-error').innerText()).toBe(fill(fr.errors.attachment.too_large, { limit: MAX_BYTES }));
        expect(await big.getAttribute('data-state')).toBe('error');
        expect(sent).toEqual([]);

        await big.getByTestId('attachments-remove').click();
        await summary.fill('Le lancement des factures s’arrête');
        await page.getByTestId('request-submit').click();
        const requestPage = page.getByTestId('page-request');
        await requestPage.waitFor();
        expect(sent.filter((s) => s.startsWith('POST /api/attachments'))).toEqual([]);
        return (await requestPage.getAttribute('data-key'))!;
      },
      { as: 'customer' },
    );

    await asPerson(
      browser,
      async (page) => {
        const sent = changesSent(page);
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/requests/${key}`);
        const panel = page.getByTestId('time-log-panel');
        await panel.getByTestId('time-log-open').click();
        const form = panel.getByTestId('time-log-form');
        const duration = form.getByTestId('time-minutes');
        await form.getByTestId('time-description').fill('Analyse du blocage');

        // 90,000 minutes is refused with the limit, not saved as 1,440.
        await duration.fill('90000');
        await form.getByTestId('time-log-form-submit').click();
        await form.getByText(fill(fr.flex.timeLog.durationTooLong, { hours: 24, limit: 1440 }), { exact: true }).waitFor();
        // Words it cannot read are refused too, saying what it expects.
        await duration.fill('une heure et demie');
        await form.getByTestId('time-log-form-submit').click();
        await form.getByText(fill(fr.flex.timeLog.durationUnreadable, { text: 'une heure et demie' }), { exact: true }).waitFor();
        expect(sent.filter((s) => s.includes('/time-entries'))).toEqual([]);

        // "1h30" is read as 90 minutes, shown as understood before sending.
        await duration.fill('1h30');
        await expect
          .poll(() => form.getByTestId('time-minutes-understood').innerText())
          .toBe(fill(fr.flex.timeLog.durationUnderstood, { duration: formatMinutes(90) }));
        await form.getByTestId('time-log-form-submit').click();
        await expect.poll(() => panel.getByTestId('time-entry').count(), { timeout: 15_000 }).toBe(1);
        expect(await panel.getByTestId('time-entry').innerText()).toContain(formatMinutes(90));
        expect(sent.filter((s) => s.includes('/time-entries'))).toEqual([`POST /api/requests/${key}/time-entries`]);
      },
      { as: 'agent' },
    );
  });
});
