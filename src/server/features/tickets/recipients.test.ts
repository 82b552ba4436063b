/**
 * Every customer e-mail about a request, and its in-app notification, goes only to people who may
 * read the request (the request page's rule, policies/tickets.ts): someone moved to another
 * organization by an administrator hears nothing more of the old organization's requests — no
 * reply, status change, criticality change, lifecycle reminder, automatic resolution or survey — and
 * no longer sees the notifications they had about them; those still in the organization do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import { outbox, ticket } from '../../db/schema.ts';
import { notification } from '../../db/schema.ts';
import { call, createOrganization, createUser, linkIn, login, loginAs, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { runLifecycleSweep } from '../lifecycle/sweep.job.ts';
import { newRequestRecipients } from './notify-customers.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  // A Monday, 07:00 in Zurich: business days are counted from the 08:00 opening.
  t = await createTestApp({ clockStart: '2026-02-02T06:00:00Z' });
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId], 'Desk Agent');
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

/** Each change a minute after the previous one, so that the mails are in the order they were written. */
const post = async (url: string, cookie: string, body: unknown) => {
  t.clock.advance(60_000);
  return call(t.app, { method: 'POST', url, cookie, body });
};
const patch = async (url: string, cookie: string, body: unknown) => {
  t.clock.advance(60_000);
  return call(t.app, { method: 'PATCH', url, cookie, body });
};
const expectOk = (res: { statusCode: number; body: string }, status = 200) => expect(res.statusCode, res.body).toBe(status);

/** The templates of the e-mails and of the in-app notifications a user got about a request (those of one change by name). */
async function toldAbout(person: { id: string; email: string }, r: { key: string; id: string }) {
  const mails = await t.db
    .select({ template: outbox.template })
    .from(outbox)
    .where(and(eq(outbox.to, person.email), like(outbox.subject, `[${r.key}]%`)))
    .orderBy(asc(outbox.createdAt), asc(outbox.template));
  const notes = await t.db
    .select({ template: notification.template })
    .from(notification)
    .where(and(eq(notification.userId, person.id), eq(notification.ticketId, r.id)))
    .orderBy(asc(notification.createdAt), asc(notification.template));
  return { mails: mails.map((m) => m.template), notifications: notes.map((n) => n.template) };
}

/** An organization with a reporter and two colleagues; `moved` people are then moved to another organization. */
async function organizationWithRequest() {
  const c = await customerOrg(t, { name: 'Old Org' });
  const stayer = await createUser(t, { organizationId: c.org.id, name: 'Stella Stayer', language: 'en' });
  const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id, stayer.id] });
  const other = await createOrganization(t, 'New Org');
  const move = async (userId: string) => expectOk(await patch(`/api/admin/users/${userId}`, admin.cookie, { organizationId: other.id }));
  return { c, stayer: { ...stayer, cookie: await login(t, stayer.email) }, r, move };
}

