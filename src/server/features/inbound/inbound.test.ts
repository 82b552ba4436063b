/**
 * The e-mail channel end to end: real mail sent with nodemailer to Guichet's SMTP receiver, through
 * the pipeline, onto requests — each matching rule, the refusals, the noise, duplicates, large
 * attachments, HTML-only mail, agents' replies, reopening, follow-ups, new requests by e-mail, the
 * triage queue, a crash while processing, and the administrators' log.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { desk, inboundMessage, outbox, ticket, ticketMessage, user } from '../../db/schema.ts';
import { call, createTestApp, lastMailTo, loginAs, uniqueEmail, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest, PNG } from '../../../../tests/support/ticket-fixtures.ts';
import { startSmtpReceiver, type SmtpReceiverHandle } from './smtp-receiver.ts';
import { processPendingInbound, PROCESSING_LEASE_MS } from './process-inbound.ts';
import { receiveMail } from './receive-mail.ts';
import { writeRaw } from './raw-store.ts';

let t: TestApp;
let receiver: SmtpReceiverHandle;
let transport: Transporter;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  // Attachments up to 10 MB (the default), whole e-mails up to 50 MB: a 30 MB attachment reaches the pipeline.
  t = await createTestApp({ env: { MAIL_REPLY_TO: 'support@guichet.test', INBOUND_SMTP_PORT: '0' } });
  receiver = await startSmtpReceiver(t.ctx, { port: 0, host: '127.0.0.1' });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  transport.close();
  await receiver.stop();
  await t.close();
});

/** Sends a real e-mail to the SMTP receiver; resolves once Guichet has answered 250 (stored and processed). */
const send = async (mail: Mail.Options) => {
  const messageId = mail.messageId ?? `<${randomUUID()}@client.test>`;
  await transport.sendMail({ to: 'support@guichet.test', subject: 'Re: your request', text: 'Thanks', ...mail, messageId });
  return messageId;
};

const inbound = async (messageId: string) => {
  const [row] = await t.db.select().from(inboundMessage).where(eq(inboundMessage.messageId, messageId.toLowerCase()));
  return row!;
};

const messagesOf = (ticketId: string) => t.db.select().from(ticketMessage).where(eq(ticketMessage.ticketId, ticketId)).orderBy(ticketMessage.createdAt);

const requestFor = async (o: Awaited<ReturnType<typeof customerOrg>>) => {
  const request = await openRequest(t, o.reporter.cookie, { requestTypeId: ids.assistanceId, projectId: null });
  const ack = (await lastMailTo(t, o.reporter.email))!;
  return { ...request, ack };
};

const statusOf = async (id: string) => (await t.db.select({ status: ticket.status }).from(ticket).where(eq(ticket.id, id)))[0]!.status;

const answersTo = (address: string, template: string) =>
  t.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.to, address), eq(outbox.template, template)));

