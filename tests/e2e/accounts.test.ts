/**
 * The accounts foundation, as people use it: in Chromium, against the real app, with e-mails delivered over
 * real SMTP. Each person has their own browser context and client address (see `newPerson`); the only
 * things seeded are those no person could do in the interface (an organization that existed beforehand,
 * an administrator, an account whose password is forgotten).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD_MIN } from '../../src/shared/domain.ts';
import { de } from '../../src/web/i18n/de.ts';
import { en, type Messages } from '../../src/web/i18n/en.ts';
import { fr } from '../../src/web/i18n/fr.ts';
import {
  asPerson,
  describeBrowser,
  launchBrowser,
  seedOrganization,
  seedUser,
  startServerForBrowser,
  uniqueSuffix,
  type BrowserServer,
} from '../support/browser.ts';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/smtp.ts';
import { linkIn } from '../support/test-app.ts';

/** An interface text with its {{placeholders}} filled in. */
const fill = (text: string, params: Record<string, string | number> = {}) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key]));

/** Waits (polling) until `read` gives `expected`: for what no locator shows, such as an attribute or an API answer. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

/**
 * The message is shown, the field is marked invalid and is described by that very message: the error sits next
 * to the field, for the eye and for assistive technology. (Mantine's PasswordInput marks its input with
 * data-invalid only, not aria-invalid: either counts here.)
 */
