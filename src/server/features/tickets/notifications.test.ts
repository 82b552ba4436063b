import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../../../tests/support/smtp.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { createTransport } from '../mail/deliver-mail.ts';
import { startMailWorker } from '../mail/deliver-mail.job.ts';

/** The notifications of a request, received by a real SMTP server, each in its recipient's language. */
describe('request notifications over SMTP', () => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp({ smtpUrl: smtp.url });
    await startMailWorker(
      t.boss!,
      { db: t.db, clock: t.clock, transport: createTransport(smtp.url), mailFrom: t.config.mailFrom, baseUrl: t.config.baseUrl },
      { pollingIntervalSeconds: 0.5 },
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('acknowledges, tells of a reply, a status change and a lowered criticality — never of an internal note', async () => {
    const ids = await catalog(t);
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });
    const ack = await smtp.waitFor((m) => m.to.includes(c.reporter.email) && m.subject.startsWith(`[${key}] Demande reçue`));
    expect(ack.text).toContain(`${t.config.baseUrl}/requests/${key}`);

    await call(t.app, {
      method: 'POST',
      url: `/api/requests/${key}/messages`,
      cookie: agent.cookie,
      body: { body: 'INTERNAL-ONLY remark', visibility: 'internal' },
    });
    await call(t.app, {
      method: 'POST',
      url: `/api/requests/${key}/qualify`,
      cookie: agent.cookie,
      body: { criticality: 'low', reason: 'A workaround exists.' },
    });
    await call(t.app, { method: 'POST', url: `/api/requests/${key}/messages`, cookie: agent.cookie, body: { body: 'Please try the workaround.' } });
    await call(t.app, { method: 'POST', url: `/api/requests/${key}/transitions`, cookie: agent.cookie, body: { to: 'waiting_customer' } });

    const lowered = await smtp.waitFor((m) => m.to.includes(c.colleague.email) && m.subject === `[${key}] Kritikalität herabgesetzt: Niedrig`);
    expect(lowered.text).toContain('Begründung: A workaround exists.');
    expect(lowered.html).toContain('«Hoch» auf «Niedrig»');
    const reply = await smtp.waitFor((m) => m.to.includes(c.reporter.email) && m.subject === `[${key}] Nouvelle réponse : Invoices do not print`);
    expect(reply.text).toContain('Please try the workaround.');
    await smtp.waitFor((m) => m.to.includes(c.reporter.email) && m.subject === `[${key}] En attente de votre réponse : Invoices do not print`);
    expect(smtp.messages.some((m) => m.text.includes('INTERNAL-ONLY') || (m.html ?? '').includes('INTERNAL-ONLY'))).toBe(false);
    expect(smtp.messages.some((m) => m.to.includes(agent.email))).toBe(false);
  });

  it('sends a reply written in Markdown as sanitized HTML with a readable text part', async () => {
    const ids = await catalog(t);
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const body =
      'Pourriez-vous indiquer la **version exacte** ? Voir [le guide](https://docs.example/version).\n\n<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const sent = await call(t.app, { method: 'POST', url: `/api/requests/${key}/messages`, cookie: agent.cookie, body: { body } });
    expect(sent.statusCode, sent.body).toBe(201);
    const reply = await smtp.waitFor((m) => m.to.includes(c.reporter.email) && m.subject.startsWith(`[${key}] Nouvelle réponse`));
    expect(reply.html).toContain('la <strong>version exacte</strong> ?');
    expect(reply.html).toContain('<a href="https://docs.example/version" rel="noopener noreferrer nofollow" target="_blank">le guide</a>');
    expect(reply.html).not.toMatch(/\*\*|onerror|<script|<img/);
    expect(reply.text).toContain('> Pourriez-vous indiquer la version exacte ? Voir le guide (https://docs.example/version).');
    expect(reply.text).not.toContain('**');
  });
});