describe('replies by e-mail', { timeout: 120_000 }, () => {
  it('posts a reply to the signed reply address as a public message of its author, quotes and signature cut, the original kept', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    expect(request.ack.replyTo).toMatch(new RegExp(`^support\\+${request.key}\\.[a-z2-7]{12}@guichet\\.test$`));
    const id = await send({
      from: `Rita <${o.reporter.email}>`,
      to: request.ack.replyTo!,
      subject: `Re: ${request.ack.subject}`,
      text: `It prints again since the update.\n\n-- \nRita\n\nOn Mon, Guichet <support@guichet.test> wrote:\n> We have received your request.\n`,
    });
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'processed', matchedBy: 'reply_address', ticketId: request.id, reason: null });
    const [message] = await messagesOf(request.id);
    expect(message).toMatchObject({ authorId: o.reporter.id, visibility: 'public', body: 'It prints again since the update.' });
    expect(row.ticketMessageId).toBe(message!.id);

    const page = (await call(t.app, { url: `/api/requests/${request.key}`, cookie: o.reporter.cookie })).json();
    expect(page.messages[0]).toMatchObject({ id: message!.id, byEmail: true });
    const original = await call(t.app, { url: `/api/requests/${request.key}/messages/${message!.id}/original`, cookie: o.colleague.cookie });
    expect(original.statusCode).toBe(200);
    expect(original.json().text).toContain('> We have received your request.');
    // Another organization's customer: the request does not exist for them.
    const stranger = await customerOrg(t);
    expect((await call(t.app, { url: `/api/requests/${request.key}/messages/${message!.id}/original`, cookie: stranger.reporter.cookie })).statusCode).toBe(
      404,
    );
  });

  it('matches by In-Reply-To a colleague’s reply to the plain address, and by the key in the subject the reporter’s', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const threadId = await send({
      from: o.colleague.email,
      inReplyTo: `<${request.ack.id}@localhost>`,
      references: [`<request-${request.id}@localhost>`],
      subject: 'Re: something',
      text: 'Same problem here.',
    });
    expect(await inbound(threadId)).toMatchObject({ status: 'processed', matchedBy: 'thread', ticketId: request.id });
    const subjectId = await send({ from: o.reporter.email, subject: `Re: [${request.key.toLowerCase()}] printer`, text: 'Any news?' });
    expect(await inbound(subjectId)).toMatchObject({ status: 'processed', matchedBy: 'subject', ticketId: request.id });
    const bodies = (await messagesOf(request.id)).map((m) => [m.authorId, m.body]);
    expect(bodies).toEqual([
      [o.colleague.id, 'Same problem here.'],
      [o.reporter.id, 'Any news?'],
    ]);
    // Replying made the colleague a participant, as in the portal.
    const page = (await call(t.app, { url: `/api/requests/${request.key}`, cookie: o.reporter.cookie })).json();
    expect(page.participants.map((p: { id: string }) => p.id)).toContain(o.colleague.id);
  });

  it('refuses a forwarded mail naming a request from a stranger, answering once, politely, and never twice in an hour', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const stranger = uniqueEmail('elsewhere.test');
    const first = await send({ from: stranger, subject: `Fwd: [${request.key}] ${request.ack.subject}`, text: 'Look at this' });
    expect(await inbound(first)).toMatchObject({ status: 'refused', reason: 'unknown_sender', ticketId: null });
    // Another organization's customer naming the key in a subject is refused too.
    const other = await customerOrg(t);
    const second = await send({ from: other.reporter.email, subject: `[${request.key}] mine?`, text: 'Hello' });
    expect(await inbound(second)).toMatchObject({ status: 'refused', reason: 'not_allowed', ticketId: null });
    // Even with a real reply address forwarded to them.
    const third = await send({ from: other.reporter.email, to: request.ack.replyTo!, text: 'Forwarded to me' });
    expect(await inbound(third)).toMatchObject({ status: 'refused', reason: 'not_allowed' });
    expect(await messagesOf(request.id)).toEqual([]);

    await send({ from: stranger, subject: `Fwd: [${request.key}] again`, text: 'Look again' });
    const answers = await answersTo(stranger, 'inbound-refused');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toContain('could not add your e-mail');
    expect(await answersTo(other.reporter.email, 'inbound-refused')).toHaveLength(1);
  });

  it('ignores an out-of-office reply and a bounce, answering neither', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const away = await send({
      from: o.reporter.email,
      to: request.ack.replyTo!,
      subject: `Automatic reply: ${request.ack.subject}`,
      text: 'I am out of the office until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
    });
    expect(await inbound(away)).toMatchObject({ status: 'ignored', reason: 'auto_reply' });
    const bounce = await send({
      from: 'MAILER-DAEMON@mx.client.test',
      to: request.ack.replyTo!,
      subject: 'Undelivered Mail Returned to Sender',
      text: 'This is the mail system. Delivery failed.',
    });
    expect(await inbound(bounce)).toMatchObject({ status: 'ignored', reason: 'bounce' });
    expect(await messagesOf(request.id)).toEqual([]);
    expect(await answersTo(o.reporter.email, 'inbound-refused')).toEqual([]);
    expect(await answersTo('mailer-daemon@mx.client.test', 'inbound-refused')).toEqual([]);
  });

  it('takes the same message delivered twice once', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const messageId = `<${randomUUID()}@client.test>`;
    await send({ from: o.reporter.email, to: request.ack.replyTo!, text: 'Once only', messageId });
    await send({ from: o.reporter.email, to: request.ack.replyTo!, text: 'Once only', messageId });
    expect(await messagesOf(request.id)).toHaveLength(1);
    expect(await t.db.select().from(inboundMessage).where(eq(inboundMessage.messageId, messageId))).toHaveLength(1);
  });

  it('posts the text of a mail with a 30 MB attachment, refuses the file and tells the sender; keeps a small image', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const id = await send({
      from: o.reporter.email,
      to: request.ack.replyTo!,
      text: 'Here is the full log and a screenshot.',
      attachments: [
        { filename: 'server.log.zip', content: Buffer.alloc(30 * 1024 * 1024, 7), contentType: 'application/zip' },
        { filename: 'screen.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const row = await inbound(id);
    expect(row).toMatchObject({
      status: 'processed',
      refusedAttachments: [{ fileName: 'server.log.zip', size: 30 * 1024 * 1024, code: 'attachment.too_large' }],
    });
    const [message] = await messagesOf(request.id);
    expect(message!.body).toBe('Here is the full log and a screenshot.');
    const page = (await call(t.app, { url: `/api/requests/${request.key}`, cookie: o.reporter.cookie })).json();
    expect(page.attachments.map((a: { fileName: string; messageId: string }) => [a.fileName, a.messageId])).toEqual([['screen.png', message!.id]]);
    const [notice] = await answersTo(o.reporter.email, 'inbound-attachments-refused');
    expect(notice!.subject).toBe(`[${request.key}] Pièces jointes non acceptées`);
    expect(notice!.text).toContain('server.log.zip');
  });

  it('reads an HTML-only mail', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    await send({ from: o.reporter.email, to: request.ack.replyTo!, text: undefined, html: '<p>The <b>invoice</b> run works.</p><p>Thanks!</p>' });
    const [message] = await messagesOf(request.id);
    expect(message!.body).toContain('The invoice run works.');
    expect(message!.body).toContain('Thanks!');
    expect(message!.body).not.toContain('<');
  });

  it('answers a German mail in German when the agent replies in French in the portal, on the same thread', async () => {
    const o = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId], 'Agnès Agent');
    await call(t.app, { method: 'PATCH', url: '/api/me', cookie: agent.cookie, body: { language: 'fr' } });
    // The colleague reads German: their mail opens the conversation.
    const request = await openRequest(t, o.colleague.cookie, { requestTypeId: ids.assistanceId, projectId: null });
    const ack = (await lastMailTo(t, o.colleague.email))!;
    expect(ack.language).toBe('de');
    await send({ from: o.colleague.email, to: ack.replyTo!, text: 'Der Druck funktioniert immer noch nicht.', headers: { 'Content-Language': 'de' } });
    const reply = await call(t.app, {
      method: 'POST',
      url: `/api/requests/${request.key}/messages`,
      cookie: agent.cookie,
      body: { body: 'Nous avons corrigé le pilote.' },
    });
    expect(reply.statusCode).toBe(201);
    const [notice] = await answersTo(o.colleague.email, 'ticket-reply');
    expect(notice).toMatchObject({ language: 'de', threadId: `<request-${request.id}@localhost>` });
    expect(notice!.subject).toContain('Neue Antwort');
    expect(notice!.text).toContain('Nous avons corrigé le pilote.');
    expect(notice!.replyTo).toBe(ack.replyTo);
    // Mail is read (INBOUND_SMTP_PORT): the notice says the e-mail itself can be answered.
    expect(notice!.text).toContain('Sie können auch direkt auf diese E-Mail antworten.');
  });
});

