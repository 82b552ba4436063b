/**
 * A small world for the fuzzer and the access matrix: two customer organizations, "home" (the
 * customer's) and "foreign" (another organization, whose resources the home customer must never
 * reach), each with customers, a project, a Flex contract with a purchase, a request with an
 * attachment, billed time and a reply its customer sent by e-mail; agents and administrators; saved
 * views, invitations, e-mails sent and received (one held for triage). Everything is made through the
 * API or the mail pipeline where they make it, so the ids are the real ones.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { receiveMail } from '../src/server/features/inbound/receive-mail.ts';
import { signedReplyAddress } from '../src/server/features/mail/reply-address.ts';
import { account, deskMember, desk, flexContractWindow, outbox, project, requestType, user } from '../src/server/db/schema.ts';
import type { Role } from '../src/shared/domain.ts';

export const ORIGIN = 'http://localhost:3000';
export const PASSWORD = 'Correct-horse-battery-9';

/** Who calls: nobody, or a logged-in user. `customer` belongs to the home organization, `foreignCustomer` to the other. */
export const CALLERS = ['anonymous', 'customer', 'foreignCustomer', 'agent', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

export type Person = { id: string; email: string; name: string; cookie: string };

export type Party = {
  org: { id: string; name: string };
  customer: Person;
  /** A customer of the organization whose account the fuzzer may change (admin user edits). */
  colleague: { id: string; email: string };
  projectId: string;
  windowId: string;
  request: { id: string; key: string };
  attachmentId: string;
  timeEntryId: string;
  /** The request's message that came by e-mail (its original can be read), and the received e-mail. */
  messageId: string;
  inboundId: string;
};

export type World = {
  home: Party;
  foreign: Party;
  agent: Person;
  admin: Person;
  /** Another agent: owner of a saved view that is not the caller's. */
  otherAgent: Person;
  /** The saved views of the agent, the administrator and the other agent. */
  views: { agent: string; admin: string; otherAgent: string };
  deskIds: string[];
  requestTypeIds: string[];
  invitationIds: string[];
  outboxIds: string[];
  /** Received e-mails: the parties' replies (home's, foreign's) and two held for triage. */
  inboundIds: string[];
  /** A webhook subscription and the delivery of its test ping. */
  webhookIds: string[];
  webhookDeliveryIds: string[];
  /** A staff identity provider, on a domain nobody of the world has (their passwords keep working). */
  ssoProviderIds: string[];
  /** Personal tokens of the customer and the administrator, and a service account's. */
  apiTokenIds: string[];
  serviceUserIds: string[];
  cookies: Record<Caller, string | undefined>;
  /** Logs a caller in again (after a session has been ended). */
  relogin(caller: Exclude<Caller, 'anonymous'>): Promise<void>;
};

let ipCounter = 0;
/** A client IP of its own for each log-in, so the log-in limits never refuse the world's own. */
const nextIp = () => `10.250.${Math.floor(++ipCounter / 250) % 250}.${1 + (ipCounter % 250)}`;

export function cookieOf(res: LightMyRequestResponse) {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

async function send(app: FastifyInstance, method: string, url: string, cookie: string | undefined, body?: unknown) {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  if (res.statusCode >= 300) throw new Error(`world: ${method} ${url} answered ${res.statusCode} ${res.body}`);
  return res;
}

async function login(app: FastifyInstance, email: string) {
  let res: LightMyRequestResponse;
  for (let attempt = 0; ; attempt++) {
    res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN, 'x-forwarded-for': nextIp() },
      payload: { email, password: PASSWORD },
    });
    // The fuzzer's own failed log-ins with this address have locked it for a while: let that while pass (a manual clock).
    const clock = app.ctx.clock as { advance?: (ms: number) => void };
    if (res.statusCode !== 429 || !clock.advance || attempt >= 3) break;
    clock.advance((Number(res.headers['retry-after']) || 900) * 1000 + 1000);
  }
  if (res.statusCode !== 200) throw new Error(`world: log-in of ${email} answered ${res.statusCode} ${res.body}`);
  return cookieOf(res);
}

async function createPerson(app: FastifyInstance, opts: { role: Role; name: string; organizationId?: string | null; domain?: string }) {
  const { db, auth, clock } = app.ctx;
  const id = randomUUID();
  const email = `${opts.name.toLowerCase().replace(/\W+/g, '.')}.${id.slice(0, 6)}@${opts.domain ?? 'staff.example.com'}`;
  const now = clock.now();
  const hash = await (await auth.$context).password.hash(PASSWORD);
  await db.insert(user).values({
    id,
    name: opts.name,
    email,
    emailVerified: true,
    role: opts.role,
    language: 'en',
    organizationId: opts.organizationId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await db.insert(account).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash, createdAt: now, updatedAt: now });
  return { id, email, name: opts.name };
}