async function expectFieldError(field: Locator, message: string) {
  await field.page().getByText(message, { exact: true }).waitFor({ state: 'visible' });
  await eventually(() => field.evaluate((input) => input.getAttribute('aria-invalid') === 'true' || input.hasAttribute('data-invalid'))).toBe(true);
  const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const descriptions = await Promise.all(describedBy.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
  expect(descriptions.map((text) => text.replace(/\s+/g, ' ').trim())).toContain(message);
}

/** The one link of an e-mail, checked to lead back to the portal under test. */
function linkOf(mail: ReceivedMail, server: BrowserServer): string {
  const link = linkIn(mail.text);
  expect(link.startsWith(`${server.baseUrl}/`)).toBe(true);
  return link;
}

async function logIn(page: Page, email: string, password: string, texts = fr) {
  await page.getByTestId('page-login').waitFor();
  const emailField = page.getByLabel(texts.fields.email, { exact: true });
  if ((await emailField.inputValue()) !== email) await emailField.fill(email);
  await page.getByLabel(texts.fields.password, { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

/**
 * The page speaks `texts`' language: the header's main navigation and account menu are named in it.
 * (The shell, not the home page, whose content the request pages are reworking.)
 */
async function expectInterfaceIn(page: Page, texts: Messages, name: string) {
  // The header's navigation comes first; the collapsed side navbar (mobile) bears the same name.
  await page.getByRole('navigation', { name: texts.nav.main }).first().getByRole('link', { name: texts.nav.home, exact: true }).waitFor();
  await page.getByRole('button', { name: fill(texts.nav.userMenu, { name }), exact: true }).waitFor();
}

/** The customer's home: their name in the title, their organization named on the page. */
async function expectCustomerHome(page: Page, name: string, organization: string) {
  const home = page.getByTestId('page-home-customer');
  await home.getByRole('heading', { level: 1 }).getByText(name).waitFor();
  await home.getByText(organization).first().waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
}

/** The profile as the app's own API reports it, asked from the page with the person's session. */
const me = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/api/me');
    return response.ok ? ((await response.json()) as { language: string; organization: { name: string } | null }) : null;
  });

describeBrowser('accounts: people sign up, log in, recover their password and accept invitations', () => {
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

  it('signs up, confirms the address from the e-mail, logs in to their organization, works in German, logs out', async () => {
    const domain = `alpina-${uniqueSuffix()}.ch`;
    const org = await seedOrganization(server, 'Alpina Industrie SA', [domain]);
    const name = 'Claire Rochat';
    const email = `claire.rochat@${domain}`;
    const password = 'Edelweiss-Sommer-2026';

    await asPerson(browser, async (page, log, context) => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('link', { name: fr.login.createAccount }).click();
      await page.getByTestId('page-signup').waitFor();

      await page.getByLabel(fr.fields.name, { exact: true }).fill(name);
      await page.getByLabel(fr.fields.workEmail, { exact: true }).fill(email);
      const passwordField = page.getByLabel(fr.fields.password, { exact: true });

      // A password that is too short is refused next to the field, and nothing is sent.
      await passwordField.fill('court');
      await page.getByTestId('signup-submit').click();
      await expectFieldError(passwordField, fill(fr.validation.passwordMin, { min: PASSWORD_MIN }));
      expect(await page.getByTestId('page-signup').isVisible()).toBe(true);

      await passwordField.fill(password);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('signup-sent').getByText(fill(fr.signup.sentText, { email })).waitFor();

      // The confirmation link, from the e-mail received over SMTP, opened in the same browser.
      const mail = await smtp.waitFor((m) => m.to.includes(email) && m.text.includes('/verify-email'));
      expect(mail.subject).toBe('Confirmez votre adresse e-mail');
      await page.goto(linkOf(mail, server));
      await page.getByTestId('verify-success').getByText(fr.verify.doneText).waitFor();
      expect(new URL(page.url()).pathname).toBe('/verify-email/done');
      // Opened again, the link says it can no longer be used, as a forged or an expired one would, and offers the log-in.
      const again = await context.newPage();
      await again.goto(linkOf(mail, server));
      await again.getByTestId('verify-error').getByText(fr.verify.invalidText).waitFor();
      expect(await again.getByTestId('page-verify-failed').getByRole('link', { name: fr.common.toLogin }).isVisible()).toBe(true);
      await again.close();

      await page.getByTestId('verify-continue').click();
      await logIn(page, email, password);

      // The verified address's domain belongs to the organization: the home page is theirs.
      await expectCustomerHome(page, name, org.name);
      await expectInterfaceIn(page, fr, name);
      expect(await me(page)).toMatchObject({ language: 'fr', organization: { name: org.name } });

      // Deutsch, with the switcher in the header: the interface changes and the profile keeps the choice.
      await page.getByTestId('language-de').click();
      await expectInterfaceIn(page, de, name);
      await eventually(() => page.locator('html').getAttribute('lang')).toBe('de');
      await eventually(async () => (await me(page))?.language).toBe('de');

      // Without the choice remembered by this browser, the profile alone brings German back.
      await page.evaluate(() => window.localStorage.clear());
      await page.reload();
      await expectCustomerHome(page, name, org.name);
      await expectInterfaceIn(page, de, name);

      await page.getByTestId('user-menu').click();
      await page.getByTestId('nav-logout').click();
      await page.getByTestId('page-login').getByRole('heading', { name: de.login.title }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await me(page)).toBeNull();
      expect(log.pageErrors).toEqual([]);
    });
  });

  it('recovers a forgotten password from the e-mailed link; the old password no longer opens the account', async () => {
    const domain = `bergbahn-${uniqueSuffix()}.ch`;
    const org = await seedOrganization(server, 'Bergbahnen Vaudoises', [domain]);
    const person = await seedUser(server, { email: `marc.favre@${domain}`, name: 'Marc Favre', organizationId: org.id, password: 'Ancien-mot-de-passe-1' });
    const newPassword = 'Nouveau-Chalet-2026!';

    await asPerson(browser, async (page, log) => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('link', { name: fr.login.forgotPassword }).click();
      await page.getByTestId('page-forgot-password').waitFor();
      await page.getByLabel(fr.fields.email, { exact: true }).fill(person.email);
      await page.getByTestId('forgot-submit').click();
      await page
        .getByTestId('forgot-sent')
        .getByText(fill(fr.forgot.sentText, { email: person.email }))
        .waitFor();

      const mail = await smtp.waitFor((m) => m.to.includes(person.email) && m.text.includes('/reset-password'));
      expect(mail.subject).toBe('Réinitialisation de votre mot de passe');
      await page.goto(linkOf(mail, server));
      await page.getByTestId('page-reset-password').waitFor();
      expect(new URL(page.url()).pathname).toBe('/reset-password');

      await page.getByLabel(fr.fields.newPassword, { exact: true }).fill(newPassword);
      await page.getByLabel(fr.fields.confirmPassword, { exact: true }).fill(newPassword);
      await page.getByTestId('reset-submit').click();
      await page.getByTestId('login-notice').getByText(fr.login.passwordChanged).waitFor();

      // The old password is refused, visibly.
      await logIn(page, person.email, person.password);
      await page.getByTestId('error-alert').getByText(fr.errors.auth.invalid_email_or_password).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');

      // The new one opens the account.
      await logIn(page, person.email, newPassword);
      await expectCustomerHome(page, person.name, org.name);

      // The link was single-use.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('nav-logout').click();
      await page.getByTestId('page-login').waitFor();
      await page.goto(linkOf(mail, server));
      await page.getByTestId('reset-invalid').waitFor();
      expect(log.pageErrors).toEqual([]);
    });
  });

  it('an administrator creates an organization and invites a customer, who accepts from the e-mail and reaches its home', async () => {
    const suffix = uniqueSuffix();
    const admin = await seedUser(server, {
      email: `admin-${suffix}@guichet.test`,
      name: 'Anne Admin',
      role: 'admin',
      language: 'en',
      password: 'Admin-Passwort-2026',
    });
    const orgName = `Chocolats Lémaniques ${suffix}`;
    const domain = `chocolats-${suffix}.ch`;
    const invitee = { email: `julie.morel@${domain}`, name: 'Julie Morel', password: 'Praline-Fondante-77' };
    let invitationMail: ReceivedMail;

    await asPerson(
      browser,
      async (page, log) => {
        await page.goto(`${server.baseUrl}/login`);
        await logIn(page, admin.email, admin.password);
        // The administrator's profile is in English: the interface follows it once logged in.
        await page.getByTestId('page-home-staff').waitFor();
        await expectInterfaceIn(page, en, admin.name);

        await page.getByTestId('nav-admin').click();
        await page.getByTestId('nav-admin-organizations').click();
        await page.getByRole('heading', { name: en.organizations.title, level: 1 }).waitFor();

        // A public mail domain cannot identify an organization: the error is shown next to the domains.
        await page.getByTestId('organization-create').click();
        const dialog = page.getByRole('dialog', { name: en.organizations.createTitle });
        await dialog.getByLabel(en.organizations.name, { exact: true }).fill(orgName);
        const domains = dialog.getByLabel(en.organizations.domains, { exact: true });
        await domains.fill('gmail.com');
        await domains.press('Enter');
        await dialog.getByTestId('organization-save').click();
        await expectFieldError(domains, en.errors.organization.public_domain);

        // Corrected: the public domain removed, the company's own added.
        await domains.press('Backspace');
        await domains.fill(domain);
        await domains.press('Enter');
        await dialog.getByTestId('organization-save').click();
        await dialog.waitFor({ state: 'hidden' });
        const row = page.locator(`[data-testid=organization-row][data-name="${orgName}"]`);
        await row.waitFor();

        // Its storage: nothing used, under the installation's default quota, until the administrator gives it its own.
        await row.getByText(en.organizations.storageDefault).waitFor();
        await row.getByTestId('organization-edit').click();
        const edit = page.getByRole('dialog', { name: fill(en.organizations.editTitle, { name: orgName }) });
        const quota = edit.getByLabel(en.organizations.storageQuota, { exact: true });
        expect(await quota.inputValue()).toBe('');
        await quota.fill('0');
        await edit.getByTestId('organization-save').click();
        await expectFieldError(quota, en.validation.tooSmall.replace('{{limit, number}}', '1'));
        await quota.fill('500');
        await edit.getByTestId('organization-save').click();
        await edit.waitFor({ state: 'hidden' });
        await eventually(() => row.getByTestId('organization-storage').textContent()).toContain('500.0 MB');
        expect(await row.getByText(en.organizations.storageDefault).count()).toBe(0);

        await page.getByTestId('nav-admin-users').click();
        await page.getByRole('heading', { name: en.users.title, level: 1 }).waitFor();
        await page.locator(`[data-testid=user-row][data-email="${admin.email}"]`).waitFor();

        await page.getByTestId('user-invite').click();
        const invite = page.getByRole('dialog', { name: en.users.inviteTitle });
        await invite.getByLabel(en.fields.email, { exact: true }).fill(invitee.email);
        await invite.getByLabel(en.users.inviteName, { exact: true }).fill(invitee.name);
        expect(await invite.getByRole('combobox', { name: en.users.role }).inputValue()).toBe(en.roles.customer);
        const organization = invite.getByRole('combobox', { name: en.users.organization });
        await organization.click();
        await organization.fill(orgName);
        await page.getByRole('option', { name: orgName }).click();
        expect(await organization.inputValue()).toBe(orgName);
        await invite.getByTestId('invite-send').click();
        await invite.waitFor({ state: 'hidden' });
        await page.locator(`[data-testid=invitation-row][data-email="${invitee.email}"]`).getByText(en.users.invitationStates.pending).waitFor();

        invitationMail = await smtp.waitFor((m) => m.to.includes(invitee.email) && m.text.includes('/invitation'));
        expect(invitationMail.subject).toBe('Invitation to the Customer Services portal');
        expect(invitationMail.text).toContain(orgName);
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'admin' },
    );

    await asPerson(
      browser,
      async (page, log) => {
        await page.goto(linkOf(invitationMail, server));
        await page
          .getByTestId('page-invitation')
          .getByText(fill(fr.invitation.subtitleOrganization, { organization: orgName }))
          .waitFor();
        expect(await page.getByTestId('invitation-email').inputValue()).toBe(invitee.email);
        const nameField = page.getByLabel(fr.fields.name, { exact: true });
        expect(await nameField.inputValue()).toBe(invitee.name);
        await nameField.fill(`${invitee.name}-Berset`);
        await page.getByLabel(fr.fields.choosePassword, { exact: true }).fill(invitee.password);
        await page.getByLabel(fr.fields.confirmPassword, { exact: true }).fill(invitee.password);
        await page.getByTestId('invitation-accept').click();

        await page.getByTestId('login-notice').getByText(fr.login.invitationAccepted).waitFor();
        expect(await page.getByLabel(fr.fields.email, { exact: true }).inputValue()).toBe(invitee.email);
        await logIn(page, invitee.email, invitee.password);

        // The invitation's language (the administrator's, English) is the account's.
        await expectCustomerHome(page, `${invitee.name}-Berset`, orgName);
        await expectInterfaceIn(page, en, `${invitee.name}-Berset`);
        expect(await me(page)).toMatchObject({ language: 'en', organization: { name: orgName } });
        expect(log.pageErrors).toEqual([]);
      },
      { as: 'invitee' },
    );
  });
});
