/**
 * The e-mail channel's pages, in Chromium against the real app. An administrator gives Support its
 * address in the desk form (a taken address is refused on the field), reads the inbound log and
 * re-processes a failed message, which opens a request; an agent opens a request from an e-mail held
 * for triage, for the customer they choose, and follows the link to it; the request page shows the
 * message came by e-mail and its original. Mail arrives as real raw e-mails through receiveMail, as
 * the SMTP receiver hands them over; the failed message is stored as the pipeline stores one (its
 * source file, then its row: a failure cannot be caused from outside). Every page is checked at 390
 * and 1280 px: no sideways scrolling, nothing cut, no critical or serious axe violation.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.ts';
import { desk, deskMember, inboundMessage, requestType, ticket } from '../../src/server/db/schema.ts';
import { writeRaw } from '../../src/server/features/inbound/raw-store.ts';
import { receiveMail } from '../../src/server/features/inbound/receive-mail.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import {
  asPerson,
  describeBrowser,
  launchBrowser,
  logIn,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

/** A plain-text e-mail as an MTA hands it over. */
function rawMail(mail: { from: string; fromName: string; to: string; subject: string; text: string; messageId?: string }): Buffer {
  return Buffer.from(
    [
      `From: ${mail.fromName} <${mail.from}>`,
      `To: ${mail.to}`,
      `Subject: ${mail.subject}`,
      `Message-ID: <${mail.messageId ?? randomUUID()}@mail.example>`,
      'Date: Mon, 02 Feb 2026 08:00:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      mail.text,
      '',
    ].join('\r\n'),
  );
}

/** Chooses `option` in a Mantine Select, typing `search` first when given (searchable selects). */
async function choose(page: Page, testId: string, option: string, search?: string) {
  const input = page.getByTestId(testId);
  await input.click();
  if (search !== undefined) await input.pressSequentially(search, { delay: 20 });
  await page.getByRole('option', { name: option }).first().click();
}

/** The page as it is, on a phone and on a laptop. */
async function sweepBoth(page: Page, label: string): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await settle(page);
    problems.push(...(await sweepPage(page, `${label} @${viewport.name}`)));
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return problems;
}

