/**
 * The import from Jira Service Management (issue 18) end to end, against a fake JSM Cloud serving
 * the documented shapes (tests/support/jsm-server.ts): proposal and mapping through the API, a dry
 * run, a full import, a second run changing nothing, changes in JSM picked up, 429 and 500 got
 * past, an internal comment invisible to the customer, and no e-mail. Waits go through an injected
 * sleep: nothing here waits for real.
 */
import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsmImport, JsmMapping } from '#shared/jsm-import-api.ts';
import {
  account,
  attachment,
  desk,
  jsmImport,
  jsmLink,
  organization,
  organizationDomain,
  outbox,
  slaClock,
  slaClockEvent,
  ticket,
  ticketEvent,
  ticketLifecycle,
  ticketMessage,
  user,
  webhookDelivery,
} from '../../db/schema.ts';
import { FAKE_JSM_EMAIL, FAKE_JSM_TOKEN, sampleWorld, startJsmServer, type JsmServerControl } from '../../../../tests/support/jsm-server.ts';
import { call, createTestApp, login, loginAs, TEST_PASSWORD, type TestApp } from '../../../../tests/support/test-app.ts';
import { runLifecycleSweep } from '../lifecycle/sweep.job.ts';
import { runSlaSweep } from '../sla/sweep.job.ts';
import { createJsmClient } from './jsm-client.ts';
import { runImport, type RunDeps } from './run-import.ts';

let t: TestApp;
let jsm: JsmServerControl;
let admin: Awaited<ReturnType<typeof loginAs>>;
const sleeps: number[] = [];
const ATTACHMENT_MAX = 256 * 1024;

const deps = (extra: Partial<RunDeps> = {}): RunDeps => ({
  db: t.db,
  clock: t.clock,
  config: { ...t.ctx.config, attachmentMaxBytes: ATTACHMENT_MAX },
  client: (row, hooks) =>
    createJsmClient({
      site: row.site,
      email: row.email,
      token: FAKE_JSM_TOKEN,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...hooks,
      ...(extra.signal ? { signal: extra.signal } : {}),
    }),
  ...extra,
});

/** The proposal completed the way an administrator would: every request type and SLA mapped. */
function completed(mapping: JsmMapping): JsmMapping {
  return {
    ...mapping,
    requestTypes: mapping.requestTypes.map((rt) => ({
      ...rt,
      requestType: rt.requestType ?? (rt.serviceDeskId === '1' ? (rt.name.includes('Flex') ? 'solva-flex' : 'assistance') : 'project-request'),
    })),
    slas: mapping.slas.map((s) => ({ ...s, clock: s.clock ?? 'ignore' })),
  };
}

async function createImport(): Promise<JsmImport> {
  const res = await call(t.app, {
    method: 'POST',
    url: '/api/admin/jsm-imports',
    cookie: admin.cookie,
    body: { site: jsm.url, email: FAKE_JSM_EMAIL, token: FAKE_JSM_TOKEN },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function mapAndStart(id: string, mapping: JsmMapping, dryRun = false): Promise<void> {
  const put = await call(t.app, { method: 'PUT', url: `/api/admin/jsm-imports/${id}/mapping`, cookie: admin.cookie, body: { mapping } });
  expect(put.statusCode, put.body).toBe(200);
  expect(put.json().unmapped).toEqual([]);
  const start = await call(t.app, { method: 'POST', url: `/api/admin/jsm-imports/${id}/start`, cookie: admin.cookie, body: { dryRun } });
  expect(start.statusCode, start.body).toBe(202);
  expect(start.json().status).toBe('queued');
}

const report = async (id: string): Promise<JsmImport> =>
  (await call(t.app, { method: 'GET', url: `/api/admin/jsm-imports/${id}`, cookie: admin.cookie })).json();
const countOf = (r: JsmImport, kind: string) => r.counts.find((c) => c.kind === kind) ?? { created: 0, updated: 0, unchanged: 0, refused: 0 };

async function tableCounts() {
  const n = async (table: Parameters<ReturnType<typeof t.db.select>['from']>[0]) => (await t.db.select({ n: count() }).from(table))[0]!.n;
  return {
    tickets: await n(ticket),
    messages: await n(ticketMessage),
    events: await n(ticketEvent),
    clocks: await n(slaClock),
    clockEvents: await n(slaClockEvent),
    attachments: await n(attachment),
    users: await n(user),
    organizations: await n(organization),
    links: await n(jsmLink),
  };
}

beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-12-01T10:00:00Z', env: { JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1' } });
  jsm = await startJsmServer(sampleWorld());
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await jsm?.close();
  await t?.close();
});

