/**
 * No role check outside the policies (issue 15): what a viewer may do is asked of `can`
 * (policies/can.ts), what a role says about an account of policies/accounts.ts. Scanned: every
 * non-test file of src/server but the policies themselves, the routes' access gate (http/access.ts,
 * which keeps its list of roles per access level), the demo's seed data and the database schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const server = path.resolve(import.meta.dirname, '..');
const LEFT_OUT = [/^policies\//, /^http\/access\.ts$/, /^demo\//, /^db\/(schema|migrations)(\/|\.ts$)/];

const scanned = () =>
  readdirSync(server, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support') && !LEFT_OUT.some((r) => r.test(f)));

const ROLE = `'(?:customer|agent|admin)'`;
/** What a role check looks like, each with what it catches. */
const ROLE_CHECKS: [RegExp, string][] = [
  [/role\s*[!=]==?\s*'/i, 'a role compared with a literal'],
  [/'\w+'\s*[!=]==?\s*[\w.?]*role\b/i, 'a literal compared with a role'],
  [/\.role\s*[!=]==?/, 'a `.role` compared'],
  [/\b(?:eq|ne)\(\s*[\w.]*\.role\s*,\s*'/, 'a role column compared with a literal in SQL'],
  [/\b(?:inArray|notInArray)\(\s*[\w.]*\.role\s*,\s*\[[^\]]*'/, 'a role column in a list of literals in SQL'],
  [/role\}?\s+(?:not\s+)?in\s*\(/i, 'a role column in a SQL list'],
  [/\bisStaff\(/, 'isStaff( outside the policies'],
  [new RegExp(`\\bcase\\s+${ROLE}\\s*:`), 'a switch on a role'],
  [new RegExp(`\\[[^\\]]*${ROLE}[^\\]]*\\]\\s*\\.includes\\(`), 'a list of roles tested'],
];

/** The role checks in these lines of code (comments left out), as `where:line: text (what)`. */
function roleChecks(where: string, source: string): string[] {
  return source.split('\n').flatMap((text, i) => {
    const code = text.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(code)) return [];
    const hit = ROLE_CHECKS.find(([pattern]) => pattern.test(code));
    return hit ? [`${where}:${i + 1}: ${text.trim()} (${hit[1]})`] : [];
  });
}

describe('no role check outside the policies', () => {
  it('scans the features, the jobs and the server files (a scan that reads nothing proves nothing)', () => {
    const files = scanned();
    expect(files).toContain('features/tickets/create-ticket.ts');
    expect(files).toContain('features/sla/sweep.job.ts');
    expect(files).toContain('app.ts');
    expect(files).not.toContain('policies/can.ts');
    expect(files).not.toContain('http/access.ts');
  });

  it('finds none', () => {
    expect(scanned().flatMap((f) => roleChecks(f, readFileSync(path.join(server, f), 'utf8')))).toEqual([]);
  });

  it('fails on each kind of role check (fed made-up offending lines)', () => {
    const offending = [
      "  if (viewer.role === 'customer') {",
      "  const staff = user.role !== 'customer';",
      "  if (previousRole !== 'admin') audit();",
      "  if ('agent' === viewer.role) return;",
      '  if (viewer.role === other.role) return;',
      "    .where(and(eq(user.role, 'customer'), activeUser()))",
      "    .where(inArray(user.role, ['agent', 'admin']))",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of source code, as the scan reads it.
      "    .where(sql`${user.role} in ('agent', 'admin')`)",
      '  const staff = isStaff(viewer);',
      "    case 'admin':",
      "  if (['agent', 'admin'].includes(viewer.role)) return;",
    ];
    for (const line of offending) expect(roleChecks('made-up.ts', line), line).toHaveLength(1);
  });

  it('lets through what is no role check', () => {
    const fine = [
      "  if (!can(viewer, 'readInternal')) throw notFound();",
      '  if (role !== currentRole) audits.push(change);',
      '  if (query.role) filters.push(eq(user.role, query.role));',
      "  const audience = isCustomerServices(viewer) ? 'staff' : 'customer';",
      "  if (options.trigger === 'admin') {",
      "  // viewer.role === 'customer' in a comment",
      "   * if (viewer.role === 'agent') in a doc comment",
    ];
    for (const line of fine) expect(roleChecks('made-up.ts', line), line).toEqual([]);
  });
});
