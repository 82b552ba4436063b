/**
 * A command imports none of the reactions to its changes: the tickets feature publishes events, and
 * src/server/subscribers.ts is the only place that wires the SLA clocks, the closure countdown, the
 * survey and the customers' e-mails to them. The bus (events/) imports no feature.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const server = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = (folder: string) =>
  readdirSync(path.join(server, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support'))
    .map((f) => path.join(folder, f));
/** The modules a file imports, as written (`../sla/clocks.ts`). */
const importsOf = (file: string) =>
  [...readFileSync(path.join(server, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map(
    (m) => m[1] ?? m[2]!,
  );
/** Every `file → import` of these files whose import matches. */
const offending = (files: string[], forbidden: RegExp) =>
  files.flatMap((f) =>
    importsOf(f)
      .filter((i) => forbidden.test(i))
      .map((i) => `${f} → ${i}`),
  );

describe('who imports the reactions', () => {
  it('finds the imports it scans (a scan that reads nothing proves nothing)', () => {
    expect(importsOf('features/tickets/change-status.ts')).toContain('./in-ticket-transaction.ts');
    expect(importsOf('subscribers.ts')).toContain('./features/sla/clocks.ts');
  });

  it('no tickets file imports the SLA clocks, automatic closure or the survey', () => {
    expect(offending(sources('features/tickets'), /\/(lifecycle|survey)\/|\/sla\/clocks\.ts$/)).toEqual([]);
  });

  it('the tickets commands import nothing of the SLA at all', () => {
    const commands = ['create-ticket.ts', 'change-status.ts', 'add-message.ts', 'update-ticket.ts', 'participants.ts', 'bulk-update.ts'].map(
      (f) => `features/tickets/${f}`,
    );
    expect(offending(commands, /\/sla\//)).toEqual([]);
  });

  it('the creation command writes no e-mail itself: the acknowledgement is a subscriber', () => {
    expect(offending(['features/tickets/create-ticket.ts'], /\/mail\/|notify-customers\.ts$/)).toEqual([]);
  });

  it('the calendar imports neither the SLA clocks nor Flex billing: both follow calendar.changed', () => {
    expect(offending(sources('features/calendar'), /\/(sla|flex)\//)).toEqual([]);
  });

  it('automatic closure does not import the survey', () => {
    expect(offending(sources('features/lifecycle'), /\/survey\//)).toEqual([]);
  });

  it('the bus and its catalog import no feature (so the bus makes no import cycle)', () => {
    expect(offending(sources('events'), /features\/|subscribers\.ts$/)).toEqual([]);
  });

  it('no feature imports app.ts (the AppContext type lives in context.ts)', () => {
    // The admin:create command-line entry point builds the app on purpose.
    const files = sources('features').filter((f) => !f.endsWith('-cli.ts'));
    expect(offending(files, /\/app\.ts$/)).toEqual([]);
  });
});