describeBrowser('the e-mail channel in Chromium', () => {
  const clock = new ManualClock('2026-02-02T08:00:00Z'); // Monday 09:00 in Zurich
  let server: BrowserServer;
  let browser: Browser;
  const suffix = uniqueSuffix();
  const supportAddress = `support-${suffix}@guichet.localhost`;
  let support: { id: string };
  let org: { id: string; name: string };
  let customer: { id: string; email: string; name: string; password: string };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerForBrowser({ clock }), launchBrowser()]);
    org = await seedOrganization(server, `Alpina Industrie ${suffix}`, [`alpina-${suffix}.test`]);
    customer = await seedUser(server, { email: `claire.${suffix}@alpina-${suffix}.test`, name: `Claire Dubois ${suffix}`, organizationId: org.id });
    support = (await server.ctx.db.select({ id: desk.id }).from(desk).where(eq(desk.slug, 'support')))[0]!;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an administrator gives Support its address, reads the inbound log and re-processes a failed message, which opens a request', async () => {
    const admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Ada Admin', role: 'admin', language: 'fr' });
    const [other] = await server.ctx.db
      .insert(desk)
      .values({
        slug: `other-${suffix}`,
        keyPrefix: 'OTHER',
        names: { fr: 'Autre', de: 'Andere', en: 'Other' },
        descriptions: { fr: '', de: '', en: '' },
        position: 90,
        inboundAddress: `taken-${suffix}@guichet.localhost`,
      })
      .returning({ id: desk.id });
    expect(other).toBeDefined();

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);

        // The desk form: a taken address is refused on its field, then Support gets its own.
        await page.goto(`${server.baseUrl}/admin/desks`);
        await page.locator('[data-testid="desk-row"][data-slug="support"]').getByTestId('desk-edit').click();
        const dialog = page.getByRole('dialog');
        const address = dialog.getByTestId('desk-inbound-address');
        await address.fill(`TAKEN-${suffix}@guichet.localhost`);
        await dialog.getByTestId('desk-save').click();
        await expect.poll(() => address.getAttribute('aria-invalid')).toBe('true');
        await expect.poll(() => dialog.getByText(fr.catalog.errors.desk.inbound_address_taken).count()).toBe(1);
        expect(await dialog.getByTestId('desk-inbound-request-type').inputValue()).toBe(fr.catalog.desks.inboundRequestTypeDefault);
        await address.fill(supportAddress);
        await dialog.getByTestId('desk-save').click();
        await dialog.waitFor({ state: 'detached' });
        await expect
          .poll(async () => (await server.ctx.db.select({ address: desk.inboundAddress }).from(desk).where(eq(desk.id, support.id)))[0]?.address)
          .toBe(supportAddress);

        // Mail arrives: a customer's e-mail to Support's address (a new request), and a failed one stored earlier.
        const opened = await receiveMail(
          server.ctx,
          rawMail({
            from: customer.email,
            fromName: customer.name,
            to: supportAddress,
            subject: `Imprimante bloquée ${suffix}`,
            text: 'Bonjour,\nl’impression des bulletins ne part plus.\nClaire',
          }),
          { source: 'smtp', envelopeTo: [supportAddress] },
        );
        expect(opened).toMatchObject({ status: 'processed', duplicate: false });
        clock.advance(60_000);
        const failedRaw = rawMail({
          from: customer.email,
          fromName: customer.name,
          to: supportAddress,
          subject: `Export comptable ${suffix}`,
          text: 'Bonjour,\nl’export comptable s’arrête à 80 %.\nClaire',
        });
        // Stored as the pipeline stores it: the source first, then its row.
        const failedId = randomUUID();
        await writeRaw(server.ctx.config.dataDir, failedId, failedRaw);
        const [failed] = await server.ctx.db
          .insert(inboundMessage)
          .values({
            id: failedId,
            source: 'smtp',
            messageId: `<failed-${suffix}@mail.example>`,
            fromAddress: customer.email,
            fromName: customer.name,
            toAddresses: [supportAddress],
            subject: `Export comptable ${suffix}`,
            size: failedRaw.length,
            receivedAt: clock.now(),
            status: 'failed',
            reason: 'error',
            detail: 'connection terminated unexpectedly',
            attempts: 1,
            processedAt: clock.now(),
          })
          .returning({ id: inboundMessage.id });

        await page.goto(`${server.baseUrl}/admin/inbound`);
        const rows = page.getByTestId('inbound-row');
        await expect.poll(() => rows.count()).toBe(2);
        // Newest first, each with its status, its reason and its request.
        const failedRow = rows.nth(0);
        expect(await failedRow.getAttribute('data-status')).toBe('failed');
        expect(await failedRow.getByTestId('inbound-reason').textContent()).toBe(fr.inbound.reasons.error);
        const openedRow = rows.nth(1);
        expect(await openedRow.getAttribute('data-status')).toBe('processed');
        const key = (await openedRow.getByTestId('inbound-request').textContent())!;
        expect(key).toMatch(/^SUP-\d+$/);
        expect(await openedRow.getByTestId('inbound-request').getAttribute('href')).toBe(`/requests/${key}`);
        const problems = await sweepBoth(page, 'inbound log');

        // The filter keeps the failed ones.
        await page.getByTestId('inbound-status-filter').getByText(fr.inbound.statuses.failed, { exact: true }).click();
        await expect.poll(() => rows.count()).toBe(1);

        // The detail: fields, text, headers, the original, and re-processing.
        await failedRow.getByTestId('inbound-open').click();
        const detail = page.getByTestId('inbound-message');
        await detail.getByTestId('inbound-text').waitFor();
        expect(await detail.getByTestId('inbound-detail').textContent()).toBe('connection terminated unexpectedly');
        expect(await detail.getByTestId('inbound-text').textContent()).toContain('80 %');
        expect(await detail.getByTestId('inbound-headers').textContent()).toContain(`Export comptable ${suffix}`);
        expect(await detail.getByTestId('inbound-download').getAttribute('href')).toBe(`/api/admin/inbound/${failed!.id}/raw`);
        problems.push(...(await sweepBoth(page, 'inbound message')));

        await detail.getByTestId('inbound-reprocess').click();
        await expect.poll(() => detail.getAttribute('data-status')).toBe('processed');
        expect(await detail.getByTestId('inbound-reprocess').count()).toBe(0);
        const reopenedKey = (await detail.getByTestId('inbound-request').textContent())!;
        expect(reopenedKey).toMatch(/^SUP-\d+$/);
        expect(reopenedKey).not.toBe(key);
        // The list behind follows: no failed message any more.
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('inbound-row').count()).toBe(0);
        const [row] = await server.ctx.db.select({ status: inboundMessage.status }).from(inboundMessage).where(eq(inboundMessage.id, failed!.id));
        expect(row?.status).toBe('processed');

        expect(problems).toEqual([]);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );
  });

  it('an agent opens a request from an e-mail held for triage, for the customer they choose, and reads its original', async () => {
    const agent = await seedUser(server, { email: `sophie.${suffix}@guichet.test`, name: `Sophie ${suffix}`, role: 'agent' });
    await server.ctx.db.insert(deskMember).values({ deskId: support.id, userId: agent.id });
    await server.ctx.db.update(desk).set({ inboundAddress: supportAddress }).where(eq(desk.id, support.id));
    const [assistance] = await server.ctx.db
      .select({ id: requestType.id, names: requestType.names })
      .from(requestType)
      .where(and(eq(requestType.deskId, support.id), eq(requestType.slug, 'assistance')));

    // Claire writes from her private address, which no account has: the e-mail waits for triage.
    const held = await receiveMail(
      server.ctx,
      rawMail({
        from: `claire.${suffix}@gmail.com`,
        fromName: 'Claire Dubois',
        to: supportAddress,
        subject: `Étiquettes illisibles ${suffix}`,
        text: 'Bonjour,\nles étiquettes sortent illisibles depuis la mise à jour.\nClaire (depuis mon téléphone)',
      }),
      { source: 'smtp', envelopeTo: [supportAddress] },
    );
    expect(held.status).toBe('triage');

    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, agent.email, agent.password);
        await page.goto(`${server.baseUrl}/agent`);
        const nav = page.getByTestId('nav-triage').first();
        await expect.poll(() => nav.getByTestId('triage-count').textContent()).toBe('1');
        await nav.click();
        await page.getByTestId('page-triage').waitFor();
        const item = page.getByTestId('triage-item');
        await expect.poll(() => item.count()).toBe(1);
        expect(await item.getAttribute('data-from')).toBe(`claire.${suffix}@gmail.com`);
        expect(await item.getByTestId('triage-text').textContent()).toContain('illisibles');
        expect(await item.getByTestId('inbound-reason').textContent()).toBe(fr.inbound.reasons.unknown_sender);
        const problems = await sweepBoth(page, 'triage');

        await item.getByTestId('triage-open').click();
        const dialog = page.getByRole('dialog');
        // Criticality Medium unless changed; nothing is sent before a customer is chosen.
        await dialog.getByTestId('triage-open-submit').click();
        await expect.poll(() => dialog.getByText(fr.workspace.create.organizationRequired).count()).toBe(1);
        await choose(page, 'triage-organization', org.name, org.name.slice(0, 12));
        await choose(page, 'triage-reporter', `${customer.name} · ${customer.email}`);
        await choose(page, 'triage-request-type', assistance!.names.fr);
        problems.push(...(await sweepBoth(page, 'triage open form')));
        await dialog.getByTestId('triage-open-submit').click();
        await dialog.waitFor({ state: 'detached' });

        const link = page.getByTestId('triage-opened-link');
        await link.waitFor();
        const key = (await link.getAttribute('href'))!.replace('/requests/', '');
        expect(key).toMatch(/^SUP-\d+$/);
        await expect.poll(() => page.getByTestId('triage-item').count()).toBe(0);
        const [created] = await server.ctx.db.select().from(ticket).where(eq(ticket.key, key));
        expect(created).toMatchObject({ reporterId: customer.id, requestTypeId: assistance!.id, criticality: 'medium' });

        // Claire answers by e-mail, quoting the thread: the request page marks her message and shows its original.
        const reply = await receiveMail(
          server.ctx,
          rawMail({
            from: customer.email,
            fromName: customer.name,
            to: supportAddress,
            subject: `Re: [${key}] Étiquettes illisibles ${suffix}`,
            text: `Le modèle 4 est concerné aussi.\n\nLe 02.02.2026, Guichet a écrit :\n> Votre demande ${key} a été ouverte.`,
          }),
          { source: 'smtp', envelopeTo: [supportAddress] },
        );
        expect(reply.status).toBe('processed');
        await link.click();
        await page.waitForURL(`**/requests/${key}`);
        const byEmail = page.locator('[data-testid="message"][data-by-email="true"]');
        await expect.poll(() => byEmail.count()).toBe(1);
        expect(await byEmail.getByTestId('message-by-email').textContent()).toBe(fr.requests.detail.byEmail);
        expect(await byEmail.getByTestId('message-body').textContent()).toContain('modèle 4');
        await byEmail.getByTestId('message-view-original').click();
        const original = page.getByTestId('message-original-text');
        await original.waitFor();
        expect(await original.textContent()).toContain('modèle 4');
        expect(await original.textContent()).toContain(`Votre demande ${key} a été ouverte.`);
        problems.push(...(await sweepBoth(page, 'message original')));

        expect(problems).toEqual([]);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'agent' },
    );
  });
});
