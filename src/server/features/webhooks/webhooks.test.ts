/**
 * Webhooks (issue 17) end to end: a real HTTP receiver on 127.0.0.1 (allowed explicitly with
 * WEBHOOK_ALLOWED_HOSTS), subscriptions made through the API, deliveries written by the events'
 * subscribers and sent by the delivery job's function, signatures checked with standardwebhooks.
 * The clock is moved, never waited for; the one real wait is the timeout test's 200 ms.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, outbox, webhookAttempt, webhookDelivery, webhookSubscription } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { runSlaSweep } from '../sla/sweep.job.ts';
import { warnIfLow } from '../flex/run-billing.ts';
import { deliverDueWebhooks, deliverWebhook, retryDelayMs, type WebhookDeliveryDeps } from './deliver-webhook.ts';
import { webhookDeliveryDeps } from './deliver-webhook.job.ts';
import { payloadSchema } from './webhook-documents.ts';
import { WEBHOOK_DELIVERY_TYPES, type WebhookDeliveryType } from '#shared/webhooks-api.ts';

// biome-ignore lint/suspicious/noExplicitAny: a payload is read as a receiver reads JSON
type Payload = { type: string; version: number; timestamp: string; data: Record<string, any> };
type Received = { path: string; headers: Record<string, string>; body: string };
type Behaviour = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
let server: http.Server;
let base: string;
const received: Received[] = [];
const behaviours = new Map<string, Behaviour>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      const b = behaviours.get(path) ?? { status: 200, body: 'ok' };
      if (b === 'hang') return;
      res.writeHead(b.status, b.headers ?? {});
      res.end(b.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp({ clockStart: '2026-02-02T07:00:00Z', env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterEach(async () => {
  // Each test's subscriptions end with it: a later test's events reach only its own.
  await t.db.delete(webhookSubscription);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

let n = 0;
const uniquePath = (name: string) => `/${name}-${++n}`;
const at = (path: string) => received.filter((r) => r.path === path);
const typesAt = (path: string) => at(path).map((r) => (JSON.parse(r.body) as { type: string }).type);

const deps = (over: Partial<WebhookDeliveryDeps> = {}): WebhookDeliveryDeps => ({ ...webhookDeliveryDeps(t.ctx), random: () => 0.5, ...over });

async function subscribe(body: Record<string, unknown>) {
  const res = await call(t.app, { method: 'POST', url: '/api/admin/webhooks', cookie: admin.cookie, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; url: string };
}

/** Standard Webhooks verification, at the moment the delivery was signed (the test clock is not the wall clock). */
function verify(secret: string, r: Received) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000);
  try {
    return new Webhook(secret).verify(r.body, r.headers) as Payload;
  } finally {
    vi.useRealTimers();
  }
}

const transition = (key: string, cookie: string, to: string) => call(t.app, { method: 'POST', url: `/api/requests/${key}/transitions`, cookie, body: { to } });
const message = (key: string, cookie: string, body: string, visibility = 'public') =>
  call(t.app, { method: 'POST', url: `/api/requests/${key}/messages`, cookie, body: { body, visibility } });

