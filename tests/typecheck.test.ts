/** Vitest strips types without checking them: the type check is part of the suite. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

it('type-checks (tsc --noEmit -p .)', { timeout: 180_000 }, async () => {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/.bin/tsc'), '--noEmit', '-p', '.'],
      { cwd: root, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: `${stdout}${stderr}${error && code === null ? String(error) : ''}` });
      },
    );
  });
  expect(result.code, `tsc --noEmit reported:\n${result.output}`).toBe(0);
});
