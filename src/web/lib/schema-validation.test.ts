/** Form validation from the shared schemas: the faults on the fields they concern, in validation.ts's words. */
import { describe, expect, it, vi } from 'vitest';
import { createDeskSchema, createProjectSchema } from '#shared/catalog-api.ts';
import { lifecycleRulesInputSchema } from '#shared/lifecycle-api.ts';
import { escalationMatrixInputSchema } from '#shared/sla-api.ts';

// The key and its values stand for the translated text.
vi.mock('../i18n/index.ts', () => ({
  i18n: { t: (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key) },
}));
const { schemaRules } = await import('./schema-validation.ts');

describe('schemaRules', () => {
  it('says a missing text is required and a long one too long, counted without its surrounding spaces', () => {
    const rules = schemaRules(createProjectSchema);
    expect(rules({ organizationId: '0b7e1d6c-3c1a-4a43-9d9e-2f1f1d1c0a11', name: '   ', code: null })).toEqual({ name: 'validation.required' });
    expect(rules({ organizationId: '0b7e1d6c-3c1a-4a43-9d9e-2f1f1d1c0a11', name: 'Migration', code: ` ${'x'.repeat(41)} ` })).toEqual({
      code: 'validation.tooLong {"limit":40,"length":41}',
    });
    expect(rules({ organizationId: '0b7e1d6c-3c1a-4a43-9d9e-2f1f1d1c0a11', name: 'Migration', code: null })).toEqual({});
  });

  it('says a missing choice is required, or what the form gives in its place', () => {
    expect(schemaRules(createProjectSchema)({ organizationId: null, name: 'Migration', code: null })).toEqual({ organizationId: 'validation.required' });
    const own = schemaRules(createProjectSchema, { messages: { organizationId: 'catalog.projects.organizationRequired' } });
    expect(own({ organizationId: null, name: 'Migration', code: null })).toEqual({ organizationId: 'catalog.projects.organizationRequired' });
  });

  it('checks numbers as typed: empty is missing, a fraction not whole, the limits named', () => {
    const rules = schemaRules(lifecycleRulesInputSchema);
    const valid = { firstReminderDays: 3, secondReminderDays: 5, resolveDays: 10, closeDays: 14 };
    expect(rules(valid)).toEqual({});
    expect(rules({ ...valid, firstReminderDays: '', secondReminderDays: 1.5, resolveDays: 0, closeDays: 366 })).toEqual({
      firstReminderDays: 'validation.required',
      secondReminderDays: 'validation.wholeNumber',
      resolveDays: 'validation.tooSmall {"limit":1}',
      closeDays: 'validation.tooBig {"limit":365}',
    });
  });

  it('puts nested faults on their fields, one message each, never the schema’s English', () => {
    const rules = schemaRules(createDeskSchema, { messages: { slug: (issue) => (issue.code === 'invalid_format' ? 'catalog.validation.slug' : null) } });
    const desk = { slug: 'support', keyPrefix: 'SUP', names: { fr: 'Support', de: 'Support', en: 'Support' }, descriptions: { fr: '', de: '', en: '' } };
    expect(rules(desk)).toEqual({});
    expect(rules({ ...desk, slug: 'no spaces', keyPrefix: 'S', names: { ...desk.names, de: '' } })).toEqual({
      slug: 'catalog.validation.slug',
      keyPrefix: 'errors.validation.invalid',
      'names.de': 'validation.required',
    });
    expect(rules({ ...desk, slug: '' })).toEqual({ slug: 'validation.required' });
  });

  it('maps a fault to the field that shows it', () => {
    const contact = { name: 'Anna Keller', role: 'Head of support', email: 'anna@example.ch', phone: '+41 44 000 00 00', language: 'de' };
    const level = (n: 1 | 2 | 3) => ({ level: n, whenToCall: { fr: '', de: '', en: '' }, contacts: [contact] });
    const matrix = { levels: [level(1), level(2), { ...level(3), contacts: [{ ...contact, email: 'anna' }] }] };
    expect(schemaRules(escalationMatrixInputSchema)(matrix)).toEqual({ 'levels.2.contacts.0.email': 'validation.email' });
    const onList = schemaRules(escalationMatrixInputSchema, { field: (path) => path.replace(/\.contacts\..*$/, '.contacts') });
    expect(onList(matrix)).toEqual({ 'levels.2.contacts': 'validation.email' });
  });
});