describe('webhook events', () => {
  it('sends every event type, signed (Standard Webhooks), with a versioned payload; internal notes only when includeInternal', async () => {
    const path = uniquePath('all');
    const sub = await subscribe({
      url: `${base}${path}`,
      description: 'ERP',
      events: [
        'request.created',
        'request.updated',
        'request.status_changed',
        'message.created',
        'sla.warning',
        'sla.breached',
        'flex.balance_low',
        'survey.answered',
      ],
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const agent = await agentOf(t, [ids.supportId], 'Desk Agent');
    const c = await customerOrg(t, { flex: true, name: 'Alpina' });

    t.clock.set('2026-02-02T07:00:00Z'); // Monday 08:00 in the business calendar
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical', summary: 'Production down' });
    // Engagement (critical: 60 minutes): 75 % at 07:45, breached at 08:00.
    t.clock.set('2026-02-02T07:50:00Z');
    expect((await runSlaSweep(t.ctx)).warning).toBeGreaterThan(0);
    t.clock.set('2026-02-02T08:05:00Z');
    expect((await runSlaSweep(t.ctx)).breach).toBeGreaterThan(0);
    const upd = await call(t.app, {
      method: 'PATCH',
      url: `/api/requests/${r.key}`,
      cookie: agent.cookie,
      body: { criticality: 'high', reason: 'Workaround found' },
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect((await message(r.key, agent.cookie, 'We are on it.')).statusCode).toBe(201);
    expect((await message(r.key, agent.cookie, 'Internal: customer is grumpy', 'internal')).statusCode).toBe(201);
    expect((await transition(r.key, agent.cookie, 'resolved')).statusCode).toBe(200);
    expect((await transition(r.key, c.reporter.cookie, 'closed')).statusCode).toBe(200);
    const answer = await call(t.app, {
      method: 'POST',
      url: `/api/requests/${r.key}/survey`,
      cookie: c.reporter.cookie,
      body: { rating: 5, comment: 'Great' },
    });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
    const contract = await call(t.app, {
      method: 'PATCH',
      url: `/api/admin/organizations/${c.org.id}/contract`,
      cookie: admin.cookie,
      body: { lowBalanceThresholdMinutes: 120 },
    });
    expect(contract.statusCode, contract.body).toBe(200);
    await t.db.transaction((tx) => warnIfLow(tx, t.ctx, c.org.id));

    // Nothing is sent before the delivery job runs: the deliveries wait in the outbox.
    expect(at(path)).toEqual([]);
    await deliverDueWebhooks(deps());
    const payloads = at(path).map((rec) => verify(sub.secret, rec));
    const types = payloads.map((p) => p.type);
    expect(new Set(types)).toEqual(
      new Set([
        'request.created',
        'request.updated',
        'request.status_changed',
        'message.created',
        'sla.warning',
        'sla.breached',
        'flex.balance_low',
        'survey.answered',
      ]),
    );
    // Every payload is what the OpenAPI document's `webhooks` section says it is.
    for (const p of payloads) expect(payloadSchema(p.type as WebhookDeliveryType).safeParse(p).error, p.type).toBeUndefined();
    const created = payloads.find((p) => p.type === 'request.created')!;
    expect(created.data.request).toMatchObject({
      key: r.key,
      summary: 'Production down',
      status: 'open',
      criticality: 'critical',
      desk: { id: ids.supportId, slug: 'support' },
      organization: { id: c.org.id, name: 'Alpina' },
    });
    expect(payloads.find((p) => p.type === 'request.updated')!.data.changes).toEqual({
      criticality: { from: 'critical', to: 'high', reason: 'Workaround found' },
    });
    const messages = payloads.filter((p) => p.type === 'message.created');
    expect(messages.map((m) => m.data.message.body)).toEqual(['We are on it.']);
    const statusChanges = payloads.filter((p) => p.type === 'request.status_changed').map((p) => [p.data.from, p.data.to, p.data.request.status]);
    expect(statusChanges.at(-1)).toEqual(['resolved', 'closed', 'closed']);
    expect(statusChanges.map(([, to]) => to)).toContain('resolved');
    expect(payloads.find((p) => p.type === 'survey.answered')!.data.survey).toEqual({ rating: 5, comment: 'Great' });
    expect(payloads.find((p) => p.type === 'flex.balance_low')!.data).toMatchObject({ organization: { id: c.org.id, name: 'Alpina' }, thresholdMinutes: 120 });
    expect(payloads.find((p) => p.type === 'sla.breached')!.data).toMatchObject({ request: { key: r.key }, clock: expect.any(String) });
    // The same webhook-id header as the delivery's id, and one delivery per id.
    const idsSent = at(path).map((rec) => rec.headers['webhook-id']);
    expect(new Set(idsSent).size).toBe(idsSent.length);

    // A second subscription that includes internal notes gets them.
    const internalPath = uniquePath('internal');
    const withInternal = await subscribe({ url: `${base}${internalPath}`, events: ['message.created'], includeInternal: true });
    const r2 = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect((await message(r2.key, agent.cookie, 'Note for us', 'internal')).statusCode).toBe(201);
    await deliverDueWebhooks(deps());
    expect(at(internalPath).map((rec) => verify(withInternal.secret, rec).data.message)).toMatchObject([{ visibility: 'internal', body: 'Note for us' }]);
  });

  it('a desk filter sends only the events of that desk’s requests', async () => {
    const supportPath = uniquePath('support');
    const consultingPath = uniquePath('consulting');
    await subscribe({ url: `${base}${supportPath}`, events: ['request.created'], deskId: ids.supportId });
    await subscribe({ url: `${base}${consultingPath}`, events: ['request.created'], deskId: ids.consultingId });
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps());
    expect(at(supportPath).map((rec) => JSON.parse(rec.body).data.request.key)).toEqual([r.key]);
    expect(at(consultingPath)).toEqual([]);
    const unknownDesk = await call(t.app, {
      method: 'POST',
      url: '/api/admin/webhooks',
      cookie: admin.cookie,
      body: { url: `${base}/x`, events: ['request.created'], deskId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownDesk.statusCode).toBe(400);
    expect(unknownDesk.json()).toMatchObject({ code: 'webhook.desk_unknown', field: 'deskId' });
  });
});

describe('delivery', () => {
  it('spaces ten tries over about a day, each delay within ±20 % of its step', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => retryDelayMs(attempt, 0.5));
    expect(steps.slice(0, 3)).toEqual([30_000, 90_000, 270_000]);
    expect(steps.at(-1)).toBe(8 * 3_600_000);
    const total = steps.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(30 * 3_600_000);
    for (const attempt of [1, 5, 9]) {
      expect(retryDelayMs(attempt, 0)).toBe(Math.round(retryDelayMs(attempt, 0.5) * 0.8));
      expect(retryDelayMs(attempt, 0.999_999)).toBeLessThanOrEqual(Math.round(retryDelayMs(attempt, 0.5) * 1.2));
    }
  });

  it('retries after a 500 with exponential backoff and jitter, then delivers; later deliveries of the same request wait, in order', async () => {
    const path = uniquePath('retry');
    behaviours.set(path, { status: 500, body: 'x'.repeat(5000) });
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created', 'message.created'] });
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect((await message(r.key, c.reporter.cookie, 'More details')).statusCode).toBe(201);

    const failedAt = t.clock.now();
    await deliverDueWebhooks(deps());
    // Only the first was tried: the message waits for the creation.
    expect(typesAt(path)).toEqual(['request.created']);
    const [first] = await t.db
      .select()
      .from(webhookDelivery)
      .where(and(eq(webhookDelivery.subscriptionId, sub.id), eq(webhookDelivery.type, 'request.created')));
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'answered 500' });
    expect(first!.nextAttemptAt.getTime() - failedAt.getTime()).toBe(30_000);
    const [attempt] = await t.db.select().from(webhookAttempt).where(eq(webhookAttempt.deliveryId, first!.id));
    expect(attempt!.responseBody).toHaveLength(2048);

    // Not yet due: nothing is sent.
    t.clock.advance(20_000);
    await deliverDueWebhooks(deps());
    expect(typesAt(path)).toEqual(['request.created']);

    // The second failure waits three times as long (jitter at its extremes: ±20 %).
    t.clock.advance(10_000);
    const second = t.clock.now();
    await deliverDueWebhooks(deps({ random: () => 0 }));
    const [again] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, first!.id));
    expect(again!.attempts).toBe(2);
    expect(again!.nextAttemptAt.getTime() - second.getTime()).toBe(72_000);

    behaviours.set(path, { status: 204 });
    t.clock.advance(72_000);
    await deliverDueWebhooks(deps());
    expect(typesAt(path)).toEqual(['request.created', 'request.created', 'request.created', 'message.created']);
    const all = at(path);
    // Every try of one delivery carries the same webhook-id.
    expect(new Set(all.slice(0, 3).map((rec) => rec.headers['webhook-id'])).size).toBe(1);
    for (const rec of all) expect(verify(sub.secret, rec).type).toBeTruthy();
    const rows = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
    expect(rows.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('does not follow a redirect: a 3xx is a failed try', async () => {
    const path = uniquePath('redirect');
    const target = uniquePath('target');
    behaviours.set(path, { status: 302, headers: { location: `${base}${target}` } });
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created'] });
    const c = await customerOrg(t);
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps());
    expect(at(path)).toHaveLength(1);
    expect(at(target)).toEqual([]);
    const [d] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
    expect(d).toMatchObject({ status: 'pending', lastStatus: 302, lastError: 'redirect (302) not followed' });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const path = uniquePath('hang');
    behaviours.set(path, 'hang');
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created'] });
    const c = await customerOrg(t);
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps({ timeoutMs: 200 }));
    const [d] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
    expect(d!.status).toBe('pending');
    expect(d!.lastError).toMatch(/no answer within/);
    const [attempt] = await t.db.select().from(webhookAttempt).where(eq(webhookAttempt.deliveryId, d!.id));
    expect(attempt).toMatchObject({ responseStatus: null, error: expect.stringMatching(/no answer within/) });
  });

  it('disables a subscription after repeated failures and tells the administrators by e-mail', async () => {
    const path = uniquePath('dead');
    behaviours.set(path, { status: 503 });
    const sub = await subscribe({ url: `${base}${path}`, description: 'Flaky ERP', events: ['request.created'] });
    const c = await customerOrg(t);
    for (let i = 0; i < 3; i++) await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps({ disableAfterFailures: 3 }));
    const [row] = await t.db.select().from(webhookSubscription).where(eq(webhookSubscription.id, sub.id));
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(row!.disabledAt).not.toBeNull();
    const mails = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.template, 'webhook-disabled'), eq(outbox.to, admin.email)));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`${base}${path}`);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'webhook.disabled'), eq(auditLog.targetId, sub.id)));
    expect(audit).toBeTruthy();
    // Disabled: no new delivery is written, and the pending ones wait.
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    t.clock.advance(86_400_000);
    const before = at(path).length;
    await deliverDueWebhooks(deps({ disableAfterFailures: 3 }));
    expect(at(path)).toHaveLength(before);
    expect(await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id))).toHaveLength(3);
    // Its waiting deliveries, the oldest of all, do not hold up another receiver's (even one at a time).
    const okPath = uniquePath('ok');
    await subscribe({ url: `${base}${okPath}`, events: ['request.created'] });
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps({ disableAfterFailures: 3 }), { limit: 1 });
    expect(typesAt(okPath)).toEqual(['request.created']);
    // Enabled again by an administrator: the count starts anew.
    const enabled = await call(t.app, { method: 'PATCH', url: `/api/admin/webhooks/${sub.id}`, cookie: admin.cookie, body: { enabled: true } });
    expect(enabled.json()).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null });
  });

  it('sends a delivery again with the same webhook-id, from the log', async () => {
    const path = uniquePath('resend');
    behaviours.set(path, { status: 500 });
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created'] });
    const c = await customerOrg(t);
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    await deliverDueWebhooks(deps({ maxAttempts: 1 }));
    const list = await call(t.app, { url: `/api/admin/webhooks/${sub.id}/deliveries`, cookie: admin.cookie });
    expect(list.statusCode).toBe(200);
    const [d] = list.json().items;
    expect(d).toMatchObject({ status: 'failed', attempts: 1, type: 'request.created' });

    behaviours.set(path, { status: 200, body: 'thanks' });
    const resent = await call(t.app, { method: 'POST', url: `/api/admin/webhooks/${sub.id}/deliveries/${d.id}/resend`, cookie: admin.cookie });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(resent.json().tries.map((a: { responseStatus: number; responseBody: string }) => [a.responseStatus, a.responseBody])).toEqual([
      [500, ''],
      [200, 'thanks'],
    ]);
    expect(at(path).map((rec) => rec.headers['webhook-id'])).toEqual([d.id, d.id]);
    const detail = await call(t.app, { url: `/api/admin/webhooks/${sub.id}/deliveries/${d.id}`, cookie: admin.cookie });
    expect(detail.json().tries[0].requestBody).toBe(at(path)[0]!.body);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'webhook.delivery_resent'), eq(auditLog.targetId, sub.id)));
    expect(audit!.details).toMatchObject({ deliveryId: d.id, status: 'failed' });
  });

  it('sends a test ping, signed, and rotates the secret', async () => {
    const path = uniquePath('ping');
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created'], enabled: false });
    const ping = await call(t.app, { method: 'POST', url: `/api/admin/webhooks/${sub.id}/ping`, cookie: admin.cookie });
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({ type: 'webhook.ping', status: 'delivered' });
    expect(verify(sub.secret, at(path)[0]!)).toMatchObject({ type: 'webhook.ping', version: 1, data: { subscription: { id: sub.id } } });

    const rotated = await call(t.app, { method: 'POST', url: `/api/admin/webhooks/${sub.id}/rotate-secret`, cookie: admin.cookie });
    const secret = rotated.json().secret as string;
    expect(secret).not.toBe(sub.secret);
    await call(t.app, { method: 'POST', url: `/api/admin/webhooks/${sub.id}/ping`, cookie: admin.cookie });
    expect(() => verify(sub.secret, at(path)[1]!)).toThrow();
    expect(verify(secret, at(path)[1]!).type).toBe('webhook.ping');
  });
});