describe('agents by e-mail', { timeout: 120_000 }, () => {
  it('posts an agent’s mail as a public reply, and one starting with #internal as an internal note no customer sees', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const agent = await agentOf(t, [ids.supportId]);
    const outsider = await agentOf(t, [ids.consultingId], 'Other Desk');
    const thread = `<request-${request.id}@localhost>`;
    await send({ from: agent.email, inReplyTo: thread, text: 'Please restart the print service.' });
    await send({ from: agent.email, inReplyTo: thread, text: '#internal\nCustomer is still on v12.' });
    const refused = await send({ from: outsider.email, inReplyTo: thread, text: 'Not my desk' });
    expect(await inbound(refused)).toMatchObject({ status: 'refused', reason: 'not_allowed' });
    const messages = await messagesOf(request.id);
    expect(messages.map((m) => [m.authorId, m.visibility, m.body])).toEqual([
      [agent.id, 'public', 'Please restart the print service.'],
      [agent.id, 'internal', 'Customer is still on v12.'],
    ]);
    // The first public reply qualified the request, as in the workspace.
    expect(await statusOf(request.id)).toBe('qualified');
    const page = (await call(t.app, { url: `/api/requests/${request.key}`, cookie: o.reporter.cookie })).json();
    expect(page.messages.map((m: { body: string }) => m.body)).toEqual(['Please restart the print service.']);
    const internalId = messages[1]!.id;
    expect((await call(t.app, { url: `/api/requests/${request.key}/messages/${internalId}/original`, cookie: o.reporter.cookie })).statusCode).toBe(404);
    expect((await call(t.app, { url: `/api/requests/${request.key}/messages/${internalId}/original`, cookie: agent.cookie })).statusCode).toBe(200);
    const customerMails = await t.db.select().from(outbox).where(eq(outbox.ticketId, request.id));
    expect(customerMails.some((m) => m.text.includes('v12'))).toBe(false);
  });
  it('holds a whole conversation by e-mail: the customer’s reply reaches the assigned agent, whose answer to that mail reaches the customer', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const agent = await agentOf(t, [ids.supportId], 'Sam Support');
    const assigned = await call(t.app, { method: 'PATCH', url: `/api/requests/${request.key}`, cookie: agent.cookie, body: { assigneeId: agent.id } });
    expect(assigned.statusCode).toBe(200);
    await send({ from: o.reporter.email, to: request.ack.replyTo!, text: 'The printer shows error 42.' });
    const [toAgent] = await answersTo(agent.email, 'ticket-reply');
    expect(toAgent).toMatchObject({ ticketId: request.id, threadId: `<request-${request.id}@localhost>` });
    expect(toAgent!.text).toContain('The printer shows error 42.');
    expect(toAgent!.replyTo).toMatch(new RegExp(`^support\\+${request.key}\\.[a-z2-7]{12}@guichet\\.test$`));
    // The agent answers from their mail client, to that mail.
    await send({
      from: agent.email,
      to: toAgent!.replyTo!,
      inReplyTo: `<${toAgent!.id}@localhost>`,
      text: 'Error 42 is the paper tray: please close it.\n\n> The printer shows error 42.',
    });
    const [toCustomer] = await answersTo(o.reporter.email, 'ticket-reply');
    expect(toCustomer!.text).toContain('Error 42 is the paper tray: please close it.');
    expect((await messagesOf(request.id)).map((m) => [m.authorId, m.body])).toEqual([
      [o.reporter.id, 'The printer shows error 42.'],
      [agent.id, 'Error 42 is the paper tray: please close it.'],
    ]);
    // The agent's own reply is not mailed back to them.
    expect(await answersTo(agent.email, 'ticket-reply')).toHaveLength(1);
  });
});

