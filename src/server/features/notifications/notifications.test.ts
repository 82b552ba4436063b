import { signedReplyAddress } from '../mail/reply-address.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { notification } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { mailCategories } from '../mail/templates.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t?.close();
});

type Page = { items: { id: string; ticketId: string; title: string; link: string; template: string; readAt: string | null }[]; nextCursor: string | null };
const get = (cookie: string, url: string) => call(t.app, { url, cookie });
const unread = async (cookie: string) => (await get(cookie, '/api/notifications/unread-count')).json().unread as number;
const mailsTo = (email: string, template: string) =>
  t.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.to, email), eq(outbox.template, template)));

/** A customer organization with a request, and an agent of its desk. */
async function scene() {
  const c = await customerOrg(t);
  const agent = await agentOf(t, [ids.supportId]);
  const request = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });
  return { c, agent, request };
}
const reply = (cookie: string, key: string, body = 'Please try the workaround.') =>
  call(t.app, { method: 'POST', url: `/api/requests/${key}/messages`, cookie, body: { body } });

describe('in-app notifications', () => {
  it('tells each customer of a request in the app, in their language, with the unread count, and marks them read when opened', async () => {
    const { c, agent, request } = await scene();
    // The reporter opened the request: the acknowledgement is in the app too.
    expect(await unread(c.reporter.cookie)).toBe(1);
    t.clock.advance(1000);
    expect((await reply(agent.cookie, request.key)).statusCode).toBe(201);

    const page = (await get(c.reporter.cookie, '/api/notifications')).json() as Page;
    expect(page.items.at(-1)!.template).toBe('ticket-created');
    const replied = page.items.find((n) => n.template === 'ticket-reply')!;
    expect(replied).toMatchObject({
      ticketId: request.id,
      title: `[${request.key}] Nouvelle réponse : Invoices do not print`,
      link: `/requests/${request.key}`,
      readAt: null,
    });
    expect(await unread(c.reporter.cookie)).toBe(page.items.length);
    expect(await unread(agent.cookie)).toBe(0);
    const colleague = (await get(c.colleague.cookie, '/api/notifications')).json() as Page;
    expect(colleague.items.find((n) => n.template === 'ticket-reply')!.title).toBe(`[${request.key}] Neue Antwort: Invoices do not print`);

    const opened = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: { ids: [replied.id] } });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({ marked: 1 });
    expect(await unread(c.reporter.cookie)).toBe(page.items.length - 1);
    const after = (await get(c.reporter.cookie, '/api/notifications')).json() as Page;
    expect(after.items.find((n) => n.id === replied.id)!.readAt).toBe(t.clock.now().toISOString());
    const stillUnread = (await get(c.reporter.cookie, '/api/notifications?unread=true')).json() as Page;
    expect(stillUnread.items.map((n) => n.id).sort()).toEqual(
      page.items
        .filter((n) => n.id !== replied.id)
        .map((n) => n.id)
        .sort(),
    );
    // Opening it again changes nothing.
    expect((await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: { ids: [replied.id] } })).json()).toEqual({
      marked: 0,
    });

    const all = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: {} });
    expect(all.json()).toEqual({ marked: page.items.length - 1 });
    expect(await unread(c.reporter.cookie)).toBe(0);
    expect(await unread(c.colleague.cookie)).toBe(colleague.items.length);
  });

  it('lets a user read and mark only their own notifications', async () => {
    const { c, agent, request } = await scene();
    await reply(agent.cookie, request.key);
    const [mine] = ((await get(c.colleague.cookie, '/api/notifications')).json() as Page).items;
    const other = await customerOrg(t);
    const admin = await loginAs(t, 'admin');

    for (const intruder of [other.reporter, agent, admin]) {
      expect(((await get(intruder.cookie, '/api/notifications')).json() as Page).items.find((n) => n.id === mine!.id)).toBeUndefined();
      const res = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: intruder.cookie, body: { ids: [mine!.id] } });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('notification.not_found');
    }
    // One of the ids is someone else's: nothing is marked, not even the caller's own.
    const [reporterOwn] = ((await get(c.reporter.cookie, '/api/notifications')).json() as Page).items;
    const mixed = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: { ids: [reporterOwn!.id, mine!.id] } });
    expect(mixed.statusCode).toBe(404);
    expect((await t.db.select().from(notification).where(eq(notification.id, reporterOwn!.id)))[0]!.readAt).toBeNull();
    expect((await t.db.select().from(notification).where(eq(notification.id, mine!.id)))[0]!.readAt).toBeNull();

    expect((await call(t.app, { url: '/api/notifications' })).statusCode).toBe(401);
    expect((await call(t.app, { url: '/api/notifications/unread-count' })).statusCode).toBe(401);
    const malformed = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: { ids: ['nope'] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('ids.0');
  });

  it("marks a request's notifications read when its page is opened, and only the caller's own about that request", async () => {
    const { c, agent, request } = await scene();
    const second = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });
    await reply(agent.cookie, request.key);
    await reply(agent.cookie, second.key);
    const before = ((await get(c.reporter.cookie, '/api/notifications?unread=true')).json() as Page).items;
    const aboutFirst = before.filter((n) => n.ticketId === request.id);
    expect(aboutFirst.length).toBeGreaterThanOrEqual(2);
    const colleagueUnread = await unread(c.colleague.cookie);

    const opened = await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: c.reporter.cookie, body: { ticketId: request.id } });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({ marked: aboutFirst.length });
    const after = ((await get(c.reporter.cookie, '/api/notifications?unread=true')).json() as Page).items;
    expect(after.map((n) => n.id).sort()).toEqual(
      before
        .filter((n) => n.ticketId !== request.id)
        .map((n) => n.id)
        .sort(),
    );
    expect(after.every((n) => n.ticketId === second.id)).toBe(true);
    // The colleague's notifications about the same request are theirs to read.
    expect(await unread(c.colleague.cookie)).toBe(colleagueUnread);
    // Someone else's request, or an unknown id: nothing of anyone is marked.
    const other = await customerOrg(t);
    expect(
      (await call(t.app, { method: 'POST', url: '/api/notifications/read', cookie: other.reporter.cookie, body: { ticketId: second.id } })).json(),
    ).toEqual({ marked: 0 });
    expect(await unread(c.reporter.cookie)).toBe(after.length);

    const both = await call(t.app, {
      method: 'POST',
      url: '/api/notifications/read',
      cookie: c.reporter.cookie,
      body: { ids: [after[0]!.id], ticketId: second.id },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().field).toBe('ticketId');
    expect(await unread(c.reporter.cookie)).toBe(after.length);
  });

  it('pages through the notifications newest first, each exactly once', async () => {
    const { c, agent, request } = await scene();
    for (let i = 0; i < 4; i++) {
      t.clock.advance(1000);
      await reply(agent.cookie, request.key, `Reply ${i}`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await get(c.colleague.cookie, `/api/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    const rows = await t.db.select().from(notification).where(eq(notification.userId, c.colleague.id));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(seen).toHaveLength(rows.length);
    expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));
    const bad = await get(c.colleague.cookie, '/api/notifications?cursor=zzz');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('cursor');
  });

  it('shows a notification written in French in German once the reader switches to German, and in the language the app is read in', async () => {
    const { c, agent, request } = await scene();
    t.clock.advance(1000);
    await reply(agent.cookie, request.key);
    t.clock.advance(1000);
    // A status change: its title names the status, a word of each language.
    await call(t.app, { method: 'POST', url: `/api/requests/${request.key}/transitions`, cookie: agent.cookie, body: { to: 'waiting_customer' } });
    // The latest notification of each template (the list is newest first).
    const titles = async (query = '') =>
      Object.fromEntries(((await get(c.reporter.cookie, `/api/notifications${query}`)).json() as Page).items.reverse().map((n) => [n.template, n.title]));

    expect(await titles()).toMatchObject({
      'ticket-created': `[${request.key}] Demande reçue : Invoices do not print`,
      'ticket-reply': `[${request.key}] Nouvelle réponse : Invoices do not print`,
      'ticket-status': `[${request.key}] En attente de votre réponse : Invoices do not print`,
    });
    const switched = await call(t.app, { method: 'PATCH', url: '/api/me', cookie: c.reporter.cookie, body: { language: 'de' } });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(await titles()).toMatchObject({
      'ticket-created': `[${request.key}] Anfrage erhalten: Invoices do not print`,
      'ticket-reply': `[${request.key}] Neue Antwort: Invoices do not print`,
      'ticket-status': `[${request.key}] Wartet auf Ihre Antwort: Invoices do not print`,
    });
    // The app read in English (its language given by the bell) shows them in English.
    expect(await titles('?language=en')).toMatchObject({
      'ticket-reply': `[${request.key}] New reply: Invoices do not print`,
      'ticket-status': `[${request.key}] Waiting for your reply: Invoices do not print`,
    });
    expect((await get(c.reporter.cookie, '/api/notifications?language=it')).json()).toMatchObject({ code: 'validation.invalid', field: 'language' });
  });

  it('shows a notification written before titles were kept in every language with the title it was written with', async () => {
    const { c, request } = await scene();
    await t.db.update(notification).set({ titles: null }).where(eq(notification.userId, c.reporter.id));
    const items = ((await get(c.reporter.cookie, '/api/notifications?language=de')).json() as Page).items;
    expect(items.map((n) => n.title)).toEqual([`[${request.key}] Demande reçue : Invoices do not print`]);
  });

  it('writes no notification for a mail without a request or without a known user', async () => {
    const { c } = await scene();
    const before = await t.db.select().from(notification).where(eq(notification.userId, c.reporter.id));
    await enqueueMail(t.db, t.ctx.mail, {
      to: c.reporter.email,
      language: 'en',
      template: 'reset-password',
      params: { name: 'R', url: `${t.config.baseUrl}/x` },
      userId: c.reporter.id,
    });
    expect(await t.db.select().from(notification).where(eq(notification.userId, c.reporter.id))).toHaveLength(before.length);
  });
});

describe('e-mail preferences', () => {
  const prefs = (cookie: string) => get(cookie, '/api/me/email-preferences');
  const setPrefs = (cookie: string, body: unknown) => call(t.app, { method: 'PATCH', url: '/api/me/email-preferences', cookie, body });

  it('sends every e-mail by default; a category turned off stops its e-mails but not the in-app notifications', async () => {
    const { c, agent, request } = await scene();
    expect((await prefs(c.colleague.cookie)).json()).toEqual({
      'request-created': true,
      'request-reply': true,
      'request-status': true,
      survey: true,
      'sla-warning': true,
      'flex-balance': true,
    });
    const changed = await setPrefs(c.colleague.cookie, { 'request-reply': false, 'request-status': false });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ 'request-reply': false, 'request-status': false, 'request-created': true });
    // Another change leaves the earlier ones as they are.
    expect((await setPrefs(c.colleague.cookie, { survey: false })).json()).toMatchObject({ 'request-reply': false, survey: false });

    // A lowered criticality is essential: it is e-mailed whatever the preferences.
    expect(mailCategories['ticket-criticality']).toBe('essential');
    const qualified = await call(t.app, {
      method: 'POST',
      url: `/api/requests/${request.key}/qualify`,
      cookie: agent.cookie,
      body: { criticality: 'low', reason: 'A workaround exists.' },
    });
    expect(qualified.statusCode).toBe(200);
    expect(await mailsTo(c.colleague.email, 'ticket-criticality')).toHaveLength(1);

    await reply(agent.cookie, request.key);
    expect(await mailsTo(c.colleague.email, 'ticket-reply')).toHaveLength(0);
    expect(await mailsTo(c.reporter.email, 'ticket-reply')).toHaveLength(1);
    const inApp = (await get(c.colleague.cookie, '/api/notifications')).json() as Page;
    expect(inApp.items.map((n) => n.template)).toContain('ticket-reply');
    const statusNotices = inApp.items.filter((n) => n.template === 'ticket-status').length;
    expect(await mailsTo(c.colleague.email, 'ticket-status')).toHaveLength(0);
    expect(await mailsTo(c.reporter.email, 'ticket-status')).toHaveLength(statusNotices);

    expect((await setPrefs(c.colleague.cookie, { 'request-reply': true })).json()['request-reply']).toBe(true);
    await reply(agent.cookie, request.key, 'Again');
    expect(await mailsTo(c.colleague.email, 'ticket-reply')).toHaveLength(1);
  });

  it('keeps the closure warning, the automatic resolution and account mails essential', () => {
    for (const template of [
      'lifecycle-reminder',
      'lifecycle-resolved',
      'ticket-criticality',
      'verify-email',
      'reset-password',
      'invitation',
      'sla-breach',
      'sla-level3',
    ] as const) {
      expect(mailCategories[template], template).toBe('essential');
    }
  });

  it('refuses an unknown category or a malformed value, naming the field, and changes nothing', async () => {
    const { c } = await scene();
    const unknown = await setPrefs(c.reporter.cookie, { 'request-reply': false, 'ticket-gossip': false });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'validation.unknown_field', field: 'ticket-gossip' });
    const malformed = await setPrefs(c.reporter.cookie, { 'request-reply': 'no' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'validation.invalid', field: 'request-reply' });
    expect((await prefs(c.reporter.cookie)).json()['request-reply']).toBe(true);
    expect((await call(t.app, { url: '/api/me/email-preferences' })).statusCode).toBe(401);
  });
});

describe('threading', () => {
  it('gives a request’s mails a reply address tagged with its key, signed for the recipient, and the request’s thread', async () => {
    const { c, request } = await scene();
    const [ack] = await mailsTo(c.reporter.email, 'ticket-created');
    expect(ack).toMatchObject({
      replyTo: signedReplyAddress('no-reply@guichet.localhost', t.ctx.config.authSecret, request.key, c.reporter.email),
      threadId: `<request-${request.id}@localhost>`,
      ticketId: request.id,
      userId: c.reporter.id,
    });
    const id = await enqueueMail(t.db, t.ctx.mail, {
      to: 'x@example.test',
      language: 'en',
      template: 'reset-password',
      params: { name: 'R', url: 'http://localhost:3000/x' },
      ticketId: randomUUID(),
    });
    const [row] = await t.db.select().from(outbox).where(eq(outbox.id, id!));
    expect(row!.replyTo).toBe('no-reply@guichet.localhost');
  });
});

describe('the API reference', () => {
  it('documents the notification routes from their schemas', async () => {
    const doc = (await call(t.app, { url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/notifications'].get.tags).toEqual(['Notifications']);
    expect(doc.paths['/api/notifications/unread-count'].get.summary).toBe('How many of my notifications are unread (of those listed)');
    expect(doc.paths['/api/notifications'].get.summary).toMatch(/those about a request I may no longer read are left out/);
    const patch = doc.paths['/api/me/email-preferences'].patch;
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties).sort()).toEqual([
      'flex-balance',
      'request-created',
      'request-reply',
      'request-status',
      'sla-warning',
      'survey',
    ]);
    expect(doc.paths['/api/admin/outbox/{id}/retry'].post.summary).toMatch(/same Message-ID/);
    expect(Object.keys(doc.paths['/api/notifications/read'].post.requestBody.content['application/json'].schema.properties).sort()).toEqual([
      'ids',
      'ticketId',
    ]);
  });
});
