import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg } from '../../../../tests/support/ticket-fixtures.ts';

// Concurrency proves nothing on PGlite (one connection): this runs on PostgreSQL (TEST_DATABASE_URL).

describe('request keys under concurrent creation (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('hands out unique, consecutive keys when many requests are created at once', async () => {
    const ids = await catalog(t);
    const c = await customerOrg(t);
    const n = 40;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        call(t.app, {
          method: 'POST',
          url: '/api/requests',
          cookie: i % 2 ? c.reporter.cookie : c.colleague.cookie,
          body: { requestTypeId: ids.assistanceId, summary: `Parallel ${i}`, description: 'x', criticality: 'low' },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(n).fill(201));
    const numbers = responses.map((r) => Number((r.json().key as string).split('-')[1])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(n);
    expect(numbers.at(-1)! - numbers[0]!).toBe(n - 1);
  });
});