/** An e-mail as a mail client writes it: plain text, with the quoted history under the reply. */
function email(opts: { from: string; fromName: string; to: string; subject: string; text: string; date: Date }) {
  return Buffer.from(
    [
      `From: ${opts.fromName} <${opts.from}>`,
      `To: ${opts.to}`,
      `Subject: ${opts.subject}`,
      `Message-ID: <${randomUUID()}@mail.example.net>`,
      `Date: ${opts.date.toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      opts.text,
      '',
    ].join('\r\n'),
  );
}

async function receive(app: FastifyInstance, raw: Buffer, expected: string) {
  const received = await receiveMail(app.ctx, raw, { source: 'smtp' });
  if (received.status !== expected) throw new Error(`world: a received e-mail became ${received.status}, not ${expected}`);
  return received.id;
}

/** A 1×1 PNG, for the attachments. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function upload(app: FastifyInstance, cookie: string) {
  const boundary = '----fuzzworld';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="screen.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/attachments',
    headers: { cookie, origin: ORIGIN, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  if (res.statusCode !== 201) throw new Error(`world: upload answered ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

export async function seedWorld(app: FastifyInstance): Promise<World> {
  const { db, clock } = app.ctx;
  const desks = await db.select().from(desk);
  const types = await db.select().from(requestType);
  const support = desks.find((d) => d.slug === 'support')!;
  const solvaFlex = types.find((r) => r.deskId === support.id && r.slug === 'solva-flex')!;

  const adminRow = await createPerson(app, { role: 'admin', name: 'Ada Admin' });
  const admin = { ...adminRow, cookie: await login(app, adminRow.email) };
  const agentRow = await createPerson(app, { role: 'agent', name: 'Alex Agent' });
  const otherAgentRow = await createPerson(app, { role: 'agent', name: 'Olga Other' });
  await db.insert(deskMember).values(desks.map((d) => ({ deskId: d.id, userId: agentRow.id })));
  const agent = { ...agentRow, cookie: await login(app, agentRow.email) };
  const otherAgent = { ...otherAgentRow, cookie: await login(app, otherAgentRow.email) };

  const year = clock.now().getUTCFullYear();
  const today = clock.now().toISOString().slice(0, 10);
  async function party(name: string): Promise<Party> {
    const domain = `${name.toLowerCase()}-${randomUUID().slice(0, 6)}.example.com`;
    const org = (await send(app, 'POST', '/api/admin/organizations', admin.cookie, { name: `${name} SA`, domains: [domain] })).json() as {
      id: string;
      name: string;
    };
    const customerRow = await createPerson(app, { role: 'customer', name: `${name} Customer`, organizationId: org.id, domain });
    const colleague = await createPerson(app, { role: 'customer', name: `${name} Colleague`, organizationId: org.id, domain });
    const customer = { ...customerRow, cookie: await login(app, customerRow.email) };
    const [window] = await db
      .insert(flexContractWindow)
      .values({ organizationId: org.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` })
      .returning();
    const [p] = await db
      .insert(project)
      .values({ organizationId: org.id, name: `${name} rollout`, code: name.slice(0, 3).toUpperCase() })
      .returning();
    await send(app, 'POST', `/api/admin/organizations/${org.id}/flex-purchases`, admin.cookie, { purchasedOn: today, hours: 10, reference: `PO-${name}` });
    const attachmentId = await upload(app, customer.cookie);
    const request = (
      await send(app, 'POST', '/api/requests', customer.cookie, {
        requestTypeId: solvaFlex.id,
        summary: `${name}: invoices do not print`,
        description: `Only ${name} may read this.`,
        criticality: 'high',
        attachmentIds: [attachmentId],
      })
    ).json() as { id: string; key: string };
    await send(app, 'POST', `/api/requests/${request.key}/messages`, customer.cookie, { body: `A reply from ${name}.` });
    // A reply by e-mail to the request's signed reply address, as its notifications carry it.
    const inboundId = await receive(
      app,
      email({
        from: customer.email,
        fromName: customer.name,
        to: signedReplyAddress(app.ctx.mail.replyTo, app.ctx.mail.replySecret, request.key, customer.email),
        subject: `Re: [${request.key}] ${name}: invoices do not print`,
        date: clock.now(),
        text: `Only ${name} may read this, sent by e-mail.\n\nOn Monday, Customer Services wrote:\n> Could you send us the invoice number?`,
      }),
      'processed',
    );
    const page = (await send(app, 'GET', `/api/requests/${request.key}`, customer.cookie)).json() as { messages: { id: string; byEmail: boolean }[] };
    const messageId = page.messages.find((m) => m.byEmail)?.id;
    if (!messageId) throw new Error(`world: the e-mail to ${request.key} posted no message`);
    const entry = (
      await send(app, 'POST', `/api/requests/${request.key}/time-entries`, agent.cookie, {
        minutes: 30,
        workedOn: today,
        description: `${name} analysis`,
        billable: true,
      })
    ).json() as { id: string };
    return { org, customer, colleague, projectId: p!.id, windowId: window!.id, request, attachmentId, timeEntryId: entry.id, messageId, inboundId };
  }
  const home = await party('Home');
  const foreign = await party('Foreign');

  const view = async (who: Person) =>
    (await send(app, 'POST', '/api/views', who.cookie, { name: `${who.name}'s view`, query: 'status=open' })).json().id as string;
  const views = { agent: await view(agent), admin: await view(admin), otherAgent: await view(otherAgent) };

  const invitationIds: string[] = [];
  for (const party of [home, foreign]) {
    const domain = (await send(app, 'GET', `/api/admin/organizations/${party.org.id}`, admin.cookie)).json().domains[0] as string;
    const res = await send(app, 'POST', '/api/admin/invitations', admin.cookie, {
      email: `invited.${randomUUID().slice(0, 6)}@${domain}`,
      name: 'Invited',
      organizationId: party.org.id,
    });
    invitationIds.push(res.json().id);
  }
  const outboxIds = (await db.select({ id: outbox.id }).from(outbox)).map((r) => r.id);
  // Mail from someone the portal does not know, to the support address: held for an agent to triage.
  const held: string[] = [];
  for (const n of [1, 2]) {
    const raw = email({
      from: `stranger.${n}.${randomUUID().slice(0, 6)}@unknown.example.net`,
      fromName: `Stranger ${n}`,
      to: app.ctx.mail.replyTo,
      subject: `Our printer is broken (${n})`,
      text: 'Hello, since this morning nothing prints. Can you help?',
      date: clock.now(),
    });
    held.push(await receive(app, raw, 'triage'));
  }

  // Three of each resource a case may delete: one deleted early leaves the others to reach.
  const webhookIds: string[] = [];
  const webhookDeliveryIds: string[] = [];
  const ssoProviderIds: string[] = [];
  for (const n of [1, 2, 3]) {
    const webhook = await send(app, 'POST', '/api/admin/webhooks', admin.cookie, {
      url: `https://erp${n}.example.com/guichet-events`,
      events: ['request.created', 'message.created'],
    });
    if (webhook.statusCode !== 201) throw new Error(`webhook: ${webhook.statusCode} ${webhook.body}`);
    const webhookId = webhook.json().id as string;
    webhookIds.push(webhookId);
    await send(app, 'POST', `/api/admin/webhooks/${webhookId}/ping`, admin.cookie, {});
    const deliveries = (await send(app, 'GET', `/api/admin/webhooks/${webhookId}/deliveries`, admin.cookie)).json().items as { id: string }[];
    webhookDeliveryIds.push(...deliveries.map((d) => d.id));
    const sso = await send(app, 'POST', '/api/admin/sso-providers', admin.cookie, {
      protocol: 'oidc',
      organizationId: null,
      forStaff: true,
      domain: `staff-${n}-${randomUUID().slice(0, 6)}.example`,
      issuer: 'https://idp.example',
      clientId: 'guichet',
      clientSecret: 'a-client-secret-of-the-provider',
    });
    if (sso.statusCode !== 201) throw new Error(`sso provider: ${sso.statusCode} ${sso.body}`);
    ssoProviderIds.push(sso.json().id as string);
  }
  const token = async (cookie: string | undefined, scopes: string[]) => {
    const res = await send(app, 'POST', '/api/me/api-tokens', cookie, { name: 'Fuzz', scopes });
    if (res.statusCode !== 201) throw new Error(`api token: ${res.statusCode} ${res.body}`);
    return res.json().token.id as string;
  };
  const serviceUser = (await send(app, 'POST', '/api/admin/service-users', admin.cookie, { name: 'ERP connector', role: 'agent' })).json().id as string;
  const serviceToken = (
    await send(app, 'POST', `/api/admin/service-users/${serviceUser}/api-tokens`, admin.cookie, { name: 'sync', scopes: ['requests:read'] })
  ).json().token.id as string;

  const world: World = {
    home,
    foreign,
    agent,
    admin,
    otherAgent,
    views,
    deskIds: desks.map((d) => d.id),
    requestTypeIds: types.map((r) => r.id),
    invitationIds,
    outboxIds,
    inboundIds: [home.inboundId, foreign.inboundId, ...held],
    webhookIds,
    webhookDeliveryIds,
    ssoProviderIds,
    apiTokenIds: [
      await token(home.customer.cookie, ['requests:read']),
      await token(agent.cookie, ['requests:read', 'requests:write']),
      await token(admin.cookie, ['requests:read', 'admin']),
      serviceToken,
    ],
    serviceUserIds: [serviceUser],
    cookies: { anonymous: undefined, customer: home.customer.cookie, foreignCustomer: foreign.customer.cookie, agent: agent.cookie, admin: admin.cookie },
    async relogin(caller) {
      const person = { customer: home.customer, foreignCustomer: foreign.customer, agent, admin }[caller];
      person.cookie = await login(app, person.email);
      world.cookies[caller] = person.cookie;
    },
  };
  return world;
}
