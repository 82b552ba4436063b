/**
 * The per-token limit with two server instances on one PostgreSQL database: requests sent at once
 * to both are counted together (the counters are rows of the shared rate_limit table), so exactly
 * the limit gets through. Runs on PostgreSQL only (PGlite is one connection: concurrency proves
 * nothing there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondInstance, type SecondInstance } from '../../../../tests/support/second-instance.ts';
import { call, createOrganization, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';

describe('the per-token rate limit with two instances (PostgreSQL)', () => {
  let t: TestApp;
  let second: SecondInstance;
  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN_RATE_LIMIT: '10' } });
    second = await startSecondInstance(t);
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('lets exactly the limit through when both instances receive the token’s requests at once', async () => {
    const me = await loginAs(t, 'customer', (await createOrganization(t)).id);
    const created = await call(t.app, { method: 'POST', url: '/api/me/api-tokens', cookie: me.cookie, body: { name: 'ERP', scopes: ['requests:read'] } });
    const { secret } = created.json() as { secret: string };
    const answers = await Promise.all(
      [...Array(30)].map((_, i) =>
        (i % 2 ? second.app : t.app).inject({ method: 'GET', url: '/api/requests', headers: { authorization: `Bearer ${secret}` } }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    for (const refused of answers.filter((a) => a.statusCode === 429)) expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(60 * 1000);
    expect((await second.app.inject({ method: 'GET', url: '/api/requests', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
  });
});
