import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { organization, outbox, ticket, ticketEvent, ticketParticipant } from '../../db/schema.ts';
import { call, createUser, lastMailTo, loginAs, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest, PDF, PNG, uploadFile } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

const get = (key: string, cookie: string) => call(t.app, { url: `/api/requests/${key}`, cookie });
const post = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'POST', url, cookie, body });
const ticketCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(ticket))[0]!.n;

describe('opening a request', () => {
  it('opens an Assistance request with an attachment, gives it a key of its desk and acknowledges it in the reporter’s language', async () => {
    const c = await customerOrg(t);
    const upload = await uploadFile(t, c.reporter.cookie, 'screen.png', PNG, 'image/png');
    expect(upload.statusCode).toBe(201);
    const created = await openRequest(t, c.reporter.cookie, {
      requestTypeId: ids.assistanceId,
      attachmentIds: [upload.json().id],
      participantIds: [c.colleague.id],
    });
    expect(created.key).toMatch(/^SUP-\d+$/);
    const detail = (await get(created.key, c.reporter.cookie)).json();
    expect(detail).toMatchObject({
      id: created.id,
      status: 'open',
      criticality: 'high',
      statusLabel: 'Ouvert',
      requestType: { name: 'Assistance' },
      reporter: { id: c.reporter.id },
    });
    expect(detail.attachments).toHaveLength(1);
    expect(detail.attachments[0]).toMatchObject({ fileName: 'screen.png', contentType: 'image/png' });
    expect(detail.participants.map((p: { id: string }) => p.id)).toEqual([c.colleague.id]);
    expect((await lastMailTo(t, c.reporter.email))?.subject).toBe(`[${created.key}] Demande reçue : Invoices do not print`);
    expect((await lastMailTo(t, c.colleague.email))?.subject).toBe(`[${created.key}] Anfrage erhalten: Invoices do not print`);

    const file = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${created.key}/attachments/${upload.json().id}`,
      headers: { cookie: c.reporter.cookie },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toMatch(/^inline/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(PNG)).toBe(true);
  });

  it('numbers each desk on its own and never reuses a number', async () => {
    const c = await customerOrg(t, { project: true });
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const b = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const con = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: c.projectId });
    expect(Number(b.key.split('-')[1])).toBe(Number(a.key.split('-')[1]) + 1);
    expect(con.key).toMatch(/^CON-\d+$/);
  });

  it('writes all of a creation or nothing: a write that fails leaves no request, history, clock, mail or notification', async () => {
    const c = await customerOrg(t);
    const first = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    type Counts = { tickets: number; events: number; clocks: number; mails: number; notes: number };
    const counts = async () => {
      const result = (await t.db.execute(sql`select
          (select count(*)::int from ticket) as tickets, (select count(*)::int from ticket_event) as events,
          (select count(*)::int from sla_clock) as clocks, (select count(*)::int from outbox) as mails,
          (select count(*)::int from notification) as notes`)) as unknown as { rows: Counts[] };
      return result.rows[0]!;
    };
    const before = await counts();
    // The desk hands out a number already used (as after a restore): the request's insert fails inside the one statement.
    await t.db.execute(sql`update desk set next_number = ${Number(first.key.split('-')[1])} where id = ${ids.supportId}`);
    const failed = await post('/api/requests', c.reporter.cookie, { requestTypeId: ids.assistanceId, summary: 'Second', description: 'x', criticality: 'low' });
    expect(failed.statusCode).toBe(500);
    expect(await counts()).toEqual(before);
    // The next number is free again: the following creation succeeds with everything written.
    const next = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect(Number(next.key.split('-')[1])).toBe(Number(first.key.split('-')[1]) + 1);
    const after = await counts();
    expect(after).toMatchObject({ tickets: before.tickets + 1, clocks: before.clocks + 2 });
    expect(after.events).toBeGreaterThan(before.events);
    expect(after.mails).toBeGreaterThan(before.mails);
    expect(after.notes).toBeGreaterThan(before.notes);
  });

  it('refuses Solva Flex without an active Flex contract, and offers it with one', async () => {
    const without = await customerOrg(t);
    const before = await ticketCount();
    const refused = await post('/api/requests', without.reporter.cookie, {
      requestTypeId: ids.solvaFlexId,
      summary: 'Evolution',
      description: 'New report',
      criticality: 'low',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'ticket.flex_contract_required', field: 'requestTypeId' });
    expect(await ticketCount()).toBe(before);

    const withFlex = await customerOrg(t, { flex: true });
    const ok = await openRequest(t, withFlex.reporter.cookie, { requestTypeId: ids.solvaFlexId, criticality: 'low' });
    expect(ok.key).toMatch(/^SUP-/);
  });

  it('asks for a project at the Consulting desk and refuses another organization’s project', async () => {
    const c = await customerOrg(t, { project: true });
    const other = await customerOrg(t, { project: true, name: 'Other' });
    const noProject = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.projectRequestId,
      summary: 'Go-live',
      description: 'Plan',
      criticality: 'medium',
    });
    expect(noProject.json()).toMatchObject({ code: 'ticket.project_required', field: 'projectId' });
    const foreign = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.projectRequestId,
      summary: 'Go-live',
      description: 'Plan',
      criticality: 'medium',
      projectId: other.projectId,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'ticket.unknown_project', field: 'projectId' });
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const c = await customerOrg(t);
    const outsider = await customerOrg(t, { name: 'Outsider' });
    const base = { requestTypeId: ids.assistanceId, summary: 'S', description: 'D', criticality: 'high' };
    const before = await ticketCount();
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ ...base, summary: '' }, 'summary'],
      [{ ...base, summary: '   ' }, 'summary'],
      [{ ...base, summary: 'x'.repeat(256) }, 'summary'],
      [{ ...base, criticality: 'urgent' }, 'criticality'],
      [{ ...base, requestTypeId: '00000000-0000-4000-8000-000000000000' }, 'requestTypeId', 'ticket.unknown_request_type'],
      [{ ...base, requestTypeId: 'support' }, 'requestTypeId'],
      [{ ...base, participantIds: [outsider.reporter.id] }, 'participantIds', 'ticket.participant_not_in_organization'],
      [{ ...base, attachmentIds: ['00000000-0000-4000-8000-000000000000'] }, 'attachmentIds', 'attachment.unknown'],
      [{ ...base, reporterId: outsider.reporter.id }, 'reporterId', 'ticket.reporter_not_allowed'],
      [{ ...base, deskId: ids.supportId }, 'deskId', 'validation.unknown_field'],
    ];
    for (const [body, field, code] of cases) {
      const res = await post('/api/requests', c.reporter.cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
      if (code) expect(res.json().code).toBe(code);
    }
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a summary over its limit, saying the limit, instead of cutting it', async () => {
    const c = await customerOrg(t);
    const before = await ticketCount();
    const long = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'x'.repeat(10_000),
      description: 'D',
      criticality: 'high',
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({ code: 'validation.too_long', field: 'summary', limit: 255, message: 'summary: at most 255 characters' });
    const description = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'S',
      description: 'd'.repeat(50_001),
      criticality: 'high',
    });
    expect(description.json()).toMatchObject({
      code: 'validation.too_long',
      field: 'description',
      limit: 50_000,
      message: 'description: at most 50,000 characters',
    });
    expect(await ticketCount()).toBe(before);
    // Exactly at the limit is fine.
    const fits = await post('/api/requests', c.reporter.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'x'.repeat(255),
      description: 'D',
      criticality: 'high',
    });
    expect(fits.statusCode, fits.body).toBe(201);
  });

  it('refuses an attachment that is too large or of a refused type', async () => {
    const c = await customerOrg(t);
    const big = await uploadFile(t, c.reporter.cookie, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(t.config.attachmentMaxBytes)]));
    expect(big.statusCode).toBe(413);
    // The answer states the limit, in words and in bytes (for the web to say it in the user's language).
    const limit = t.config.attachmentMaxBytes;
    const statesLimit = {
      code: 'attachment.too_large',
      field: 'file',
      limit,
      message: `The file is larger than ${limit / 1048576} MiB, the largest accepted.`,
    };
    expect(big.json()).toEqual(statesLimit);
    // A body announced far larger than the limit is refused from its size, before it is read.
    const huge = await uploadFile(t, c.reporter.cookie, 'huge.pdf', Buffer.concat([PDF, Buffer.alloc(2 * limit)]));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual(statesLimit);
    // The web learns the limit before sending anything.
    const limits = await t.app.inject({ method: 'GET', url: '/api/attachments/limits', headers: { cookie: c.reporter.cookie } });
    expect(limits.json()).toEqual({ maxBytes: limit });
    const exe = await uploadFile(
      t,
      c.reporter.cookie,
      'invoice.pdf',
      Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200)]),
    );
    expect(exe.statusCode).toBe(415);
    const html = await uploadFile(t, c.reporter.cookie, 'page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/plain');
    expect(html.statusCode).toBe(415);
    const text = await uploadFile(t, c.reporter.cookie, 'trace.log', Buffer.from('line 1\nline 2\n'));
    expect(text.statusCode).toBe(201);
    expect(text.json().contentType).toBe('text/plain');
  });

  it('lets an agent open a request on a customer’s behalf; the customer is the reporter and is told', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId], 'Sophie Agent');
    const created = await openRequest(t, agent.cookie, { requestTypeId: ids.assistanceId, reporterId: c.reporter.id });
    const detail = (await get(created.key, c.reporter.cookie)).json();
    expect(detail.reporter.id).toBe(c.reporter.id);
    expect(detail.createdBy.id).toBe(agent.id);
    expect((await lastMailTo(t, c.reporter.email))?.text).toContain('Sophie Agent');
    const missing = await post('/api/requests', agent.cookie, { requestTypeId: ids.assistanceId, summary: 'S', description: 'D', criticality: 'low' });
    expect(missing.json()).toMatchObject({ code: 'ticket.reporter_required', field: 'reporterId' });
    const consulting = await post('/api/requests', agent.cookie, {
      requestTypeId: ids.projectRequestId,
      summary: 'S',
      description: 'D',
      criticality: 'low',
      reporterId: c.reporter.id,
    });
    expect(consulting.json()).toMatchObject({ code: 'ticket.desk_not_allowed' });
  });
});

describe('qualification, criticality and the conversation', () => {
  it('runs the whole journey: qualify and lower with a reason, wait for the customer, answer, resolve, confirm', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });

    const noReason = await post(`/api/requests/${key}/qualify`, agent.cookie, { criticality: 'medium' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 'ticket.reason_required', field: 'reason' });
    expect((await get(key, c.reporter.cookie)).json().criticality).toBe('high');

    const qualified = await post(`/api/requests/${key}/qualify`, agent.cookie, {
      criticality: 'medium',
      reason: 'Invoices can be printed one by one meanwhile.',
    });
    expect(qualified.statusCode).toBe(200);
    expect(qualified.json()).toMatchObject({ status: 'qualified', criticality: 'medium' });

    const seen = (await get(key, c.reporter.cookie)).json();
    expect(seen.statusLabel).toBe('Qualifié');
    const change = seen.history.find((h: { field: string }) => h.field === 'criticality');
    expect(change).toMatchObject({ from: 'high', to: 'medium', reason: 'Invoices can be printed one by one meanwhile.' });
    const mail = await t.db.select().from(outbox).where(eq(outbox.template, 'ticket-criticality'));
    const toReporter = mail.find((m) => m.to === c.reporter.email)!;
    expect(toReporter.subject).toBe(`[${key}] Criticité abaissée : Moyenne`);
    expect(toReporter.text).toContain('« Haute » à « Moyenne »');
    expect(toReporter.text).toContain('Invoices can be printed one by one meanwhile.');
    expect(mail.find((m) => m.to === c.colleague.email)?.subject).toBe(`[${key}] Kritikalität herabgesetzt: Mittel`);

    t.clock.advance(60_000);
    await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'Which version are you on?' });
    t.clock.advance(60_000);
    const waiting = await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'waiting_customer' });
    expect(waiting.json().status).toBe('waiting_customer');
    expect((await get(key, c.reporter.cookie)).json().statusLabel).toBe('En attente de votre réponse');
    expect((await lastMailTo(t, c.reporter.email))?.subject).toContain('En attente de votre réponse');

    const answered = await post(`/api/requests/${key}/messages`, c.reporter.cookie, { body: 'Version 24.1' });
    expect(answered.json().status).toBe('in_progress');

    await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'resolved' });
    const confirmed = await post(`/api/requests/${key}/transitions`, c.colleague.cookie, { to: 'closed' });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'closed', statusLabel: 'Geschlossen' });
    const final = await post(`/api/requests/${key}/messages`, c.reporter.cookie, { body: 'One more thing' });
    expect(final.statusCode).toBe(409);
  });

  it('qualifies an open request on the first public agent reply, and reopens a resolved one on a customer reply', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const replied = await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'We are on it.' });
    expect(replied.json().status).toBe('qualified');
    await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'resolved' });
    const reopened = await post(`/api/requests/${key}/messages`, c.reporter.cookie, { body: 'It happens again.' });
    expect(reopened.json().status).toBe('in_progress');
  });

  it('e-mails the customers every status change they can see, and none between in progress and waiting for a third party', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, participantIds: [c.colleague.id] });
    const statusMails = async () =>
      (
        await t.db
          .select({ to: outbox.to, subject: outbox.subject })
          .from(outbox)
          .where(and(eq(outbox.ticketId, r.id), eq(outbox.template, 'ticket-status')))
      ).length;
    const steps: [string, number][] = [
      ['in_progress', 2],
      ['waiting_third_party', 0],
      ['in_progress', 0],
      ['waiting_third_party', 0],
      ['in_progress', 0],
      ['waiting_customer', 2],
      ['in_progress', 2],
      ['resolved', 2],
    ];
    for (const [to, mails] of steps) {
      const before = await statusMails();
      const res = await post(`/api/requests/${r.key}/transitions`, agent.cookie, { to });
      expect(res.statusCode, res.body).toBe(200);
      expect(await statusMails(), `→ ${to}`).toBe(before + mails);
    }
  });

  it('refuses transitions that are not allowed with 409 and a code', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const agentWrong = await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'waiting_third_party' });
    expect(agentWrong.statusCode).toBe(409);
    expect(agentWrong.json().code).toBe('ticket.transition_not_allowed');
    const customerConfirmOpen = await post(`/api/requests/${key}/transitions`, c.reporter.cookie, { to: 'closed' });
    expect(customerConfirmOpen.statusCode).toBe(409);
    await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'in_progress' });
    const lateCancel = await post(`/api/requests/${key}/transitions`, c.reporter.cookie, { to: 'canceled' });
    expect(lateCancel.statusCode).toBe(409);
    const unknown = await post(`/api/requests/${key}/transitions`, agent.cookie, { to: 'archived' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('to');

    const other = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const canceled = await post(`/api/requests/${other.key}/transitions`, c.reporter.cookie, { to: 'canceled' });
    expect(canceled.json()).toMatchObject({ status: 'canceled', statusLabel: 'Annulé' });
    const afterFinal = await post(`/api/requests/${other.key}/transitions`, agent.cookie, { to: 'in_progress' });
    expect(afterFinal.statusCode).toBe(409);
  });

  it('lets only the reporter and participants confirm or cancel; another member may reply and becomes a participant', async () => {
    const c = await customerOrg(t);
    const member = await createUser(t, { organizationId: c.org.id, name: 'Mia Member' });
    const memberCookie = (await loginAs(t, 'customer', c.org.id)).cookie;
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const cancel = await post(`/api/requests/${key}/transitions`, memberCookie, { to: 'canceled' });
    expect(cancel.statusCode).toBe(403);
    expect((await get(key, memberCookie)).json().permissions.transitions).toEqual([]);
    const reply = await post(`/api/requests/${key}/messages`, memberCookie, { body: 'Same here' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().participants).toHaveLength(1);
    expect(member.id).toBeTruthy();
  });
});

describe('internal notes never reach a customer', () => {
  it('keeps notes, their attachments and internal history out of the customer’s page, e-mails and counts', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const mailsBefore = (await t.db.select().from(outbox)).length;
    const upload = await uploadFile(t, agent.cookie, 'internal.pdf', PDF);
    const note = await post(`/api/requests/${key}/messages`, agent.cookie, {
      body: 'SECRET: customer is on an unsupported patch',
      visibility: 'internal',
      attachmentIds: [upload.json().id],
    });
    expect(note.statusCode).toBe(201);
    await call(t.app, { method: 'PATCH', url: `/api/requests/${key}`, cookie: agent.cookie, body: { assigneeId: agent.id } });
    expect((await t.db.select().from(outbox)).length).toBe(mailsBefore);

    const customerView = await get(key, c.reporter.cookie);
    expect(customerView.body).not.toContain('SECRET');
    expect(customerView.body).not.toContain('internal.pdf');
    expect(customerView.json().messages).toHaveLength(0);
    expect(customerView.json().attachments).toHaveLength(0);
    expect(customerView.json().history.map((h: { field: string }) => h.field)).not.toContain('assignee');
    const list = await call(t.app, { url: '/api/requests?scope=mine', cookie: c.reporter.cookie });
    expect(list.body).not.toContain('SECRET');
    const download = await call(t.app, { url: `/api/requests/${key}/attachments/${upload.json().id}`, cookie: c.reporter.cookie });
    expect(download.statusCode).toBe(404);

    const agentView = (await get(key, agent.cookie)).json();
    expect(agentView.messages[0]).toMatchObject({ visibility: 'internal', body: 'SECRET: customer is on an unsupported patch' });
    expect(agentView.attachments[0]).toMatchObject({ internal: true });
    const agentDownload = await t.app.inject({ url: `/api/requests/${key}/attachments/${upload.json().id}`, headers: { cookie: agent.cookie } });
    expect(agentDownload.headers['content-disposition']).toMatch(/^attachment/);

    const customerNote = await post(`/api/requests/${key}/messages`, c.reporter.cookie, { body: 'x', visibility: 'internal' });
    expect(customerNote.statusCode).toBe(403);
  });
});

describe('who sees what', () => {
  it('hides a request from another organization, another desk’s agent and, with "own requests only", other members: 404, not 403', async () => {
    const c = await customerOrg(t);
    const stranger = await customerOrg(t, { name: 'Stranger' });
    const consultant = await agentOf(t, [ids.consultingId]);
    const admin = await loginAs(t, 'admin');
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    for (const cookie of [stranger.reporter.cookie, consultant.cookie]) {
      const res = await get(key, cookie);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ticket.not_found');
      expect((await post(`/api/requests/${key}/messages`, cookie, { body: 'hi' })).statusCode).toBe(404);
    }
    expect((await get('SUP-999999', c.reporter.cookie)).statusCode).toBe(404);
    expect((await get(key, admin.cookie)).statusCode).toBe(200);
    expect((await get(key, c.colleague.cookie)).statusCode).toBe(200);

    await t.db.update(organization).set({ ownRequestsOnly: true }).where(eq(organization.id, c.org.id));
    expect((await get(key, c.colleague.cookie)).statusCode).toBe(404);
    const orgList = await call(t.app, { url: '/api/requests?scope=organization', cookie: c.colleague.cookie });
    expect(orgList.json().items).toHaveLength(0);
    expect((await get(key, c.reporter.cookie)).statusCode).toBe(200);
  });

  it('lists my requests and my organization’s, and the open requests of an agent’s desks', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const mine = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, summary: 'Mine' });
    t.clock.advance(1000);
    const theirs = await openRequest(t, c.colleague.cookie, { requestTypeId: ids.assistanceId, summary: 'Theirs' });
    const keys = async (url: string, cookie: string) => (await call(t.app, { url, cookie })).json().items.map((i: { key: string }) => i.key);
    expect(await keys('/api/requests?scope=mine', c.reporter.cookie)).toEqual([mine.key]);
    expect(await keys('/api/requests?scope=organization', c.reporter.cookie)).toEqual([theirs.key, mine.key]);
    const deskKeys = await keys('/api/requests?scope=desks&state=open&limit=100', agent.cookie);
    expect(deskKeys).toContain(mine.key);
    const bad = await call(t.app, { url: '/api/requests?scope=desks', cookie: c.reporter.cookie });
    expect(bad.statusCode).toBe(400);
    const cursor = await call(t.app, { url: '/api/requests?cursor=!!', cookie: c.reporter.cookie });
    expect(cursor.statusCode).toBe(400);
  });
});

describe('agents: assign and move', () => {
  it('assigns to an agent of the desk only, and moves to the other desk keeping the key', async () => {
    const c = await customerOrg(t, { project: true });
    const agent = await agentOf(t, [ids.supportId, ids.consultingId]);
    const consultant = await agentOf(t, [ids.consultingId]);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const wrong = await call(t.app, { method: 'PATCH', url: `/api/requests/${key}`, cookie: agent.cookie, body: { assigneeId: consultant.id } });
    expect(wrong.json()).toMatchObject({ code: 'ticket.assignee_not_in_desk', field: 'assigneeId' });
    const assigned = await call(t.app, { method: 'PATCH', url: `/api/requests/${key}`, cookie: agent.cookie, body: { assigneeId: agent.id } });
    expect(assigned.json().assignee.id).toBe(agent.id);

    const needsProject = await post(`/api/requests/${key}/move`, agent.cookie, { deskId: ids.consultingId, requestTypeId: ids.projectRequestId });
    expect(needsProject.json()).toMatchObject({ code: 'ticket.project_required' });
    const moved = await post(`/api/requests/${key}/move`, agent.cookie, {
      deskId: ids.consultingId,
      requestTypeId: ids.projectRequestId,
      projectId: c.projectId,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ key, desk: { id: ids.consultingId }, assignee: { id: agent.id } });
    expect((await get(key, consultant.cookie)).statusCode).toBe(200);
    const events = await t.db.select().from(ticketEvent).innerJoin(ticket, eq(ticket.id, ticketEvent.ticketId)).where(eq(ticket.key, key));
    expect(events.map((e) => e.ticket_event.field)).toEqual(expect.arrayContaining(['created', 'assignee', 'desk', 'request_type', 'project']));

    const supportOnly = await agentOf(t, [ids.supportId]);
    const other = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const movedAway = await post(`/api/requests/${other.key}/move`, supportOnly.cookie, {
      deskId: ids.consultingId,
      requestTypeId: ids.projectRequestId,
      projectId: c.projectId,
    });
    expect(movedAway.statusCode).toBe(200);
    expect(movedAway.json()).toEqual({ key: other.key, visible: false, desk: { id: ids.consultingId, name: 'Consulting requests' } });
    expect((await get(other.key, supportOnly.cookie)).statusCode).toBe(404);

    const customerTries = await post(`/api/requests/${key}/move`, c.reporter.cookie, { deskId: ids.supportId, requestTypeId: ids.assistanceId });
    expect(customerTries.statusCode).toBe(403);
  });
});

describe('participants', () => {
  it('adds colleagues of the same organization only', async () => {
    const c = await customerOrg(t);
    const stranger = await customerOrg(t, { name: 'Far away' });
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const members = await call(t.app, { url: '/api/organization-members', cookie: c.reporter.cookie });
    expect(members.json().items.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([c.reporter.id, c.colleague.id]));
    const added = await post(`/api/requests/${key}/participants`, c.reporter.cookie, { userId: c.colleague.id });
    expect(added.json().participants.map((p: { id: string }) => p.id)).toEqual([c.colleague.id]);
    const foreign = await post(`/api/requests/${key}/participants`, c.reporter.cookie, { userId: stranger.reporter.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'ticket.participant_not_in_organization', field: 'userId' });
    const again = await post(`/api/requests/${key}/participants`, c.reporter.cookie, { userId: c.colleague.id });
    expect(again.statusCode).toBe(409);
    const removed = await call(t.app, { method: 'DELETE', url: `/api/requests/${key}/participants/${c.colleague.id}`, cookie: c.reporter.cookie });
    expect(removed.json().participants).toHaveLength(0);
  });

  it('leaves the participants of a closed request as they were: adding and removing are refused', async () => {
    const c = await customerOrg(t);
    const { key } = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect((await post(`/api/requests/${key}/participants`, c.reporter.cookie, { userId: c.colleague.id })).statusCode).toBe(200);
    const seen = (cookie: string) => call(t.app, { url: `/api/requests/${key}`, cookie }).then((r) => r.json().permissions);
    // Open: the reporter may remove participants, a participant may leave (and remove no one else).
    expect(await seen(c.reporter.cookie)).toMatchObject({ removeParticipants: true, leave: false });
    expect(await seen(c.colleague.cookie)).toMatchObject({ removeParticipants: false, leave: true });
    await t.db.update(ticket).set({ status: 'closed' }).where(eq(ticket.key, key));
    const remove = await call(t.app, { method: 'DELETE', url: `/api/requests/${key}/participants/${c.colleague.id}`, cookie: c.reporter.cookie });
    expect(remove.statusCode).toBe(409);
    expect(remove.json().code).toBe('ticket.final');
    const leave = await call(t.app, { method: 'DELETE', url: `/api/requests/${key}/participants/${c.colleague.id}`, cookie: c.colleague.cookie });
    expect(leave.statusCode).toBe(409);
    const add = await post(`/api/requests/${key}/participants`, c.reporter.cookie, { userId: c.colleague.id });
    expect(add.statusCode).toBe(409);
    expect(add.json().code).toBe('ticket.final');
    const [row] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticketParticipant)
      .innerJoin(ticket, eq(ticket.id, ticketParticipant.ticketId))
      .where(eq(ticket.key, key));
    expect(row!.n).toBe(1);
    // The page offers none of it.
    expect(await seen(c.reporter.cookie)).toMatchObject({ addParticipant: false, removeParticipants: false, leave: false });
    expect(await seen(c.colleague.cookie)).toMatchObject({ leave: false });
  });
});
