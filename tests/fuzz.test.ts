/**
 * A short run of the fuzzer (`npm run fuzz` runs 100,000 cases): every operation of the OpenAPI
 * document, as every caller, with generated and hostile input (fuzz/generate.ts). No answer may be a
 * 5xx, and every answer must have a documented status and match its documented schema. A fixed seed
 * and a fixed count, so a failure here fails again on the next run.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runFuzz, summary, type FuzzResult } from '../fuzz/fuzz.ts';
import { seedWorld } from '../fuzz/world.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

// About 22 cases per operation (149 of them).
const CASES = 3300;

let t: TestApp;
let result: FuzzResult;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-03-10T09:00:00Z' });
  const world = await seedWorld(t.app);
  result = await runFuzz({ app: t.app, world, cases: CASES, seed: 14 });
}, 180_000);
afterAll(async () => {
  await t.close();
});

it('finds no 5xx and no answer outside its documentation', () => {
  expect(result.cases).toBe(CASES);
  expect(result.failures, summary(result)).toEqual([]);
});

it('reaches past validation and permissions on most operations (a generator that only sends garbage tests nothing)', () => {
  const operations = Object.entries(result.byOperation);
  expect(operations.length, 'every operation is tried').toBe(result.operations);
  const reached = operations.filter(([, stats]) => stats.succeeded > 0).map(([name]) => name);
  expect(reached.length, `operations answered 2xx: ${reached.length} of ${result.operations}`).toBeGreaterThanOrEqual(Math.floor(result.operations * 0.55));
  // Hostile text reaches the checks: some answers name a character that text cannot hold.
  expect(result.byStatus['400']).toBeGreaterThan(CASES / 10);
});
