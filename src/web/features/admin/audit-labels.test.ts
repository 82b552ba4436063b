import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, auditActionKey } from '#shared/audit.ts';
import { de } from '../../i18n/de.ts';
import { en } from '../../i18n/en.ts';
import { fr } from '../../i18n/fr.ts';

const catalogs = { fr, de, en };
const serverDir = path.resolve(import.meta.dirname, '../../../server');
const serverFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? serverFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.includes('.test.') ? [path.join(dir, e.name)] : [],
  );

describe('the audit log in words', () => {
  it('the server writes audit entries only through recordAudit, whose action and target are typed by AUDIT_ACTIONS and AUDIT_TARGET_TYPES', () => {
    const writers = serverFiles(serverDir).filter((file) => /insert\(auditLog\)/.test(readFileSync(file, 'utf8')));
    expect(writers.map((file) => path.relative(serverDir, file))).toEqual([path.join('features', 'audit', 'record-audit.ts')]);
  });

  for (const [language, messages] of Object.entries(catalogs)) {
    it(`every audit action and target has a label in ${language}`, () => {
      const actions = messages.audit.actions as Record<string, string>;
      const targets = messages.audit.targetTypes as Record<string, string>;
      expect(AUDIT_ACTIONS.filter((action) => !actions[auditActionKey(action)]?.trim())).toEqual([]);
      expect(AUDIT_TARGET_TYPES.filter((type) => !targets[type]?.trim())).toEqual([]);
    });
  }
});