describe('resolved and closed requests', { timeout: 120_000 }, () => {
  it('reopens a resolved request; a reply to a closed one opens a follow-up linked to it, and says so', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    await t.db.update(ticket).set({ status: 'resolved' }).where(eq(ticket.id, request.id));
    await send({ from: o.reporter.email, to: request.ack.replyTo!, text: 'It is broken again.' });
    expect(await statusOf(request.id)).toBe('in_progress');

    await t.db.update(ticket).set({ status: 'closed' }).where(eq(ticket.id, request.id));
    const id = await send({ from: o.reporter.email, to: request.ack.replyTo!, subject: `Re: ${request.ack.subject}`, text: 'And again, a month later.' });
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'processed', openedRequest: true });
    const [followUp] = await t.db.select().from(ticket).where(eq(ticket.id, row.ticketId!));
    expect(followUp).toMatchObject({ followUpOfId: request.id, reporterId: o.reporter.id, description: 'And again, a month later.' });
    expect(await messagesOf(request.id)).toHaveLength(1);
    const [ack] = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, followUp!.id), eq(outbox.template, 'ticket-created')));
    expect(ack!.to).toBe(o.reporter.email);
    expect(ack!.text).toContain(`Elle fait suite à la demande ${request.key}, qui était clôturée.`);
  });
});

