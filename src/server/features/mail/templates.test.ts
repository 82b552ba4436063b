import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/domain.ts';
import { EMAIL_CATEGORIES } from '#shared/notifications-api.ts';
import { mailCategories, renderMail, type MailTemplate, type MailTemplates } from './templates.ts';

const base = { key: 'SUP-42', summary: 'Invoices <do> not print', url: 'https://guichet.example/requests/SUP-42' };
const sla = { ...base, clock: 'Resolution', criticality: 'High', deadline: 'Monday', target: '8 h' };

/** Parameters for every template: a template added without an entry here is a type error. */
const samples: { [T in MailTemplate]: MailTemplates[T] } = {
  'verify-email': { name: 'Mia', url: 'https://guichet.example/api/auth/verify-email?token=t' },
  'reset-password': { name: 'Mia', url: 'https://guichet.example/reset-password?token=t' },
  invitation: { inviterName: 'Ada', organizationName: 'Alpina', url: 'https://guichet.example/invitations/t' },
  'ticket-created': { ...base, openedBy: null, criticality: 'High' },
  'ticket-reply': { ...base, authorName: 'Sophie', body: 'Try again.' },
  'ticket-status': { ...base, status: 'Resolved' },
  'ticket-criticality': { ...base, from: 'High', to: 'Low', reason: 'Workaround', lowered: true },
  'sla-warning': sla,
  'sla-breach': sla,
  'sla-level3': sla,
  'lifecycle-reminder': { ...base, number: 1, resolveOn: 'Friday' },
  'lifecycle-resolved': { ...base, businessDays: 15, closeOn: 'Friday' },
  'survey-invitation': { ...base, url: 'https://guichet.example/survey/t' },
  'flex-low-balance': { organizationName: 'Alpina', balance: '3 h', threshold: '5 h', url: 'https://guichet.example/flex' },
  'inbound-refused': { subject: 'Re: <b>printer</b>', url: 'https://guichet.example/' },
  'inbound-attachments-refused': { key: 'SUP-42', url: base.url, files: 'huge.zip', maxMb: 10 },
  'webhook-disabled': { endpoint: 'https://erp.example/hooks', description: 'ERP <sync>', failures: 15, url: 'https://guichet.example/admin/webhooks/x' },
};

describe('e-mail templates', () => {
  const templates = Object.keys(mailCategories) as MailTemplate[];

  it('have a category each, from the known ones', () => {
    expect(Object.keys(samples).sort()).toEqual([...templates].sort());
    for (const template of templates) expect(['essential', ...EMAIL_CATEGORIES]).toContain(mailCategories[template]);
  });

  for (const template of templates) {
    it(`${template}: fr, de and en, HTML with a text part, the link, and a request's key in the subject`, () => {
      const params = samples[template] as MailTemplates[typeof template] & { url: string; key?: string };
      const texts = new Set<string>();
      for (const language of LANGUAGES) {
        const mail = renderMail(template, language, params);
        texts.add(mail.text);
        expect(mail.subject.length).toBeGreaterThan(3);
        expect(mail.text).toContain(params.url);
        expect(mail.html).toContain(`href="${params.url.replace(/&/g, '&amp;')}"`);
        expect(mail.html).toContain(`<html lang="${language}">`);
        expect(mail.html).not.toContain('<do>');
        if (params.key) expect(mail.subject).toContain(params.key);
      }
      // Written in each language, not one text three times.
      expect(texts.size).toBe(LANGUAGES.length);
    });
  }
});
