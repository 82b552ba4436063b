import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { ticket, ticketEvent } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

const bulk = (cookie: string, body: unknown) => call(t.app, { method: 'POST', url: '/api/requests/bulk', cookie, body });
const statusOf = async (keys: string[]) =>
  Object.fromEntries(
    (await t.db.select({ key: ticket.key, status: ticket.status, assigneeId: ticket.assigneeId }).from(ticket).where(inArray(ticket.key, keys))).map((r) => [
      r.key,
      r,
    ]),
  );

describe('bulk changes from the workspace', () => {
  it('assigns several requests, each as one change with its history, and reports each result', async () => {
    const agent = await agentOf(t, [ids.supportId], 'Bulk Agent');
    const colleague = await agentOf(t, [ids.supportId], 'Bulk Colleague');
    const c = await customerOrg(t);
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const b = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const res = await bulk(agent.cookie, { keys: [a.key, b.key], action: { type: 'assign', assigneeId: colleague.id } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { key: a.key, ok: true },
        { key: b.key, ok: true },
      ],
      succeeded: 2,
      failed: 0,
    });
    const rows = await statusOf([a.key, b.key]);
    expect(rows[a.key]!.assigneeId).toBe(colleague.id);
    expect(rows[b.key]!.assigneeId).toBe(colleague.id);
    const events = await t.db
      .select()
      .from(ticketEvent)
      .where(inArray(ticketEvent.ticketId, [a.id, b.id]));
    expect(events.filter((e) => e.field === 'assignee' && e.toValue === colleague.id && e.actorId === agent.id)).toHaveLength(2);

    // Unassigning uses the same rules.
    const none = await bulk(agent.cookie, { keys: [a.key], action: { type: 'assign', assigneeId: null } });
    expect(none.json().succeeded).toBe(1);
    expect((await statusOf([a.key]))[a.key]!.assigneeId).toBeNull();
  });

  it('applies the rules of one change to each request: a refusal leaves the others applied', async () => {
    const agent = await agentOf(t, [ids.supportId], 'Bulk Agent');
    const consultant = await agentOf(t, [ids.consultingId], 'Consultant');
    const c = await customerOrg(t, { project: true });
    const open1 = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const open2 = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const canceled = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    expect(
      (await call(t.app, { method: 'POST', url: `/api/requests/${canceled.key}/transitions`, cookie: c.reporter.cookie, body: { to: 'canceled' } })).statusCode,
    ).toBe(200);
    const consulting = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.projectRequestId, projectId: c.projectId });

    // open → waiting_third_party is not an allowed transition; a canceled request is final; the
    // Consulting request is not the Support agent's to see (as for one change: not found).
    const res = await bulk(agent.cookie, {
      keys: [open1.key, canceled.key, consulting.key, 'SUP-999999', open2.key],
      action: { type: 'status', to: 'qualified' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { key: string; ok: boolean; error?: { code: string; status: number } }[];
    expect(items.map((i) => [i.key, i.ok, i.error?.code, i.error?.status])).toEqual([
      [open1.key, true, undefined, undefined],
      [canceled.key, false, 'ticket.transition_not_allowed', 409],
      [consulting.key, false, 'ticket.not_found', 404],
      ['SUP-999999', false, 'ticket.not_found', 404],
      [open2.key, true, undefined, undefined],
    ]);
    expect(res.json()).toMatchObject({ succeeded: 2, failed: 3 });
    const rows = await statusOf([open1.key, open2.key, canceled.key, consulting.key]);
    expect([rows[open1.key]!.status, rows[open2.key]!.status, rows[canceled.key]!.status, rows[consulting.key]!.status]).toEqual([
      'qualified',
      'qualified',
      'canceled',
      'open',
    ]);

    // The transition table applies per request: qualified → waiting_third_party is allowed, open → it is not.
    const open3 = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const third = await bulk(agent.cookie, { keys: [open1.key, open3.key], action: { type: 'status', to: 'waiting_third_party' } });
    expect(third.json().items.map((i: { ok: boolean }) => i.ok)).toEqual([true, false]);
    expect(third.json().items[1].error.code).toBe('ticket.transition_not_allowed');

    // Assigning to an agent of another desk is refused per request, as it is one at a time.
    const assign = await bulk(agent.cookie, { keys: [open2.key, open3.key], action: { type: 'assign', assigneeId: consultant.id } });
    expect(assign.json().items.map((i: { error?: { code: string } }) => i.error?.code)).toEqual(['ticket.assignee_not_in_desk', 'ticket.assignee_not_in_desk']);
    expect((await statusOf([open2.key]))[open2.key]!.assigneeId).toBeNull();

    // The consultant sees none of the Support requests: each is "not found", nothing changes.
    const other = await bulk(consultant.cookie, { keys: [open2.key, open3.key], action: { type: 'status', to: 'resolved' } });
    expect(other.json()).toMatchObject({ succeeded: 0, failed: 2 });
    expect(other.json().items.every((i: { error: { code: string } }) => i.error.code === 'ticket.not_found')).toBe(true);
    expect((await statusOf([open3.key]))[open3.key]!.status).toBe('open');

    // Administrators work on every desk.
    const admin = await loginAs(t, 'admin');
    expect((await bulk(admin.cookie, { keys: [consulting.key], action: { type: 'status', to: 'in_progress' } })).json().succeeded).toBe(1);
  });

  it('is for Customer Services only', async () => {
    const c = await customerOrg(t);
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const res = await bulk(c.reporter.cookie, { keys: [a.key], action: { type: 'status', to: 'canceled' } });
    expect(res.statusCode).toBe(403);
    expect((await statusOf([a.key]))[a.key]!.status).toBe('open');
    const anonymous = await call(t.app, { method: 'POST', url: '/api/requests/bulk', body: { keys: [a.key], action: { type: 'status', to: 'canceled' } } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses bad input with a 400 naming the field, changing nothing', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerOrg(t);
    const a = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const tooMany = Array.from({ length: 101 }, (_, i) => `ZZZZZ-${i + 1}`);
    const cases: [unknown, string][] = [
      [{ keys: [], action: { type: 'assign', assigneeId: agent.id } }, 'keys'],
      [{ keys: tooMany, action: { type: 'assign', assigneeId: agent.id } }, 'keys'],
      [{ keys: [a.key, a.key], action: { type: 'assign', assigneeId: agent.id } }, 'keys'],
      [{ keys: ['not a key'], action: { type: 'assign', assigneeId: agent.id } }, 'keys.0'],
      [{ keys: [a.key], action: { type: 'status', to: 'archived' } }, 'action.to'],
      [{ keys: [a.key], action: { type: 'delete' } }, 'action.type'],
      [{ keys: [a.key], action: { type: 'assign', assigneeId: agent.id, extra: 1 } }, 'action.extra'],
      [{ keys: [a.key] }, 'action'],
    ];
    for (const [body, field] of cases) {
      const res = await bulk(agent.cookie, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.json().field, JSON.stringify(body).slice(0, 120)).toBe(field);
    }
    const [row] = await t.db.select().from(ticket).where(eq(ticket.key, a.key));
    expect([row!.status, row!.assigneeId]).toEqual(['open', null]);
    // Exactly the limit is accepted: unknown keys are reported one by one.
    const hundred = await bulk(agent.cookie, { keys: tooMany.slice(0, 100), action: { type: 'assign', assigneeId: agent.id } });
    expect(hundred.statusCode).toBe(200);
    expect(hundred.json().items).toHaveLength(100);
  });
});