describe('new requests by e-mail', { timeout: 120_000 }, () => {
  it('opens a request of the desk’s type, criticality Medium, for a known customer writing to the desk’s address', async () => {
    await t.db.update(desk).set({ inboundAddress: 'helpdesk@guichet.test' }).where(eq(desk.id, ids.supportId));
    const o = await customerOrg(t);
    const id = await send({
      from: o.reporter.email,
      to: 'helpdesk@guichet.test',
      subject: 'Payroll export fails',
      text: 'The export stops at 50 %.\n\n-- \nRita',
    });
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'processed', matchedBy: 'desk_address', openedRequest: true, deskId: ids.supportId });
    const [created] = await t.db.select().from(ticket).where(eq(ticket.id, row.ticketId!));
    expect(created).toMatchObject({
      requestTypeId: ids.assistanceId,
      criticality: 'medium',
      summary: 'Payroll export fails',
      description: 'The export stops at 50 %.',
      reporterId: o.reporter.id,
    });
    const [ack] = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, created!.id), eq(outbox.template, 'ticket-created')));
    expect(ack!.text).toContain('Ouverte depuis votre e-mail, elle a reçu la criticité Moyenne');
    expect(ack!.text).toContain(`/requests/${created!.key}`);
  });

  it('holds mail from an unknown address for triage; an agent of the desk opens it for a customer, or dismisses it', async () => {
    await t.db.update(desk).set({ inboundAddress: 'helpdesk@guichet.test' }).where(eq(desk.id, ids.supportId));
    const o = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const outsider = await agentOf(t, [ids.consultingId], 'Other Desk');
    const unknown = uniqueEmail('new-customer.test');
    const id = await send({ from: unknown, to: 'helpdesk@guichet.test', subject: 'We cannot log in', text: 'Since today nobody can log in.' });
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'triage', reason: 'unknown_sender', deskId: ids.supportId });

    const list = await call(t.app, { url: '/api/inbound/triage?limit=100', cookie: agent.cookie });
    expect(list.json().items.find((i: { id: string }) => i.id === row.id)).toMatchObject({
      from: unknown,
      subject: 'We cannot log in',
      text: 'Since today nobody can log in.',
    });
    expect(
      (await call(t.app, { url: '/api/inbound/triage?limit=100', cookie: outsider.cookie })).json().items.some((i: { id: string }) => i.id === row.id),
    ).toBe(false);
    expect((await call(t.app, { url: '/api/inbound/triage', cookie: o.reporter.cookie })).statusCode).toBe(403);
    const body = { reporterId: o.reporter.id, requestTypeId: ids.assistanceId };
    expect((await call(t.app, { method: 'POST', url: `/api/inbound/triage/${row.id}/open`, cookie: outsider.cookie, body })).statusCode).toBe(404);

    const opened = await call(t.app, { method: 'POST', url: `/api/inbound/triage/${row.id}/open`, cookie: agent.cookie, body });
    expect(opened.statusCode).toBe(201);
    const key = opened.json().key as string;
    const [created] = await t.db.select().from(ticket).where(eq(ticket.key, key));
    expect(created).toMatchObject({
      reporterId: o.reporter.id,
      summary: 'We cannot log in',
      description: 'Since today nobody can log in.',
      criticality: 'medium',
    });
    expect(await inbound(id)).toMatchObject({ status: 'processed', ticketId: created!.id, openedRequest: true });
    const again = await call(t.app, { method: 'POST', url: `/api/inbound/triage/${row.id}/open`, cookie: agent.cookie, body });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('inbound.not_in_triage');

    const spam = await send({ from: uniqueEmail('spam.test'), to: 'helpdesk@guichet.test', subject: 'Cheap pills', text: 'Buy now' });
    const spamRow = await inbound(spam);
    const dismissed = await call(t.app, { method: 'POST', url: `/api/inbound/triage/${spamRow.id}/dismiss`, cookie: agent.cookie });
    expect(dismissed.statusCode).toBe(204);
    expect(await inbound(spam)).toMatchObject({ status: 'dismissed' });
  });
});

