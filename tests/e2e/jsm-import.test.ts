/**
 * Administration → Import from JSM in Chromium against the real app and a fake JSM Cloud
 * (tests/support/jsm-server.ts, on 127.0.0.1, allowed by JSM_IMPORT_ALLOWED_HOSTS): an administrator
 * connects the site (a wrong token is refused on its field), sees the proposed mapping with what it
 * leaves unmapped, maps the rest, saves, downloads the mapping file, runs a dry run (nothing
 * written), pauses and resumes the import, and reads the report with its counts, its refusals and
 * JSM's one request to slow down. The test plays the worker: it runs the queued import itself
 * (runImport), as the pg-boss job would, so nothing waits on a timer but the page's own polling.
 * Every page is checked at 390 and 1280 px: no sideways scrolling, nothing cut, no critical or
 * serious axe violation.
 */
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsmImportSchema, jsmMappingSchema } from '../../src/shared/jsm-import-api.ts';
import { organization } from '../../src/server/db/schema.ts';
import { jsmImport } from '../../src/server/db/schema/jsm-import.ts';
import { runImport } from '../../src/server/features/jsm-import/run-import.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import { asPerson, describeBrowser, launchBrowser, logIn, seedUser, startServerForBrowser, uniqueSuffix, type BrowserServer } from '../support/browser.ts';
import { FAKE_JSM_EMAIL, FAKE_JSM_TOKEN, sampleWorld, startJsmServer, type JsmServerControl } from '../support/jsm-server.ts';
import { settle, sweepPage, VIEWPORTS } from '../support/page-sweep.ts';

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