describe('preparing an import', () => {
  it('refuses a site that is not https on a public address, naming the field', async () => {
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/admin/jsm-imports',
      cookie: admin.cookie,
      body: { site: 'http://10.0.0.5', email: FAKE_JSM_EMAIL, token: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'jsm_import.site_invalid', field: 'site' });
  });

  it('refuses a site whose name leads to a private address, when it connects', async () => {
    const port = new URL(jsm.url).port;
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/admin/jsm-imports',
      cookie: admin.cookie,
      body: { site: `https://localhost:${port}`, email: FAKE_JSM_EMAIL, token: 'x' },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'jsm_import.unreachable', field: 'site' });
    // Refused at the DNS lookup: no connection was made.
    expect(res.json().message).toContain('refused address');
  });

  it('refuses credentials JSM refuses, naming the token', async () => {
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/admin/jsm-imports',
      cookie: admin.cookie,
      body: { site: jsm.url, email: FAKE_JSM_EMAIL, token: 'wrong' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'jsm_import.auth_failed', field: 'token' });
  });

  it('is for administrators only', async () => {
    const agent = await loginAs(t, 'agent');
    const res = await call(t.app, { method: 'GET', url: '/api/admin/jsm-imports', cookie: agent.cookie });
    expect(res.statusCode).toBe(403);
  });

  it('proposes a mapping, and refuses to start while anything is unmapped, with the list', async () => {
    const draft = await createImport();
    expect(draft.status).toBe('draft');
    expect(draft).not.toHaveProperty('token');
    expect(JSON.stringify(draft)).not.toContain(FAKE_JSM_TOKEN);
    expect(draft.mapping.serviceDesks.map((sd) => [sd.projectKey, sd.desk])).toEqual([
      ['SUP', 'support'],
      ['CON', 'consulting'],
    ]);
    expect(draft.mapping.priorities.find((p) => p.name === 'Highest')?.criticality).toBe('critical');
    expect(draft.mapping.statuses.find((s) => s.name === 'Waiting for customer')?.status).toBe('waiting_customer');
    expect(draft.mapping.slas.find((s) => s.name === 'Time to first response')?.clock).toBe('engagement');
    expect(draft.unmapped.some((u) => u.kind === 'request_type' && u.name === 'Get IT help')).toBe(true);
    const start = await call(t.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/start`, cookie: admin.cookie, body: { dryRun: false } });
    expect(start.statusCode).toBe(409);
    expect(start.json()).toMatchObject({ code: 'jsm_import.unmapped', field: 'mapping' });
    expect(start.json().message).toContain('Get IT help');
    // Nothing was written but the draft.
    expect((await t.db.select({ n: count() }).from(jsmLink))[0]!.n).toBe(0);
    const wrong = completed(draft.mapping);
    wrong.requestTypes[0]!.requestType = 'no-such-type';
    const put = await call(t.app, { method: 'PUT', url: `/api/admin/jsm-imports/${draft.id}/mapping`, cookie: admin.cookie, body: { mapping: wrong } });
    expect(put.json().unmapped).toEqual([expect.objectContaining({ kind: 'request_type', reason: 'unknown_target' })]);
  });
});

describe('a dry run, then the import, then the same again', () => {
  let id: string;
  let mapping: JsmMapping;
  let before: Awaited<ReturnType<typeof tableCounts>>;

  beforeAll(async () => {
    const draft = await createImport();
    id = draft.id;
    mapping = completed(draft.mapping);
    before = await tableCounts();
  });

  it('a dry run reports what would be created and refused, and writes nothing', async () => {
    await mapAndStart(id, mapping, true);
    expect(await runImport(deps(), id)).toBe('completed');
    const r = await report(id);
    expect(r.dryRun).toBe(true);
    expect(countOf(r, 'request').created).toBe(6);
    // Acme, Globex, Initech, and one for the customer JSM has in no organization.
    expect(countOf(r, 'organization').created).toBe(4);
    expect(r.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'organization_created', label: 'Dana Solo' })]));
    expect(r.refusals.map((x) => x.code)).toContain('attachment_too_large');
    const after = await tableCounts();
    expect(after).toEqual(before);
    expect(await t.db.select().from(ticket).where(eq(ticket.key, 'SUP-1'))).toEqual([]);
  });

  it('imports requests, people, conversations, history, attachments and SLA history, sending nothing', async () => {
    sleeps.length = 0;
    jsm.failNext('/rest/api/3/search/jql', { status: 429, headers: { 'Retry-After': '7' } }, 1);
    jsm.failNext('/rest/servicedeskapi/request/SUP-2', { status: 500, body: 'oops' }, 1);
    await mapAndStart(id, mapping);
    expect(await runImport(deps(), id)).toBe('completed');
    const r = await report(id);
    expect(r.status).toBe('completed');
    expect(r.error).toBeNull();
    expect(countOf(r, 'request')).toMatchObject({ created: 6, refused: 0 });
    expect(r.requestsDone).toBe(6);
    // JSM's 429 was honoured for the seconds it asked, and shown.
    expect(sleeps).toContain(7000);
    expect(r.rateLimit).toMatchObject({ waits: 1, waitedSeconds: 7 });

    // Keys kept; the moved request is where JSM has it now; the counters continue after the highest key.
    const tickets = await t.db.select().from(ticket);
    const byKey = new Map(tickets.map((x) => [x.key, x]));
    expect([...byKey.keys()].sort()).toEqual(['CON-1', 'CON-2', 'SUP-1', 'SUP-2', 'SUP-3', 'SUP-5']);
    const desks = new Map((await t.db.select().from(desk)).map((d) => [d.slug, d]));
    expect(byKey.get('CON-1')!.deskId).toBe(desks.get('consulting')!.id);
    expect(desks.get('support')!.nextNumber).toBe(6);
    expect(desks.get('consulting')!.nextNumber).toBe(3);
    const moved = await t.db
      .select()
      .from(ticketEvent)
      .where(and(eq(ticketEvent.ticketId, byKey.get('CON-1')!.id), eq(ticketEvent.field, 'desk')));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.reason).toContain('SUP-4');

    // Mapped fields, and dates from JSM.
    const sup1 = byKey.get('SUP-1')!;
    expect(sup1).toMatchObject({ status: 'resolved', criticality: 'high' });
    expect(sup1.createdAt.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(sup1.description).toContain('`E42`');
    expect(byKey.get('SUP-3')!.status).toBe('waiting_customer');

    // People without passwords; the customer of two organizations kept in one, and reported.
    const claire = (await t.db.select().from(user).where(eq(user.email, 'claire@acme.example')))[0]!;
    expect(claire.role).toBe('customer');
    expect(await t.db.select().from(account).where(eq(account.userId, claire.id))).toEqual([]);
    const alice = (await t.db.select().from(user).where(eq(user.email, 'alice@solva.example')))[0]!;
    expect(alice.role).toBe('agent');
    expect(sup1.assigneeId).toBe(alice.id);
    expect(r.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'several_organizations', label: 'Bob Both' })]));
    expect(r.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'no_email' })]));
    const acme = (await t.db.select().from(organization).where(eq(organization.name, 'Acme')))[0]!;
    const domains = await t.db.select().from(organizationDomain).where(eq(organizationDomain.organizationId, acme.id));
    expect(domains.map((d) => d.domain)).toEqual(['acme.example']);

    // Attachments checked like uploads: the one over the limit refused, the others stored.
    const files = await t.db.select().from(attachment).where(eq(attachment.ticketId, sup1.id));
    expect(files.map((f) => f.fileName).sort()).toEqual(['report.pdf', 'screenshot.png']);
    expect(r.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'attachment_too_large', label: 'SUP-1: big.log' })]));

    // SLA: completed cycles judged as JSM judged them, with JSM's elapsed time; the report covers them.
    const clocks = await t.db.select().from(slaClock).where(eq(slaClock.ticketId, sup1.id));
    expect(clocks.map((c) => [c.kind, c.outcome]).sort()).toEqual([
      ['engagement', 'met'],
      ['resolution', 'breached'],
    ]);
    const slaReport = await call(t.app, { method: 'GET', url: '/api/admin/sla/report?from=2026-03&to=2026-03', cookie: admin.cookie });
    expect(slaReport.statusCode, slaReport.body).toBe(200);
    const rows = slaReport.json().rows;
    expect(rows.reduce((n: number, row: { engagementMet: number }) => n + row.engagementMet, 0)).toBeGreaterThanOrEqual(1);
    expect(rows.reduce((n: number, row: { resolutionBreached: number }) => n + row.resolutionBreached, 0)).toBeGreaterThanOrEqual(1);
    expect(rows.find((row: { averageResolutionMinutes: number | null }) => row.averageResolutionMinutes === 900)).toBeDefined();

    // An open request's clock runs on under Guichet's calendar; the paused one stays paused.
    const running = await t.db
      .select()
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, byKey.get('SUP-2')!.id), eq(slaClock.kind, 'resolution')));
    expect(running).toHaveLength(1);
    expect(running[0]!.stoppedAt).toBeNull();
    expect(running[0]!.deadline).not.toBeNull();
    const paused = await t.db
      .select()
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, byKey.get('SUP-3')!.id), eq(slaClock.kind, 'resolution')));
    expect(paused[0]!.pausedAt).not.toBeNull();

    // Waiting and resolved requests count down from the import, not from JSM's dates.
    const countdowns = await t.db.select().from(ticketLifecycle);
    for (const c of countdowns) expect(c.since!.getTime()).toBe(t.clock.now().getTime());
    expect(countdowns.length).toBeGreaterThanOrEqual(2);

    // No e-mail and no webhook for any of it, nor for the past once the sweeps run.
    await runSlaSweep({ db: t.db, clock: t.clock, mail: t.ctx.mail, config: t.ctx.config } as Parameters<typeof runSlaSweep>[0]);
    await runLifecycleSweep({ db: t.db, clock: t.clock, mail: t.ctx.mail, config: t.ctx.config } as Parameters<typeof runLifecycleSweep>[0]);
    expect(await t.db.select().from(outbox)).toEqual([]);
    expect(await t.db.select().from(webhookDelivery)).toEqual([]);
  });

  it('keeps internal comments internal: the customer never sees them', async () => {
    const [claire] = await t.db.select().from(user).where(eq(user.email, 'claire@acme.example'));
    const hash = await (await t.ctx.auth.$context).password.hash(TEST_PASSWORD);
    const now = t.clock.now();
    await t.db
      .insert(account)
      .values({ id: randomUUID(), accountId: claire!.id, providerId: 'credential', userId: claire!.id, password: hash, createdAt: now, updatedAt: now });
    const cookie = await login(t, 'claire@acme.example');
    const [sup1] = await t.db.select().from(ticket).where(eq(ticket.key, 'SUP-1'));
    const internal = await t.db
      .select()
      .from(ticketMessage)
      .where(and(eq(ticketMessage.ticketId, sup1!.id), eq(ticketMessage.visibility, 'internal')));
    expect(internal.length).toBeGreaterThan(0);
    const asCustomer = await call(t.app, { method: 'GET', url: '/api/requests/SUP-1', cookie });
    expect(asCustomer.statusCode, asCustomer.body).toBe(200);
    const body = asCustomer.body;
    for (const note of internal) expect(body).not.toContain(note.body.slice(0, 30));
    const asAdmin = await call(t.app, { method: 'GET', url: '/api/requests/SUP-1', cookie: admin.cookie });
    expect(asAdmin.body).toContain(internal[0]!.body.slice(0, 30));
    // The customer's search does not find the request by a word of an internal note; an agent's does.
    const search = (cookieOf: string, scope: string, q = 'supplier') =>
      call(t.app, { method: 'GET', url: `/api/requests?scope=${scope}&q=${q}`, cookie: cookieOf });
    expect((await search(cookie, 'organization', 'jammed')).body).toContain('SUP-1');
    const customerSearch = await search(cookie, 'organization');
    expect(customerSearch.statusCode, customerSearch.body).toBe(200);
    expect(customerSearch.body).not.toContain('SUP-1');
    const staffSearch = await search(admin.cookie, 'desks');
    expect(staffSearch.body).toContain('SUP-1');
  });

  it('a second run changes nothing and duplicates nothing', async () => {
    const first = await tableCounts();
    await mapAndStart(id, mapping);
    expect(await runImport(deps(), id)).toBe('completed');
    const r = await report(id);
    expect(countOf(r, 'request')).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
    for (const c of r.counts) expect(c.created, c.kind).toBe(0);
    expect(await tableCounts()).toEqual(first);
  });

  it('a run after changes in JSM updates and adds, without duplicates', async () => {
    const first = await tableCounts();
    const sup2 = jsm.world.issues.find((i) => i.key === 'SUP-2')!;
    sup2.summary = 'Use 4 Flex hours for the migration';
    sup2.updated = '2026-11-30T10:00:00.000+0000';
    sup2.comments.push({
      id: '99001',
      author: 'agent-alice',
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Four hours it is.' }] }] },
      created: '2026-11-30T10:00:00.000+0000',
      jsdPublic: true,
    });
    // Claire changes her name in JSM.
    jsm.world.users.find((u) => u.accountId === 'cust-claire')!.displayName = 'Claire Cliente';
    // SUP-3 moves to the consulting project in JSM between the two runs: it becomes CON-3.
    const sup3 = jsm.world.issues.find((i) => i.key === 'SUP-3')!;
    const [before3] = await t.db.select().from(ticket).where(eq(ticket.key, 'SUP-3'));
    Object.assign(sup3, { key: 'CON-3', projectKey: 'CON', serviceDeskId: '2', requestTypeId: '20', updated: '2026-11-30T11:00:00.000+0000' });
    sup3.changelog.push({
      id: '99002',
      author: 'agent-alice',
      created: '2026-11-30T11:00:00.000+0000',
      items: [{ field: 'Key', fieldtype: 'jira', from: null, fromString: 'SUP-3', to: null, toString: 'CON-3' }],
    });
    await mapAndStart(id, mapping);
    expect(await runImport(deps(), id)).toBe('completed');
    const r = await report(id);
    expect(countOf(r, 'request')).toMatchObject({ created: 0, updated: 2, unchanged: 4 });
    const [after3] = await t.db.select().from(ticket).where(eq(ticket.id, before3!.id));
    expect(after3!.key).toBe('CON-3');
    const consulting = (await t.db.select().from(desk).where(eq(desk.slug, 'consulting')))[0]!;
    expect(after3!.deskId).toBe(consulting.id);
    expect(consulting.nextNumber).toBe(4);
    expect(await t.db.select().from(ticket).where(eq(ticket.key, 'SUP-3'))).toEqual([]);
    expect(countOf(r, 'comment').created).toBe(1);
    expect(countOf(r, 'customer').updated).toBe(1);
    const [claire] = await t.db.select().from(user).where(eq(user.email, 'claire@acme.example'));
    expect(claire!.name).toBe('Claire Cliente');
    const after = await tableCounts();
    expect(after.tickets).toBe(first.tickets);
    expect(after.messages).toBe(first.messages + 1);
    const [row] = await t.db.select().from(ticket).where(eq(ticket.key, 'SUP-2'));
    expect(row!.summary).toBe('Use 4 Flex hours for the migration');
  });
});

describe('pause and resume', () => {
  it('a pause stops after the request in hand; a resume continues where it stopped', async () => {
    const site = await startJsmServer(sampleWorld());
    try {
      const other = await createTestApp({ clockStart: '2026-12-01T10:00:00Z', env: { JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1' } });
      try {
        const otherAdmin = await loginAs(other, 'admin');
        const res = await call(other.app, {
          method: 'POST',
          url: '/api/admin/jsm-imports',
          cookie: otherAdmin.cookie,
          body: { site: site.url, email: FAKE_JSM_EMAIL, token: FAKE_JSM_TOKEN },
        });
        const draft = res.json() as JsmImport;
        await call(other.app, {
          method: 'PUT',
          url: `/api/admin/jsm-imports/${draft.id}/mapping`,
          cookie: otherAdmin.cookie,
          body: { mapping: completed(draft.mapping) },
        });
        await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/start`, cookie: otherAdmin.cookie, body: { dryRun: false } });
        let requests = 0;
        const otherDeps: RunDeps = {
          db: other.db,
          clock: other.clock,
          config: { ...other.ctx.config, attachmentMaxBytes: ATTACHMENT_MAX },
          client: (row, hooks) => {
            const client = createJsmClient({ site: row.site, email: row.email, token: FAKE_JSM_TOKEN, sleep: async () => {}, ...hooks });
            return {
              ...client,
              // The administrator presses Pause while the third request is being read.
              request: async (key: string) => {
                if (++requests === 3) {
                  const pause = await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/pause`, cookie: otherAdmin.cookie });
                  expect(pause.json().status).toBe('pausing');
                }
                return client.request(key);
              },
            };
          },
        };
        expect(await runImport(otherDeps, draft.id)).toBe('paused');
        const paused = (await other.db.select().from(jsmImport).where(eq(jsmImport.id, draft.id)))[0]!;
        expect(paused.status).toBe('paused');
        expect(paused.requestsDone).toBe(3);
        expect((await other.db.select({ n: count() }).from(ticket))[0]!.n).toBe(3);
        const resume = await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/resume`, cookie: otherAdmin.cookie });
        expect(resume.statusCode).toBe(202);
        expect(await runImport(otherDeps, draft.id)).toBe('completed');
        const done = (await other.db.select().from(jsmImport).where(eq(jsmImport.id, draft.id)))[0]!;
        expect(done.requestsDone).toBe(6);
        expect((await other.db.select({ n: count() }).from(ticket))[0]!.n).toBe(6);
        expect(done.counts.request).toMatchObject({ created: 6, unchanged: 0 });
      } finally {
        await other.close();
      }
    } finally {
      await site.close();
    }
  });
});

