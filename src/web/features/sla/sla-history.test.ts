import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../i18n/de.ts';
import { en } from '../../i18n/en.ts';
import { fr } from '../../i18n/fr.ts';
import { describeSlaEntry } from './sla-history.ts';

const t: Record<string, TFunction> = {};
beforeAll(async () => {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { fr: { translation: fr }, de: { translation: de }, en: { translation: en } },
    lng: 'fr',
    interpolation: { escapeValue: false },
  });
  for (const language of ['fr', 'de', 'en']) t[language] = instance.getFixedT(language) as TFunction;
});

const entry = (field: string) => ({ field, from: 'resolution:1440', to: 'resolution:9600' });

describe('an SLA re-target in the history', () => {
  it('says the criticality changed when the criticality caused it', () => {
    expect(describeSlaEntry(t.fr!, entry('sla_retarget_criticality')).text).toBe('— cible de Résolution 24 h → 160 h (criticité changée)');
    expect(describeSlaEntry(t.en!, entry('sla_retarget_criticality')).text).toContain('(criticality changed)');
    expect(describeSlaEntry(t.de!, entry('sla_retarget_criticality')).text).toContain('(Kritikalität geändert)');
  });

  it('says the request type changed when the type caused it', () => {
    expect(describeSlaEntry(t.fr!, entry('sla_retarget_request_type')).text).toContain('(type de demande changé)');
    expect(describeSlaEntry(t.en!, entry('sla_retarget_request_type')).text).toContain('(request type changed)');
    expect(describeSlaEntry(t.de!, entry('sla_retarget_request_type')).text).toContain('(Anfragetyp geändert)');
  });

  it('names no cause for entries written before the cause was kept', () => {
    for (const language of ['fr', 'de', 'en']) {
      const text = describeSlaEntry(t[language]!, entry('sla_retarget')).text;
      expect(text).toMatch(/24 h → 160 h$/);
    }
  });
});