describe('robustness', { timeout: 120_000 }, () => {
  it('processes once, after the lease runs out, a message stored by a process that died before finishing it', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const messageId = `<${randomUUID()}@client.test>`;
    const raw = Buffer.from(
      `From: ${o.reporter.email}\r\nTo: ${request.ack.replyTo}\r\nSubject: Re: crash\r\nMessage-ID: ${messageId}\r\n\r\nWritten before the crash.\r\n`,
    );
    // What the killed process left: the message stored, held under its lease, never finished.
    const now = t.clock.now();
    const storedId = randomUUID();
    await writeRaw(t.config.dataDir, storedId, raw);
    await t.db.insert(inboundMessage).values({
      id: storedId,
      source: 'smtp',
      messageId,
      fromAddress: o.reporter.email,
      toAddresses: [request.ack.replyTo!],
      subject: 'Re: crash',
      size: raw.length,
      receivedAt: now,
      status: 'received',
      attempts: 1,
      claimedUntil: new Date(now.getTime() + PROCESSING_LEASE_MS),
    });
    // The same message delivered again meanwhile (the MTA never got its 250) is not a second one.
    expect((await receiveMail(t.ctx, raw, { source: 'smtp' })).duplicate).toBe(true);
    expect(await processPendingInbound(t.ctx)).toBe(0);
    t.clock.advance(PROCESSING_LEASE_MS + 1000);
    // Two sweeps at once (two instances): the message is posted once.
    const done = await Promise.all([processPendingInbound(t.ctx), processPendingInbound(t.ctx)]);
    expect(done[0]! + done[1]!).toBeGreaterThanOrEqual(1);
    expect(await processPendingInbound(t.ctx)).toBe(0);
    expect((await messagesOf(request.id)).map((m) => m.body)).toEqual(['Written before the crash.']);
    expect(await inbound(messageId)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('ignores a sender over its rate, and our own mail coming back', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    const statuses: string[] = [];
    for (let i = 0; i < 61; i++) {
      const raw = Buffer.from(
        `From: ${o.colleague.email}\r\nTo: ${request.ack.replyTo}\r\nSubject: storm ${i}\r\nMessage-ID: <storm-${i}-${randomUUID()}@client.test>\r\n\r\nLoop ${i}\r\n`,
      );
      statuses.push((await receiveMail(t.ctx, raw, { source: 'smtp' })).status);
    }
    // The colleague's address is not the signed recipient: these are refused, and the 61st is not even read.
    expect(statuses.slice(0, 60).every((s) => s === 'refused')).toBe(true);
    expect(statuses[60]).toBe('ignored');
    const own = await send({ from: o.reporter.email, messageId: `<${randomUUID()}@localhost>`, to: request.ack.replyTo!, text: 'Echo' });
    expect(await inbound(own)).toMatchObject({ status: 'ignored', reason: 'own_message' });
  });
});

describe('the inbound log', { timeout: 120_000 }, () => {
  it('lists every message with what it became, shows one with its headers and source, and re-processes a refused one', async () => {
    const o = await customerOrg(t);
    const request = await requestFor(o);
    // The reporter's account is deactivated when their mail arrives: refused.
    await t.db.update(user).set({ banned: true }).where(eq(user.id, o.reporter.id));
    const id = await send({ from: o.reporter.email, subject: `Re: [${request.key}] hello`, text: 'I am back.' });
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'refused', reason: 'not_allowed' });

    const list = await call(t.app, { url: '/api/admin/inbound?status=refused&limit=100', cookie: admin.cookie });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.find((i: { id: string }) => i.id === row.id)).toMatchObject({
      from: o.reporter.email,
      status: 'refused',
      reason: 'not_allowed',
      ticketKey: null,
    });
    const one = (await call(t.app, { url: `/api/admin/inbound/${row.id}`, cookie: admin.cookie })).json();
    expect(one.text).toBe('I am back.');
    expect(one.headers).toContainEqual({ name: 'message-id', value: id });
    const raw = await call(t.app, { url: `/api/admin/inbound/${row.id}/raw`, cookie: admin.cookie });
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.body).toContain('I am back.');
    expect((await call(t.app, { url: '/api/admin/inbound', cookie: o.colleague.cookie })).statusCode).toBe(403);

    // The account is reactivated: the administrator sends the message through again.
    await t.db.update(user).set({ banned: false }).where(eq(user.id, o.reporter.id));
    const again = await call(t.app, { method: 'POST', url: `/api/admin/inbound/${row.id}/reprocess`, cookie: admin.cookie });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'processed', matchedBy: 'subject', ticketKey: request.key, attempts: 2 });
    expect((await messagesOf(request.id)).map((m) => m.body)).toEqual(['I am back.']);
    const twice = await call(t.app, { method: 'POST', url: `/api/admin/inbound/${row.id}/reprocess`, cookie: admin.cookie });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('inbound.not_reprocessable');
    const [audit] = (await call(t.app, { url: `/api/admin/audit?targetId=${row.id}`, cookie: admin.cookie })).json().items;
    expect(audit).toMatchObject({ action: 'inbound.reprocessed' });
  });
});