describe('the OpenAPI document', () => {
  it('documents every payload in its webhooks section, with the signature headers', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_DELIVERY_TYPES].sort());
    const created = doc.webhooks['request.created'].post;
    expect(created.operationId).toBe('webhookRequestCreated');
    expect(created.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(created.requestBody.content['application/json'].schema.properties.type).toEqual({ type: 'string', const: 'request.created' });
  });
});

describe('safety', () => {
  it('refuses http, private and loopback URLs unless the host is allowed', async () => {
    for (const url of [
      'http://10.0.0.7/hook',
      'https://10.0.0.7/hook',
      'https://192.168.1.2/',
      'https://169.254.169.254/latest',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'ftp://example.com/',
      'https://user:pw@example.com/',
    ]) {
      const res = await call(t.app, { method: 'POST', url: '/api/admin/webhooks', cookie: admin.cookie, body: { url, events: ['request.created'] } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'webhook.url_refused', field: 'url' });
    }
    const noEvents = await call(t.app, { method: 'POST', url: '/api/admin/webhooks', cookie: admin.cookie, body: { url: 'https://erp.example/', events: [] } });
    expect(noEvents.statusCode).toBe(400);
  });

  it('checks the addresses at delivery: loopback refused by default, and a name resolving to a private address refused', async () => {
    const path = uniquePath('default');
    const sub = await subscribe({ url: `${base}${path}`, events: ['request.created'] });
    const c = await customerOrg(t);
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    // Without the allow list (the default), the same URL is refused: http, to a loopback address.
    await deliverDueWebhooks(deps({ allowedHosts: [] }));
    const [d] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, sub.id));
    expect(d!.lastError).toMatch(/https/);
    expect(at(path)).toEqual([]);

    // https://localhost: a public-looking name, but it resolves to loopback.
    const port = (server.address() as AddressInfo).port;
    const named = await subscribe({ url: `https://localhost:${port}${path}`, events: ['request.created'] });
    await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const [nd] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.subscriptionId, named.id));
    expect(await deliverWebhook(deps(), nd!.id)).toBe('retry');
    const [after] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, nd!.id));
    expect(after!.lastError).toMatch(/localhost resolves to a refused address/);
    expect(at(path)).toEqual([]);
  });

  it('lets only administrators manage webhooks', async () => {
    const sub = await subscribe({ url: `${base}/authz`, events: ['request.created'] });
    const agent = await loginAs(t, 'agent');
    const c = await customerOrg(t);
    for (const cookie of [agent.cookie, c.reporter.cookie]) {
      for (const [method, url] of [
        ['GET', '/api/admin/webhooks'],
        ['POST', '/api/admin/webhooks'],
        ['GET', `/api/admin/webhooks/${sub.id}`],
        ['PATCH', `/api/admin/webhooks/${sub.id}`],
        ['DELETE', `/api/admin/webhooks/${sub.id}`],
        ['POST', `/api/admin/webhooks/${sub.id}/ping`],
        ['POST', `/api/admin/webhooks/${sub.id}/rotate-secret`],
        ['GET', `/api/admin/webhooks/${sub.id}/deliveries`],
      ] as const) {
        const res = await call(t.app, {
          method,
          url,
          cookie,
          body: method === 'POST' || method === 'PATCH' ? { url: 'https://x.example/', events: ['request.created'] } : undefined,
        });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
      }
    }
    expect((await call(t.app, { url: '/api/admin/webhooks' })).statusCode).toBe(401);
  });
});
