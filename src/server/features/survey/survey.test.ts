/**
 * The satisfaction survey (issue 6): asked of the reporter when a request closes, by a signed e-mail
 * link and on the page; one answer per request, by the reporter only, rating 1 to 5; results per
 * desk and month, as JSON and CSV. Also the follow-up request of a closed request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { outbox, ticket } from '../../db/schema.ts';
import { satisfactionSurvey } from '../../db/schema.ts';
import { call, createTestApp, linkIn, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { createSurveyToken } from './survey-token.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let agent: Awaited<ReturnType<typeof agentOf>>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-02-02T08:00:00Z' });
  ids = await catalog(t);
  agent = await agentOf(t, [ids.supportId], 'Desk Agent');
});
afterAll(async () => {
  await t.close();
});

/** A request resolved by the agent and confirmed (closed) by its reporter. */
async function closedRequest() {
  const c = await customerOrg(t);
  const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
  expect((await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/transitions`, cookie: agent.cookie, body: { to: 'resolved' } })).statusCode).toBe(
    200,
  );
  const closed = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/transitions`, cookie: c.reporter.cookie, body: { to: 'closed' } });
  expect(closed.statusCode, closed.body).toBe(200);
  const [mail] = await t.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.to, c.reporter.email), eq(outbox.template, 'survey-invitation')));
  return { c, r, mail: mail!, token: linkIn(mail!.text).split('/survey/')[1]! };
}

const answerByLink = (token: string, body: unknown) => call(t.app, { method: 'POST', url: `/api/survey/${token}`, body });

