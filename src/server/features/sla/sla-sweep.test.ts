/**
 * Warnings and escalations, sent by the real pg-boss worker: the sweep job is queued through
 * pg-boss and worked by the app's worker, which reads the injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { outbox, slaClock } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { sweepThroughBoss } from './sla-jobs.test-support.ts';
import { startSlaWorker } from './sweep.job.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp({ jobs: true, clockStart: '2026-02-02T06:00:00Z' });
  ids = await catalog(t);
  await startSlaWorker(t.boss!, t.ctx, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await t.close();
});

const matrix = (level2: string, level3: string) => ({
  levels: [
    {
      level: 1,
      whenToCall: { fr: 'Toujours', de: 'Immer', en: 'Always' },
      contacts: [{ name: 'CS', role: 'Customer Services', email: 'cs@vendor.test', phone: '+41 31 000 00 00' }],
    },
    {
      level: 2,
      whenToCall: { fr: 'Dépassement', de: 'Überschreitung', en: 'Breach' },
      contacts: [{ name: 'Nadia Keller', role: 'Head of CS', email: level2, phone: '+41 31 000 00 02', language: 'de' }],
    },
    {
      level: 3,
      whenToCall: { fr: 'Double', de: 'Doppelt', en: 'Twice' },
      contacts: [{ name: 'Laurent Favre', role: 'Director', email: level3, phone: '+41 31 000 00 03', language: 'en' }],
    },
  ],
});

const mailsOf = async (ticketKey: string) =>
  t.db
    .select({ to: outbox.to, template: outbox.template, subject: outbox.subject })
    .from(outbox)
    .where(and(sql`${outbox.template} like 'sla-%'`, sql`${outbox.subject} like ${`[${ticketKey}]%`}`))
    .orderBy(outbox.createdAt, outbox.to);

describe('SLA warnings and escalations', () => {
  it('warns the desk’s agents at 75 %, escalates to level 2 at breach and level 3 at twice the target — each once, even after a re-target and a downtime', async () => {
    const admin = await loginAs(t, 'admin');
    const put = await call(t.app, {
      method: 'PUT',
      url: `/api/admin/escalation/${ids.supportId}`,
      cookie: admin.cookie,
      body: matrix('head@vendor.test', 'ceo@vendor.test'),
    });
    expect(put.statusCode, put.body).toBe(200);
    const agent = await agentOf(t, [ids.supportId], 'Desk Agent');
    const c = await customerOrg(t);

    t.clock.set('2026-02-02T07:00:00Z'); // Monday 08:00
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical', summary: 'Production down' });
    expect(await sweepThroughBoss(t.boss!)).toEqual({ warning: 0, breach: 0, level3: 0 });

    t.clock.set('2026-02-02T07:50:00Z'); // 08:50: engagement at 50 of 60 minutes
    expect(await sweepThroughBoss(t.boss!)).toEqual({ warning: 1, breach: 0, level3: 0 });
    expect(await mailsOf(r.key)).toEqual([{ to: agent.email, template: 'sla-warning', subject: `[${r.key}] SLA at 75%: engagement` }]);
    expect(await sweepThroughBoss(t.boss!)).toEqual({ warning: 0, breach: 0, level3: 0 });

    t.clock.set('2026-02-02T08:05:00Z'); // 09:05: engagement breached
    await sweepThroughBoss(t.boss!);
    expect((await mailsOf(r.key)).filter((m) => m.template === 'sla-breach')).toEqual([
      { to: 'head@vendor.test', template: 'sla-breach', subject: `[${r.key}] SLA überschritten: Reaktion` },
    ]);

    // Lowered to Basse: the engagement deadline moves 15 hours later; the breach already told is not told again.
    const lowered = await call(t.app, {
      method: 'PATCH',
      url: `/api/requests/${r.key}`,
      cookie: agent.cookie,
      body: { criticality: 'low', reason: 'Only a test system is down.' },
    });
    expect(lowered.statusCode, lowered.body).toBe(200);

    // A week of downtime: twice the new engagement target (32 h) has passed; the resolution warning (120 h) not yet.
    t.clock.set('2026-02-09T07:00:00Z');
    await sweepThroughBoss(t.boss!);
    await sweepThroughBoss(t.boss!);
    const all = await mailsOf(r.key);
    expect(all.map((m) => `${m.template} ${m.to}`)).toEqual([`sla-warning ${agent.email}`, 'sla-breach head@vendor.test', 'sla-level3 ceo@vendor.test']);
    const [clock] = await t.db
      .select()
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, r.id), eq(slaClock.kind, 'engagement')));
    expect(clock!.warnedAt).toEqual(new Date('2026-02-02T07:50:00Z'));
    expect(clock!.breachNotifiedAt).toEqual(new Date('2026-02-02T08:05:00Z'));
    expect(clock!.level3NotifiedAt).toEqual(new Date('2026-02-09T07:00:00Z'));

    // Each notice is in the request's history for agents, once, by the system; customers do not see them.
    const history = async (cookie: string) =>
      ((await call(t.app, { url: `/api/requests/${r.key}`, cookie })).json().history as { field: string; at: string; actor: unknown; to: string }[])
        .filter((h) => h.field.startsWith('sla_'))
        .map((h) => ({ field: h.field, at: h.at, actor: h.actor, to: h.to }));
    const agentView = await history(agent.cookie);
    expect(agentView.filter((h) => !h.field.startsWith('sla_retarget'))).toEqual([
      { field: 'sla_warning', at: '2026-02-02T07:50:00.000Z', actor: null, to: 'engagement' },
      { field: 'sla_breach', at: '2026-02-02T08:05:00.000Z', actor: null, to: 'engagement' },
      { field: 'sla_level3', at: '2026-02-09T07:00:00.000Z', actor: null, to: 'engagement' },
    ]);
    // The lowering re-targeted both clocks, by the agent, as a change of criticality (same instant: their order is not defined).
    const retargets = agentView.filter((h) => h.field.startsWith('sla_retarget'));
    expect(retargets.map((h) => `${h.field} ${h.to}`).sort()).toEqual(['sla_retarget_criticality engagement:960', 'sla_retarget_criticality resolution:9600']);
    expect(retargets.every((h) => (h.actor as { id: string } | null)?.id === agent.id)).toBe(true);
    expect(await history(c.reporter.cookie)).toEqual([]);
  });

  it('warns the assignee only, and sends nothing for a request answered in time', async () => {
    const agent = await agentOf(t, [ids.supportId], 'Assigned Agent');
    const c = await customerOrg(t);
    t.clock.set('2026-03-02T07:00:00Z'); // Monday 2 March 08:00
    const answered = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical', summary: 'Answered in time' });
    const assigned = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical', summary: 'Assigned' });
    await call(t.app, { method: 'PATCH', url: `/api/requests/${assigned.key}`, cookie: agent.cookie, body: { assigneeId: agent.id } });
    t.clock.set('2026-03-02T07:30:00Z');
    const reply = await call(t.app, { method: 'POST', url: `/api/requests/${answered.key}/messages`, cookie: agent.cookie, body: { body: 'We are on it.' } });
    expect(reply.statusCode).toBe(201);
    t.clock.set('2026-03-02T07:50:00Z');
    await sweepThroughBoss(t.boss!);
    expect(await mailsOf(answered.key)).toEqual([]);
    expect((await mailsOf(assigned.key)).map((m) => `${m.template} ${m.to}`)).toEqual([`sla-warning ${agent.email}`]);
  });

  it('sends nothing while the resolution clock waits for the customer, and warns again for a new cycle after a reopen', async () => {
    const agent = await agentOf(t, [ids.supportId], 'Cycle Agent');
    const c = await customerOrg(t);
    const as = (cookie: string, method: 'POST' | 'PATCH', url: string, body: unknown) => call(t.app, { method, url, cookie, body });
    t.clock.set('2026-03-09T07:00:00Z'); // Monday 9 March 08:00
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, criticality: 'critical', summary: 'Cycles' });
    await as(agent.cookie, 'PATCH', `/api/requests/${r.key}`, { assigneeId: agent.id });
    t.clock.set('2026-03-09T07:10:00Z');
    await as(agent.cookie, 'POST', `/api/requests/${r.key}/messages`, { body: 'Please send the logs.' });
    t.clock.set('2026-03-09T07:20:00Z'); // resolution at 20 minutes, then paused
    expect((await as(agent.cookie, 'POST', `/api/requests/${r.key}/transitions`, { to: 'waiting_customer' })).statusCode).toBe(200);

    t.clock.set('2026-03-11T07:00:00Z'); // Wednesday 08:00: two days paused
    await sweepThroughBoss(t.boss!);
    expect(await mailsOf(r.key)).toEqual([]);

    await as(c.reporter.cookie, 'POST', `/api/requests/${r.key}/messages`, { body: 'Logs attached.' }); // resumes
    t.clock.set('2026-03-12T09:00:00Z'); // Thursday 10:00: 20 + 510 + 120 minutes, past 480, not yet 960
    await sweepThroughBoss(t.boss!);
    expect((await mailsOf(r.key)).map((m) => m.template).sort()).toEqual(['sla-breach', 'sla-warning']);

    await as(agent.cookie, 'POST', `/api/requests/${r.key}/transitions`, { to: 'resolved' });
    await as(agent.cookie, 'POST', `/api/requests/${r.key}/transitions`, { to: 'in_progress' }); // reopened: cycle 2
    t.clock.set('2026-03-13T15:30:00Z'); // Friday 16:30: cycle 2 at 810 minutes
    await sweepThroughBoss(t.boss!);
    await sweepThroughBoss(t.boss!);
    expect((await mailsOf(r.key)).map((m) => `${m.template} ${m.to}`).sort()).toEqual([
      'sla-breach head@vendor.test',
      'sla-breach head@vendor.test',
      `sla-warning ${agent.email}`,
      `sla-warning ${agent.email}`,
    ]);
    const cycles = await t.db
      .select({ cycle: slaClock.cycle, outcome: slaClock.outcome })
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, r.id), eq(slaClock.kind, 'resolution')))
      .orderBy(slaClock.cycle);
    expect(cycles).toEqual([
      { cycle: 1, outcome: 'breached' },
      { cycle: 2, outcome: null },
    ]);
  });
});
