/**
 * Every error code the server can answer with has a translation in French, German and English in
 * the web app's catalogues (`errors.<code>`, or a feature's own `<scope>.errors.<code>`, see
 * src/web/lib/scoped-errors.ts), so a person never reads a server's English message or a code.
 *
 * The codes are collected from the server's sources: AppError and its helpers (badRequest,
 * conflict, forbidden, notFound, unauthorized, and any feature helper taking a `code`), the
 * replies written directly (the error handler, the better-auth bridge), the validation codes, and
 * the better-auth codes the bridge passes on. A way of raising an error the collector cannot read
 * fails the test, so a new code cannot slip past it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES } from '../src/server/features/accounts/auth-routes.ts';
import { VALIDATION_CODES } from '../src/server/validation.ts';
import { de } from '../src/web/i18n/de.ts';
import { en } from '../src/web/i18n/en.ts';
import { fr } from '../src/web/i18n/fr.ts';

const root = path.resolve(import.meta.dirname, '..');
const serverDir = path.join(root, 'src/server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.test(-support)?\.ts$/.test(entry.name) ? [full] : [];
  });
}

const CODE = /^[a-z_]+(\.[a-z_]+)+$|^internal$/;
const literal = `(['\`])([^'\`$]*)\\1`;

/** Every error code in the server's sources, with where it was found; and the places the collector cannot read. */
function collectServerCodes() {
  const codes = new Map<string, string>();
  const unreadable: string[] = [];
  const files = sourceFiles(serverDir).map((file) => ({ file: path.relative(root, file), text: readFileSync(file, 'utf8') }));
  const add = (code: string, where: string) => {
    if (!CODE.test(code)) unreadable.push(`${where}: "${code}" does not look like an error code`);
    else if (!codes.has(code)) codes.set(code, where);
  };

  for (const { file, text } of files) {
    // Helpers that take the code as their first argument: errors.ts's, and this file's own `(code: string, …) =>`.
    const helpers = new Set(['badRequest', 'conflict', 'forbidden']);
    for (const m of text.matchAll(/const (\w+) = \(code: string\b/g)) helpers.add(m[1]!);
    const at = (index: number) => `${file}:${text.slice(0, index).split('\n').length}`;
    for (const m of text.matchAll(/new AppError\(\s*([^,]+),\s*([^,]+),/g)) {
      const arg = m[2]!.trim();
      const quoted = new RegExp(`^${literal}$`).exec(arg);
      if (quoted) add(quoted[2]!, at(m.index));
      // Inside a helper taking `code`, or notFound's `${what}.not_found`: read at the helper's calls.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template, as written in a command.
      else if (arg !== 'code' && arg !== '`${what}.not_found`') unreadable.push(`${at(m.index)}: new AppError(…, ${arg}, …)`);
    }
    for (const helper of helpers) {
      for (const m of text.matchAll(new RegExp(`\\b${helper}\\(\\s*([^,)]*)`, 'g'))) {
        const arg = m[1]!.trim();
        const quoted = new RegExp(`^${literal}$`).exec(arg);
        if (quoted) add(quoted[2]!, at(m.index));
        else if (arg === '' && helper === 'forbidden') add('auth.forbidden', at(m.index));
        else if (arg !== 'code') unreadable.push(`${at(m.index)}: ${helper}(${arg}, …)`);
      }
    }
    // errors.ts's notFound(what) answers `${what}.not_found`; a file with its own notFound has its code in its AppError.
    const ownNotFound = /const notFound = /.test(text);
    for (const m of ownNotFound ? [] : text.matchAll(/\bnotFound\(\s*([^)]*)\)/g)) {
      const arg = m[1]!.trim();
      const quoted = new RegExp(`^${literal}$`).exec(arg);
      if (arg === '') add('resource.not_found', at(m.index));
      else if (quoted) add(`${quoted[2]}.not_found`, at(m.index));
      else unreadable.push(`${at(m.index)}: notFound(${arg})`);
    }
    if (/\bunauthorized\(\)/.test(text)) add('auth.unauthenticated', file);
    // Replies written without AppError: `fail(reply, status, 'code', …)` and `send({ code: 'code', … })`.
    for (const m of text.matchAll(new RegExp(`\\bfail\\(reply,\\s*[^,]+,\\s*${literal}`, 'g'))) add(m[2]!, at(m.index));
    for (const m of text.matchAll(new RegExp(`send\\(\\{\\s*code:\\s*${literal}`, 'g'))) add(m[2]!, at(m.index));
    // The error handler picks its code among literals.
    if (file === 'src/server/http/error-handler.ts') for (const m of text.matchAll(/'(request\.[a-z_]+)'/g)) add(m[1]!, at(m.index));
  }
  for (const code of VALIDATION_CODES) add(code, 'src/server/validation.ts');
  for (const code of AUTH_ERROR_CODES) add(`auth.${code.toLowerCase()}`, 'src/server/features/accounts/auth-routes.ts');
  add('auth.failed', 'src/server/features/accounts/auth-routes.ts');
  return { codes, unreadable };
}

type Catalogue = Record<string, unknown>;
const lookup = (catalogue: Catalogue, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Catalogue)[part] : undefined), catalogue);
/** Where an error's message may be: the app-wide texts, or a feature's own (scoped-errors.ts). */
const SCOPES = ['', 'catalog.', 'workspace.'];
const translated = (catalogue: Catalogue, code: string) => SCOPES.some((scope) => typeof lookup(catalogue, `${scope}errors.${code}`) === 'string');

describe('server error codes', () => {
  const { codes, unreadable } = collectServerCodes();

  it('are all found in the server’s sources', () => {
    expect(unreadable).toEqual([]);
    // A sample of each source, so the collector itself cannot silently stop finding them.
    for (const code of [
      'ticket.not_found',
      'time_entry.minutes_not_positive',
      'saved_view.not_found',
      'request.cross_site',
      'request.too_large',
      'route.not_found',
      'auth.rate_limited',
      'auth.forbidden',
      'auth.unauthenticated',
      'validation.too_long',
      'auth.invalid_email_or_password',
      'internal',
      'ticket.reason_required',
      'desk.slug_taken',
      'attachment.too_large',
    ]) {
      expect([...codes.keys()], code).toContain(code);
    }
  });

  for (const [language, catalogue] of Object.entries({ fr, de, en })) {
    it(`each have a translation in ${language}`, () => {
      const missing = [...codes].filter(([code]) => !translated(catalogue as Catalogue, code)).map(([code, where]) => `${code} (${where})`);
      expect(missing).toEqual([]);
    });
  }
});