describe('people moved to another organization', () => {
  it('get no e-mail and no notification of replies, status or criticality changes, reminders, the automatic resolution or the survey; those who stay do', async () => {
    const { c, stayer, r, move } = await organizationWithRequest();
    await move(c.reporter.id);
    await move(c.colleague.id);

    expectOk(await post(`/api/requests/${r.key}/messages`, agent.cookie, { body: 'The vendor confirmed the defect in release 12.4.' }), 201);
    expectOk(await patch(`/api/requests/${r.key}`, agent.cookie, { criticality: 'critical' }));
    expectOk(await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'waiting_customer' }));
    // 5 and 10 business days of waiting: the reminders; 15: the automatic resolution; 10 days later: closed, and the survey.
    for (const at of ['2026-02-10T09:00:00Z', '2026-02-17T09:00:00Z', '2026-02-24T09:00:00Z', '2026-03-06T09:00:00Z']) {
      t.clock.set(at);
      await runLifecycleSweep(t.ctx);
    }
    expect((await t.db.select({ status: ticket.status }).from(ticket).where(eq(ticket.id, r.id)))[0]!.status).toBe('closed');

    // The agent's first public reply qualifies the request: a status change.
    const told = [
      'ticket-reply',
      'ticket-status',
      'ticket-criticality',
      'ticket-status',
      'lifecycle-reminder',
      'lifecycle-reminder',
      'lifecycle-resolved',
      'ticket-status',
    ];
    expect(await toldAbout(stayer, r)).toEqual({ mails: ['ticket-created', ...told], notifications: ['ticket-created', ...told] });
    // The acknowledgement came before the move; nothing since.
    expect(await toldAbout(c.reporter, r)).toEqual({ mails: ['ticket-created'], notifications: ['ticket-created'] });
    expect(await toldAbout(c.colleague, r)).toEqual({ mails: ['ticket-created'], notifications: ['ticket-created'] });
    // The survey is still asked (the results count it), but the moved reporter gets no invitation.
    expect((await t.db.select().from(outbox).where(eq(outbox.template, 'survey-invitation'))).filter((m) => m.subject.includes(r.key))).toEqual([]);
  });

  it('no longer see their notifications about the old organization’s requests, nor are they listed as participants', async () => {
    const { c, stayer, r, move } = await organizationWithRequest();
    expectOk(await post(`/api/requests/${r.key}/messages`, agent.cookie, { body: 'Could you send the log?' }), 201);
    const listed = async (cookie: string) => {
      const list = await call(t.app, { url: '/api/notifications', cookie });
      expectOk(list);
      const count = await call(t.app, { url: '/api/notifications/unread-count', cookie });
      expectOk(count);
      return {
        titles: (list.json().items as { title: string; ticketId: string }[]).filter((n) => n.ticketId === r.id).map((n) => n.title),
        unread: count.json().unread as number,
      };
    };
    const before = await listed(c.colleague.cookie);
    // The acknowledgement, the reply, and the qualification it brought.
    expect(before.titles).toHaveLength(3);
    expect(before.titles.join(' ')).toContain('Invoices do not print');
    expect(before.unread).toBe(3);

    await move(c.colleague.id);
    // The same session: the account is read afresh on every request.
    expect(await listed(c.colleague.cookie)).toEqual({ titles: [], unread: 0 });
    expect((await call(t.app, { url: `/api/requests/${r.key}`, cookie: c.colleague.cookie })).statusCode).toBe(404);
    // Those who stay keep theirs.
    expect((await listed(stayer.cookie)).titles).toHaveLength(3);

    // The participants are those who take part now.
    for (const cookie of [agent.cookie, stayer.cookie]) {
      const page = await call(t.app, { url: `/api/requests/${r.key}`, cookie });
      expectOk(page);
      expect((page.json().participants as { id: string }[]).map((p) => p.id)).toEqual([stayer.id]);
    }
  });

  it('a survey link no longer opens once its reporter has moved', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expectOk(await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'resolved' }));
    expectOk(await post(`/api/requests/${r.key}/transitions`, c.reporter.cookie, { to: 'closed' }));
    const [mail] = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.to, c.reporter.email), eq(outbox.template, 'survey-invitation')));
    const token = linkIn(mail!.text).split('/survey/')[1]!;
    expectOk(await call(t.app, { url: `/api/survey/${token}` }));

    const other = await createOrganization(t, 'Elsewhere');
    expectOk(await patch(`/api/admin/users/${c.reporter.id}`, admin.cookie, { organizationId: other.id }));
    const opened = await call(t.app, { url: `/api/survey/${token}` });
    expect(opened.statusCode).toBe(404);
    expect(opened.json().code).toBe('survey.link_invalid');
    expect((await post(`/api/survey/${token}`, '', { rating: 5 })).statusCode).toBe(404);
  });

  it('a reporter detached from any organization, or deactivated, is told nothing more either', async () => {
    const { c, stayer, r } = await organizationWithRequest();
    expectOk(await patch(`/api/admin/users/${c.reporter.id}`, admin.cookie, { organizationId: null }));
    expectOk(await patch(`/api/admin/users/${c.colleague.id}`, admin.cookie, { active: false }));
    expectOk(await post(`/api/requests/${r.key}/messages`, agent.cookie, { body: 'Fixed in 12.5.' }), 201);
    expect((await toldAbout(c.reporter, r)).mails).toEqual(['ticket-created']);
    expect((await toldAbout(c.colleague, r)).mails).toEqual(['ticket-created']);
    expect((await toldAbout(stayer, r)).mails).toEqual(['ticket-created', 'ticket-reply', 'ticket-status']);
  });
});

describe('the acknowledgement of a new request', () => {
  it('goes by the same rule: only to customers of the request’s organization, active', async () => {
    const c = await customerOrg(t);
    const other = await createOrganization(t, 'Other Org');
    const moved = await createUser(t, { organizationId: other.id });
    const staff = await createUser(t, { role: 'agent' });
    // The API refuses such participants before; the rule still holds where the recipients are read (a move racing a creation).
    const recipients = await newRequestRecipients(t.db, { organizationId: c.org.id }, [c.reporter.id, c.colleague.id, moved.id, staff.id], 'ticket-created');
    expect(recipients.map((r) => r.id).sort()).toEqual([c.reporter.id, c.colleague.id].sort());
  });
});

describe('an organization set to "own requests only"', () => {
  it('still tells the reporter and participants, never the other members', async () => {
    const c = await customerOrg(t);
    const member = await createUser(t, { organizationId: c.org.id, name: 'Mo Member' });
    expectOk(await patch(`/api/admin/organizations/${c.org.id}/settings`, admin.cookie, { ownRequestsOnly: true }));
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });
    expectOk(await post(`/api/requests/${r.key}/messages`, agent.cookie, { body: 'Looking into it.' }), 201);
    expectOk(await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to: 'waiting_customer' }));
    expect((await toldAbout(c.reporter, r)).mails).toEqual(['ticket-created', 'ticket-reply', 'ticket-status', 'ticket-status']);
    expect((await toldAbout(c.colleague, r)).mails).toEqual(['ticket-created', 'ticket-reply', 'ticket-status', 'ticket-status']);
    expect(await toldAbout(member, r)).toEqual({ mails: [], notifications: [] });
  });
});