describe('a run killed mid-way', () => {
  it('continues where it stopped when run again, and duplicates nothing', async () => {
    const site = await startJsmServer(sampleWorld());
    const other = await createTestApp({ clockStart: '2026-12-01T10:00:00Z', env: { JSM_IMPORT_ALLOWED_HOSTS: '127.0.0.1' } });
    try {
      const otherAdmin = await loginAs(other, 'admin');
      const draft = (
        await call(other.app, {
          method: 'POST',
          url: '/api/admin/jsm-imports',
          cookie: otherAdmin.cookie,
          body: { site: site.url, email: FAKE_JSM_EMAIL, token: FAKE_JSM_TOKEN },
        })
      ).json() as JsmImport;
      await call(other.app, {
        method: 'PUT',
        url: `/api/admin/jsm-imports/${draft.id}/mapping`,
        cookie: otherAdmin.cookie,
        body: { mapping: completed(draft.mapping) },
      });
      await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/start`, cookie: otherAdmin.cookie, body: { dryRun: false } });
      const runDeps = (signal?: AbortSignal): RunDeps => ({
        db: other.db,
        clock: other.clock,
        config: { ...other.ctx.config, attachmentMaxBytes: ATTACHMENT_MAX },
        client: (row, hooks) =>
          createJsmClient({ site: row.site, email: row.email, token: FAKE_JSM_TOKEN, sleep: async () => {}, ...hooks, ...(signal ? { signal } : {}) }),
        ...(signal ? { signal } : {}),
      });
      // The process dies while JSM is answering about the fourth request's changelog.
      const kill = new AbortController();
      const seen = new Set<string>();
      site.onRequest = (_method, path) => {
        const key = /\/issue\/([^/]+)\/changelog/.exec(path)?.[1];
        if (key) seen.add(key);
        if (seen.size === 4) kill.abort(new Error('killed'));
      };
      await expect(runImport(runDeps(kill.signal), draft.id)).rejects.toThrow();
      site.onRequest = null;
      const killed = (await other.db.select().from(jsmImport).where(eq(jsmImport.id, draft.id)))[0]!;
      expect(killed.status).toBe('running');
      expect(killed.phase).toBe('requests');
      expect(killed.requestsDone).toBe(3);
      expect((await other.db.select({ n: count() }).from(ticket))[0]!.n).toBe(3);

      // Resume is refused while the run may still be alive, and allowed once its heartbeat is old.
      const early = await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/resume`, cookie: otherAdmin.cookie });
      expect(early.statusCode).toBe(409);
      other.clock.advance(11 * 60_000);
      const late = await call(other.app, { method: 'POST', url: `/api/admin/jsm-imports/${draft.id}/resume`, cookie: otherAdmin.cookie });
      expect(late.statusCode, late.body).toBe(202);
      // The same run again (the job's retry, or the command run again) takes it over.
      expect(await runImport(runDeps(), draft.id)).toBe('completed');
      const done = (await other.db.select().from(jsmImport).where(eq(jsmImport.id, draft.id)))[0]!;
      expect(done.requestsDone).toBe(6);
      expect(done.counts.request).toMatchObject({ created: 6, unchanged: 0 });
      const keys = (await other.db.select({ key: ticket.key }).from(ticket)).map((r) => r.key).sort();
      expect(keys).toEqual(['CON-1', 'CON-2', 'SUP-1', 'SUP-2', 'SUP-3', 'SUP-5']);
      // As many comments as a run never interrupted writes: the killed request's transaction left nothing.
      const messages = (await other.db.select({ n: count() }).from(ticketMessage))[0]!.n;
      const expected = site.world.issues.filter((i) => i.serviceDeskId).reduce((n, i) => n + i.comments.length, 0);
      expect(messages).toBe(expected);
    } finally {
      await other.close();
      await site.close();
    }
  });
});
