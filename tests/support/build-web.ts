/** Global setup of the browser project: the browser tests drive the built web app, so build it when stale. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export default function setup() {
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts/build-web-if-stale.ts')], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`Building the web app for the browser tests failed:\n${stderr || (error as Error).message}`);
  }
}