describe('the satisfaction survey', () => {
  it('asks the reporter by a signed e-mail link, which takes one answer from 1 to 5', async () => {
    const { r, mail, token } = await closedRequest();
    expect(mail.subject).toBe(`[${r.key}] Votre avis sur notre service`);
    expect(mail.language).toBe('fr');
    const opened = await call(t.app, { url: `/api/survey/${token}` });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toEqual({ key: r.key, summary: 'Invoices do not print', answered: false, rating: null });

    for (const rating of [0, 6, 2.5]) {
      const res = await answerByLink(token, { rating, comment: 'x' });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe('rating');
    }
    const answered = await answerByLink(token, { rating: 4, comment: 'Quick and clear.' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ answered: true, rating: 4 });
    const again = await answerByLink(token, { rating: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('survey.already_answered');
    const [row] = await t.db.select().from(satisfactionSurvey).where(eq(satisfactionSurvey.ticketId, r.id));
    expect(row).toMatchObject({ rating: 4, comment: 'Quick and clear.' });
  });

  it('a forged, altered or expired link opens nothing', async () => {
    const { r, token } = await closedRequest();
    const forged = createSurveyToken('another-secret-that-is-long-enough-012345', r.id, new Date('2030-01-01T00:00:00Z'));
    // The genuine token with a later expiry written in: the MAC no longer matches.
    const bytes = Buffer.from(token, 'base64url');
    bytes.writeUInt32BE(Math.floor(Date.parse('2030-01-01') / 1000), 16);
    const tampered = bytes.toString('base64url');
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [forged, tampered, flipped, 'not-a-token-at-all-not-a-token-at-all-not-a-tok']) {
      expect((await call(t.app, { url: `/api/survey/${bad}` })).statusCode, bad).toBe(404);
      expect((await answerByLink(bad, { rating: 5 })).statusCode, bad).toBe(404);
    }
    // 30 days later the genuine link has expired.
    t.clock.advance(31 * 86_400_000);
    expect((await call(t.app, { url: `/api/survey/${token}` })).statusCode).toBe(404);
    const late = await answerByLink(token, { rating: 5 });
    expect(late.statusCode).toBe(404);
    expect(late.json().code).toBe('survey.link_invalid');
    const [row] = await t.db.select().from(satisfactionSurvey).where(eq(satisfactionSurvey.ticketId, r.id));
    expect(row!.rating).toBeNull();
  });

  it('on the page: only the reporter answers, once; colleagues, agents and other organizations cannot', async () => {
    const { c, r } = await closedRequest();
    const page = (cookie: string, body: unknown = { rating: 5, comment: 'Thanks' }) =>
      call(t.app, { method: 'POST', url: `/api/requests/${r.key}/survey`, cookie, body });
    expect((await call(t.app, { url: `/api/requests/${r.key}/lifecycle`, cookie: c.colleague.cookie })).json().survey).toEqual({
      canAnswer: false,
      answered: false,
      rating: null,
    });
    expect((await page(c.colleague.cookie)).statusCode).toBe(403);
    expect((await page(agent.cookie)).statusCode).toBe(403);
    const stranger = await customerOrg(t);
    expect((await page(stranger.reporter.cookie)).statusCode).toBe(404);
    const bad = await page(c.reporter.cookie, { rating: 7 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('rating');
    const ok = await page(c.reporter.cookie);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().survey).toEqual({ canAnswer: false, answered: true, rating: 5 });
    expect((await page(c.reporter.cookie, { rating: 3 })).statusCode).toBe(409);

    // A request not closed has no survey.
    const open = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const early = await call(t.app, { method: 'POST', url: `/api/requests/${open.key}/survey`, cookie: c.reporter.cookie, body: { rating: 5 } });
    expect(early.statusCode).toBe(409);
  });

  it('results per desk and month for administrators, as JSON and CSV', async () => {
    const admin = await loginAs(t, 'admin');
    t.clock.set('2026-05-10T10:00:00Z');
    for (const rating of [5, 2]) {
      const { token } = await closedRequest();
      expect((await answerByLink(token, { rating })).statusCode).toBe(200);
    }
    const res = await call(t.app, { url: '/api/admin/survey/results?from=2026-05&to=2026-05', cookie: admin.cookie });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([
      { deskId: ids.supportId, deskName: expect.any(String), month: '2026-05', answers: 2, ratingSum: 7, counts: [0, 1, 0, 0, 1] },
    ]);
    const csv = await call(t.app, { url: '/api/admin/survey/results.csv?from=2026-05&to=2026-05', cookie: admin.cookie });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual([
      'desk,month,answers,average,rating_1,rating_2,rating_3,rating_4,rating_5',
      `${res.json().rows[0].deskName},2026-05,2,3.50,0,1,0,0,1`,
      '',
    ]);
    const inverted = await call(t.app, { url: '/api/admin/survey/results?from=2026-06&to=2026-05', cookie: admin.cookie });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().field).toBe('to');
    expect((await call(t.app, { url: '/api/admin/survey/results?from=2026-05&to=2026-05', cookie: agent.cookie })).statusCode).toBe(403);
  });
});

describe('follow-up requests', () => {
  it('a closed request offers a follow-up: a new request of the same type, linked to it', async () => {
    const { c, r } = await closedRequest();
    expect((await call(t.app, { url: `/api/requests/${r.key}/lifecycle`, cookie: c.colleague.cookie })).json().canOpenFollowUp).toBe(true);
    const body = { summary: 'Invoices fail again', description: 'Same as before.', criticality: 'medium' };
    const res = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/follow-up`, cookie: c.colleague.cookie, body });
    expect(res.statusCode, res.body).toBe(201);
    const [created] = await t.db.select().from(ticket).where(eq(ticket.key, res.json().key));
    expect(created).toMatchObject({ followUpOfId: r.id, requestTypeId: ids.assistanceId, reporterId: c.colleague.id, status: 'open', criticality: 'medium' });
    expect((await call(t.app, { url: `/api/requests/${created!.key}/lifecycle`, cookie: c.reporter.cookie })).json()).toMatchObject({
      followUpOf: { key: r.key },
      canOpenFollowUp: false,
    });

    // An agent opens it for the old request's reporter.
    const byAgent = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/follow-up`, cookie: agent.cookie, body });
    expect(byAgent.statusCode, byAgent.body).toBe(201);
    const [forReporter] = await t.db.select().from(ticket).where(eq(ticket.key, byAgent.json().key));
    expect(forReporter).toMatchObject({ reporterId: c.reporter.id, createdById: agent.id, followUpOfId: r.id });

    // Not on an open request, not by another organization, not with bad input.
    const stranger = await customerOrg(t);
    expect((await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/follow-up`, cookie: stranger.reporter.cookie, body })).statusCode).toBe(404);
    const notClosed = await call(t.app, { method: 'POST', url: `/api/requests/${created!.key}/follow-up`, cookie: c.reporter.cookie, body });
    expect(notClosed.statusCode).toBe(409);
    const empty = await call(t.app, { method: 'POST', url: `/api/requests/${r.key}/follow-up`, cookie: c.reporter.cookie, body: { ...body, summary: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().field).toBe('summary');
  });
});
