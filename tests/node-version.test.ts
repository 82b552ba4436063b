/**
 * Guichet runs on one Node.js major version, named in three places that must agree: .nvmrc (nvm and
 * the README), the `node` dependency (the Node.js that `npm install` brings and the npm scripts run) and
 * scripts/check-node-version.cjs (which stops the npm scripts and main.ts on an older one). And the
 * suite itself runs on it: tests/newcomer.test.ts runs this file through `npm test` from a fresh copy
 * installed with the machine's own, older, Node.js.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const nvmrc = Number(readFileSync(path.join(root, '.nvmrc'), 'utf8').trim());

it('runs the tests on the Node.js major version of .nvmrc', () => {
  expect(Number(process.versions.node.split('.')[0])).toBe(nvmrc);
});

it('brings and requires that same version: the `node` dependency and the version check agree with .nvmrc', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    allowScripts: Record<string, boolean>;
  };
  expect(pkg.dependencies.node).toMatch(new RegExp(`^\\^${nvmrc}\\.`));
  // Its install script fetches the binary: npm must be allowed to run it.
  expect(pkg.allowScripts.node).toBe(true);
  const check = createRequire(import.meta.url)('../scripts/check-node-version.cjs') as { REQUIRED_MAJOR: number };
  expect(check.REQUIRED_MAJOR).toBe(nvmrc);
});
