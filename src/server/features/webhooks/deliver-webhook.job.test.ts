/**
 * The delivery job with pg-boss: a change queues one job per delivery in its own transaction (so a
 * delivery goes out right after the commit), a rolled-back change neither writes a delivery nor
 * queues a job, and the job's handler sends the delivery. The jobs are taken from the queue by hand
 * and handled here: nothing waits for a worker's polling.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDelivery } from '../../db/schema.ts';
import { publish } from '../../events/publish.ts';
import { QUEUES } from '../../jobs/registry.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { webhookDeliveryDeps, webhookDeliveryJob } from './deliver-webhook.job.ts';

let t: TestApp;
let server: http.Server;
let base: string;
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp({ jobs: true, env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('the webhook delivery job', () => {
  it('is queued with the delivery in the change’s transaction, and its handler sends it', async () => {
    const ids = await catalog(t);
    const admin = await loginAs(t, 'admin');
    const created = await call(t.app, {
      method: 'POST',
      url: '/api/admin/webhooks',
      cookie: admin.cookie,
      body: { url: `${base}/erp`, events: ['request.created', 'survey.answered'] },
    });
    expect(created.statusCode).toBe(201);
    const sub = created.json() as { id: string };
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });

    const jobs = await t.boss!.fetch<{ deliveryId: string }>(QUEUES.webhookDeliver, { batchSize: 10 });
    const deliveries = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
    expect(deliveries).toHaveLength(1);
    expect(jobs.map((j) => j.data)).toEqual([{ deliveryId: deliveries[0]!.id }]);
    expect(await webhookDeliveryJob.handler(jobs[0]!.data, webhookDeliveryDeps(t.ctx))).toBe('delivered');
    expect(received.map((body) => JSON.parse(body).data.request.key)).toEqual([r.key]);

    // A change that rolls back leaves neither a delivery nor a job.
    await expect(
      t.db.transaction(async (tx) => {
        await publish(tx, t.ctx, { type: 'survey.answered', ticketId: r.id, rating: 4, comment: null, at: t.clock.now() });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id))).toHaveLength(1);
    expect(await t.boss!.fetch(QUEUES.webhookDeliver)).toEqual([]);
  });
});