describeBrowser('JSM import administration in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let jsm: JsmServerControl;
  const suffix = uniqueSuffix();

  beforeAll(async () => {
    jsm = await startJsmServer(sampleWorld());
    [server, browser] = await Promise.all([startServerForBrowser({ env: { JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await jsm?.close();
  });

  /** What the pg-boss job does with a queued import, run here so the test decides when. */
  const work = async (importId: string) => {
    const { db, clock } = server.ctx;
    let outcome = await runImport({ db, clock, config: server.config }, importId);
    while (outcome === 'more') outcome = await runImport({ db, clock, config: server.config }, importId);
    return outcome;
  };

  it('an administrator connects a JSM site, completes the mapping, runs a dry run, then the import, and reads the report', async () => {
    const admin = await seedUser(server, { email: `admin-${suffix}@guichet.test`, name: 'Ada Admin', role: 'admin', language: 'fr' });
    await asPerson(
      browser,
      async (page, log) => {
        await logIn(page, server, admin.email, admin.password);
        await page.goto(`${server.baseUrl}/admin/jsm-import`);
        await page.getByTestId('nav-admin-jsm-import').first().waitFor({ state: 'attached' });
        await page.getByText(fr.jsmImport.empty).waitFor();
        const problems = await sweepBoth(page, 'imports (empty)');

        // A token JSM refuses is shown on its field.
        await page.getByTestId('jsm-import-create').click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('jsm-import-site').fill(jsm.url);
        await dialog.getByTestId('jsm-import-email').fill(FAKE_JSM_EMAIL);
        await dialog.getByTestId('jsm-import-token').fill('not-the-token');
        problems.push(...(await sweepBoth(page, 'new import')));
        await dialog.getByTestId('jsm-import-connect').click();
        await dialog.getByText(fr.errors.jsm_import.auth_failed).waitFor();
        expect(await dialog.getByTestId('jsm-import-token').getAttribute('data-invalid')).toBe('true');
        await dialog.getByTestId('jsm-import-token').fill(FAKE_JSM_TOKEN);
        await dialog.getByTestId('jsm-import-connect').click();
        await page.waitForURL(/\/admin\/jsm-import\/[0-9a-f-]{36}$/);
        const importId = page.url().split('/').at(-1)!;

        // The proposed mapping: what could not be guessed is listed and flagged, and nothing can start.
        await page.getByTestId('jsm-mapping').waitFor();
        const [proposed] = await server.ctx.db.select().from(jsmImport).where(eq(jsmImport.id, importId));
        expect(proposed).toMatchObject({ status: 'draft', site: jsm.url.replace(/\/$/, '') });
        const unmappedItems = page.getByTestId('jsm-unmapped-item');
        await expect.poll(() => unmappedItems.count()).toBeGreaterThan(0);
        const flagged = page.locator('tr[data-unmapped]');
        expect(await flagged.count()).toBeGreaterThanOrEqual(await unmappedItems.count());
        expect(await page.getByTestId('jsm-import-start').isDisabled()).toBe(true);
        expect(await page.getByTestId('jsm-import-dry-run').isDisabled()).toBe(true);
        expect(await page.getByTestId('jsm-start-blocked').textContent()).toMatch(/\d/);
        problems.push(...(await sweepBoth(page, 'proposed mapping')));

        // Map each flagged row, in page order (a service desk before its request types): an SLA is left out, the rest gets the first choice.
        for (let guard = 0; (await flagged.count()) > 0; guard++) {
          expect(guard, 'every flagged row can be mapped').toBeLessThan(100);
          const row = flagged.first();
          const isSla = ((await row.getAttribute('data-testid')) ?? '').startsWith('jsm-map-sla-');
          await row.locator('input').first().click();
          const options = page.getByRole('option');
          await (isSla ? options.filter({ hasText: fr.jsmImport.clocks.ignore }) : options.first()).click();
        }
        expect(await page.getByTestId('jsm-import-start').isDisabled()).toBe(true);
        expect(await page.getByTestId('jsm-start-blocked').textContent()).toBe(fr.jsmImport.mapping.unsaved);
        await page.getByTestId('jsm-mapping-save').click();
        await expect.poll(() => page.getByTestId('jsm-unmapped').count()).toBe(0);
        await expect.poll(() => page.getByTestId('jsm-import-start').isEnabled()).toBe(true);
        const [mapped] = await server.ctx.db.select().from(jsmImport).where(eq(jsmImport.id, importId));
        const mapping = jsmMappingSchema.parse(mapped!.mapping);
        expect([...mapping.serviceDesks.map((s) => s.desk), ...mapping.requestTypes.map((r) => r.requestType)]).not.toContain(null);
        expect(mapping.slas.every((s) => s.clock !== null)).toBe(true);

        // The mapping file is the saved mapping.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('jsm-mapping-download').click()]);
        expect(jsmMappingSchema.parse(JSON.parse(readFileSync((await download.path())!, 'utf8')))).toEqual(mapping);

        // A dry run: queued, then worked, then reported as writing nothing.
        const status = page.getByTestId('jsm-import-status').first();
        await page.getByTestId('jsm-import-dry-run').click();
        await expect.poll(() => status.getAttribute('data-status')).toBe('queued');
        await page.getByTestId('jsm-import-progress').waitFor();
        expect(await page.getByTestId('jsm-import-pause').isVisible()).toBe(true);
        expect(await page.getByTestId('jsm-mapping-save').isDisabled()).toBe(true);
        expect(await work(importId)).toBe('completed');
        await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
        await page.getByTestId('jsm-import-dry-run-notice').waitFor();
        expect(await page.getByTestId('jsm-import-report').getByRole('heading').first().textContent()).toBe(fr.jsmImport.report.dryRunTitle);
        const requestsCount = page.getByTestId('jsm-import-report').getByTestId('jsm-count-request');
        expect(Number(await requestsCount.getByTestId('created').textContent())).toBeGreaterThan(0);
        expect(await server.ctx.db.select().from(organization).where(eq(organization.name, 'Acme'))).toEqual([]);
        problems.push(...(await sweepBoth(page, 'dry run report')));

        // The import itself, paused before the worker takes it, then resumed.
        await page.getByTestId('jsm-import-start').click();
        await expect.poll(() => status.getAttribute('data-status')).toBe('queued');
        await page.getByTestId('jsm-import-pause').click();
        await expect.poll(() => status.getAttribute('data-status')).toMatch(/^paus(ed|ing)$/);
        // A pause the worker must see first (pausing) ends when it does.
        if ((await status.getAttribute('data-status')) === 'pausing') expect(await work(importId)).toBe('paused');
        await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('paused');
        problems.push(...(await sweepBoth(page, 'paused import')));
        // JSM asks once to slow down (Retry-After: 0, so nothing really waits): the report says so.
        jsm.failNext('/rest/', { status: 429, headers: { 'retry-after': '0' } });
        await page.getByTestId('jsm-import-resume').click();
        await expect.poll(() => status.getAttribute('data-status')).toBe('queued');
        expect(await work(importId)).toBe('completed');
        await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
        expect(await page.getByTestId('jsm-import-dry-run-notice').count()).toBe(0);
        const report = page.getByTestId('jsm-import-report');
        expect(await report.getByRole('heading').first().textContent()).toBe(fr.jsmImport.report.title);
        const done = jsmImportSchema.parse(await (await page.request.get(`${server.baseUrl}/api/admin/jsm-imports/${importId}`)).json());
        expect(done).toMatchObject({ status: 'completed', dryRun: false, rateLimit: { waits: 1, waitedSeconds: 0, until: null } });
        expect(await report.getByTestId('jsm-import-rate-limit').textContent()).toBe(fr.jsmImport.progress.rateLimit_one.replace('{{seconds}}', '0'));
        expect(await server.ctx.db.select().from(organization).where(eq(organization.name, 'Acme'))).toHaveLength(1);
        // The report shows every kind's counts as the import gave them.
        expect(done.counts.find((c) => c.kind === 'request')?.created).toBeGreaterThan(0);
        for (const count of done.counts) {
          const row = report.getByTestId(`jsm-count-${count.kind}`);
          expect(await row.locator('td').first().textContent()).toBe(fr.jsmImport.kinds[count.kind]);
          for (const column of ['created', 'updated', 'unchanged', 'refused'] as const) {
            expect(await row.getByTestId(column).textContent(), `${count.kind} ${column}`).toBe(String(count[column]));
          }
        }
        // Each refusal is listed with what was refused and why.
        const refusals = report.getByTestId('jsm-refusal');
        expect(done.refusals.length).toBeGreaterThan(0);
        expect(await refusals.count()).toBe(done.refusals.length);
        for (const [i, refusal] of done.refusals.entries()) {
          expect(await refusals.nth(i).textContent()).toBe(`${fr.jsmImport.kinds[refusal.kind]}${refusal.label}${refusal.reason}`);
        }
        await page.getByTestId('jsm-import-start').waitFor();
        expect(await page.getByTestId('jsm-import-start').textContent()).toBe(fr.jsmImport.startAgain);
        problems.push(...(await sweepBoth(page, 'import report')));

        await page.goto(`${server.baseUrl}/admin/jsm-import`);
        await expect.poll(() => page.getByTestId('jsm-import-row').count()).toBe(1);
        expect(await page.getByTestId('jsm-import-row').getByTestId('jsm-import-status').getAttribute('data-status')).toBe('completed');
        problems.push(...(await sweepBoth(page, 'imports')));

        expect(problems).toEqual([]);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );
  });
});
