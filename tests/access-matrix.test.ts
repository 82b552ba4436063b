/**
 * Every operation of the OpenAPI document × every caller, aimed at a resource of another
 * organization (tests/authorization.test.ts checks the access levels; this checks whose resources).
 * A customer of the home organization is refused (and reads nothing of the foreign organization)
 * whether the foreign resource is in the path, the body or the query; anonymous callers are refused
 * everything but the public operations, which show nothing of it either. Agents and administrators
 * serve every organization: their reach across organizations is by design, and the test checks
 * that they do reach the foreign resources (so that the customer's refusals are about the
 * organization, not a wrong id). Every operation is classified below; a new one fails the test
 * until it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idKind, operationName, operationsOf, type OpenApi, type Operation } from '../fuzz/generate.ts';
import { ORIGIN, seedWorld, type World } from '../fuzz/world.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/** One request at a foreign resource: path parameters (default: every one foreign), body, query. */
type Variant = {
  label: string;
  params?: (w: World) => Record<string, string>;
  body?: (w: World) => unknown;
  query?: (w: World) => Record<string, string>;
};
type Rule =
  /** The operation addresses one organization's resource: the customer of another is refused. */
  | { kind: 'scoped'; variants?: Variant[]; body?: (w: World) => unknown }
  /** A list or an action whose filter or body may name a foreign resource: answered, but with nothing of it. */
  | { kind: 'filtered'; variants: Variant[] }
  /** No organization's resource can be named: why. */
  | { kind: 'unscoped'; reason: string };

const scoped = (extra: Omit<Extract<Rule, { kind: 'scoped' }>, 'kind'> = {}): Rule => ({ kind: 'scoped', ...extra });
const unscoped = (reason: string): Rule => ({ kind: 'unscoped', reason });
const CATALOGUE = 'desks, request types and the SLA calendar belong to no organization (administrators only)';
const OWN = "the caller's own account or notifications, found from the session";
const TOKEN = 'public, reached by a secret token only (no organization id is accepted)';
const SERVICE = 'API tokens and service accounts belong to people, not to an organization (administrators only)';
const ADMIN_LIST = 'a list across organizations for administrators or agents, who serve every organization (customers are refused by the access level)';
const INBOUND_LOG = 'a received e-mail of the inbound log, from any sender, belongs to no organization (administrators only)';
const WEBHOOKS = 'webhook subscriptions and their deliveries, about every organization (administrators only)';
const JSM_IMPORT = 'an import from Jira Service Management brings every organization at once (administrators only)';
const TRIAGE = 'an e-mail held for triage comes from an unknown sender and belongs to no organization (Customer Services only; agents see their desks’)';

const SSO_ADMIN = 'identity providers are configured by administrators only (customers are refused by the access level)';

const home = (w: World) => w.home;
const foreign = (w: World) => w.foreign;
const reply = () => ({ body: 'A reply.' });
const followUp = () => ({ summary: 'Follow-up', description: 'More', criticality: 'low' });

const RULES: Record<string, Rule> = {
  'GET /api/health': unscoped('the service status'),
  'POST /api/auth/sign-up/email': unscoped('the organization comes from the e-mail domain, never from the caller'),
  'POST /api/auth/sign-in/email': unscoped(OWN),
  'POST /api/auth/sign-out': unscoped(OWN),
  'GET /api/auth/verify-email': unscoped(TOKEN),
  'POST /api/auth/send-verification-email': unscoped('the same answer for any address'),
  'POST /api/auth/request-password-reset': unscoped('the same answer for any address'),
  'GET /api/auth/reset-password/{token}': unscoped(TOKEN),
  'POST /api/auth/reset-password': unscoped(TOKEN),
  'POST /api/auth/change-password': unscoped(OWN),
  'POST /api/auth/two-factor/enable': unscoped(OWN),
  'POST /api/auth/two-factor/verify-totp': unscoped('the account is the one of the session or of the log-in in progress (its cookie)'),
  'POST /api/auth/two-factor/verify-backup-code': unscoped('the account is the one of the session or of the log-in in progress (its cookie)'),
  'POST /api/auth/two-factor/generate-backup-codes': unscoped(OWN),
  'POST /api/auth/two-factor/disable': unscoped(OWN),
  'GET /api/admin/security-settings': unscoped('installation-wide settings (administrators only)'),
  'PATCH /api/admin/security-settings': unscoped('installation-wide settings (administrators only)'),
  'POST /api/auth/sign-in/sso': unscoped('the identity provider comes from the e-mail domain, never from the caller'),
  'GET /api/auth/sso/callback/{providerId}': unscoped('an identity provider’s answer, bound to the sign-in it started (state)'),
  'GET /api/auth/sso/saml2/sp/metadata': unscoped('the public description of Guichet as a SAML service provider'),
  'POST /api/auth/sso/saml2/sp/acs/{providerId}': unscoped('a signed assertion of the identity provider, bound to the sign-in it started'),
  'GET /api/sso/lookup': unscoped('whether a domain signs in through an identity provider, nothing of its organization'),
  'GET /api/admin/sso-providers': unscoped(SSO_ADMIN),
  'POST /api/admin/sso-providers': unscoped(SSO_ADMIN),
  'GET /api/admin/sso-providers/{id}': unscoped(SSO_ADMIN),
  'PATCH /api/admin/sso-providers/{id}': unscoped(SSO_ADMIN),
  'DELETE /api/admin/sso-providers/{id}': unscoped(SSO_ADMIN),
  'GET /api/me': unscoped(OWN),
  'PATCH /api/me': unscoped(OWN),
  'GET /api/me/api-tokens': unscoped(OWN),
  'POST /api/me/api-tokens': unscoped(OWN),
  'DELETE /api/me/api-tokens/{id}': unscoped(`${OWN}; another person's token is a 404 (features/api-tokens/api-tokens.test.ts)`),
  'GET /api/admin/api-tokens': unscoped(SERVICE),
  'DELETE /api/admin/api-tokens/{id}': unscoped(SERVICE),
  'GET /api/admin/service-users': unscoped(SERVICE),
  'POST /api/admin/service-users': unscoped(SERVICE),
  'POST /api/admin/service-users/{id}/api-tokens': unscoped(SERVICE),
  'POST /api/admin/invitations': scoped({ body: (w) => ({ email: `new.${Date.now()}@example.org`, organizationId: foreign(w).org.id }) }),
  'GET /api/admin/invitations': unscoped(ADMIN_LIST),
  'GET /api/invitations/{token}': unscoped(TOKEN),
  'POST /api/invitations/accept': unscoped(TOKEN),
  'GET /api/admin/organizations': unscoped(ADMIN_LIST),
  'POST /api/admin/organizations': unscoped('creates an organization (administrators)'),
  'GET /api/admin/organizations/{id}': scoped(),
  'PATCH /api/admin/organizations/{id}': scoped({ body: () => ({ name: 'Taken over' }) }),
  'GET /api/organizations': unscoped(ADMIN_LIST),
  'GET /api/admin/users': scoped({ variants: [{ label: 'filtered on the foreign organization', query: (w) => ({ organizationId: foreign(w).org.id }) }] }),
  'PATCH /api/admin/users/{id}': scoped({ body: () => ({ active: false }) }),
  'GET /api/admin/desks': unscoped(CATALOGUE),
  'POST /api/admin/desks': unscoped(CATALOGUE),
  'PATCH /api/admin/desks/{id}': unscoped(CATALOGUE),
  'PUT /api/admin/desks/{id}/members': unscoped(CATALOGUE),
  'GET /api/admin/request-types': unscoped(CATALOGUE),
  'POST /api/admin/request-types': unscoped(CATALOGUE),
  'PATCH /api/admin/request-types/{id}': unscoped(CATALOGUE),
  'GET /api/admin/projects': scoped({ variants: [{ label: 'filtered on the foreign organization', query: (w) => ({ organizationId: foreign(w).org.id }) }] }),
  'POST /api/admin/projects': scoped({ body: (w) => ({ organizationId: foreign(w).org.id, name: 'Intrusion' }) }),
  'PATCH /api/admin/projects/{id}': scoped({ body: () => ({ name: 'Renamed' }) }),
  'GET /api/admin/organizations/{id}/flex-contract': scoped(),
  'POST /api/admin/organizations/{id}/flex-contract/windows': scoped({ body: () => ({ startsOn: '2030-01-01', endsOn: '2030-12-31' }) }),
  'DELETE /api/admin/organizations/{id}/flex-contract/windows/{windowId}': scoped(),
  'PATCH /api/admin/organizations/{id}/settings': scoped({ body: () => ({ ownRequestsOnly: true }) }),
  'GET /api/catalog': {
    kind: 'filtered',
    variants: [{ label: "the foreign organization's catalogue", query: (w) => ({ organizationId: foreign(w).org.id }) }],
  },
  'GET /api/desks': unscoped(CATALOGUE),
  'GET /api/admin/audit': unscoped(ADMIN_LIST),
  'GET /api/admin/outbox': unscoped(ADMIN_LIST),
  'GET /api/admin/outbox/{id}': unscoped('an e-mail of the outbox, to any address (administrators only)'),
  'POST /api/admin/outbox/{id}/retry': unscoped('an e-mail of the outbox, to any address (administrators only)'),
  'GET /api/notifications': unscoped(OWN),
  'GET /api/notifications/unread-count': unscoped(OWN),
  'POST /api/notifications/read': {
    kind: 'filtered',
    variants: [{ label: "marks read the foreign request's notifications", body: (w) => ({ ticketId: foreign(w).request.id }) }],
  },
  'GET /api/me/email-preferences': unscoped(OWN),
  'PATCH /api/me/email-preferences': unscoped(OWN),
  'GET /api/requests': {
    kind: 'filtered',
    variants: [
      { label: 'filtered on the foreign organization', query: (w) => ({ organizationId: foreign(w).org.id, scope: 'organization' }) },
      { label: 'searching the foreign request', query: (w) => ({ q: foreign(w).request.key }) },
    ],
  },
  'POST /api/requests': scoped({
    variants: [
      { label: "the foreign organization's project", body: (w) => ({ ...newRequest(w), projectId: foreign(w).projectId }) },
      { label: "the foreign organization's attachment", body: (w) => ({ ...newRequest(w), attachmentIds: [foreign(w).attachmentId] }) },
      { label: 'a customer of the foreign organization as participant', body: (w) => ({ ...newRequest(w), participantIds: [foreign(w).customer.id] }) },
      { label: 'a customer of the foreign organization as reporter', body: (w) => ({ ...newRequest(w), reporterId: foreign(w).customer.id }) },
    ],
  }),
  'GET /api/queues': unscoped(ADMIN_LIST),
  'GET /api/views': unscoped(OWN),
  'POST /api/views': unscoped(OWN),
  'DELETE /api/views/{id}': unscoped("a saved view of one agent: another agent's is refused (checked below)"),
  'POST /api/requests/bulk': scoped({ body: (w) => ({ ids: [foreign(w).request.id], action: { type: 'assign', assigneeId: null } }) }),
  'GET /api/requests/{key}': scoped(),
  'PATCH /api/requests/{key}': scoped({ body: () => ({ criticality: 'critical' }) }),
  'POST /api/requests/{key}/messages': scoped({
    body: reply,
    variants: [
      {
        label: "the home request with the foreign organization's attachment",
        params: (w) => ({ key: home(w).request.key }),
        body: (w) => ({ body: 'See this', attachmentIds: [foreign(w).attachmentId] }),
      },
    ],
  }),
  'POST /api/requests/{key}/transitions': scoped({ body: () => ({ to: 'canceled', reason: 'Gone' }) }),
  'POST /api/requests/{key}/qualify': scoped({ body: () => ({}) }),
  'POST /api/requests/{key}/move': scoped({ body: (w) => ({ requestTypeId: w.requestTypeIds[0] }) }),
  'POST /api/requests/{key}/participants': scoped({
    body: (w) => ({ userId: home(w).colleague.id }),
    variants: [
      {
        label: 'a customer of the foreign organization added to the home request',
        params: (w) => ({ key: home(w).request.key }),
        body: (w) => ({ userId: foreign(w).customer.id }),
      },
    ],
  }),
  'DELETE /api/requests/{key}/participants/{userId}': scoped(),
  'GET /api/organization-members': {
    kind: 'filtered',
    variants: [{ label: "the foreign organization's members", query: (w) => ({ organizationId: foreign(w).org.id }) }],
  },
  'GET /api/attachments/limits': unscoped('a setting of the installation'),
  'POST /api/attachments': unscoped('an upload names no resource (multipart); attaching it is checked with the request'),
  'GET /api/requests/{key}/attachments/{id}': scoped({
    variants: [
      { label: "the home request, the foreign organization's attachment", params: (w) => ({ key: home(w).request.key, id: foreign(w).attachmentId }) },
    ],
  }),
  'GET /api/admin/sla/calendar': unscoped(CATALOGUE),
  'PUT /api/admin/sla/calendar': unscoped(CATALOGUE),
  'POST /api/admin/sla/closure-days/{day}': unscoped(CATALOGUE),
  'DELETE /api/admin/sla/closure-days/{day}': unscoped(CATALOGUE),
  'GET /api/admin/sla/holidays/{year}': unscoped(CATALOGUE),
  'GET /api/admin/sla/policies': unscoped(CATALOGUE),
  'PUT /api/admin/sla/policies/{requestTypeId}': unscoped(CATALOGUE),
  'GET /api/admin/sla/report': unscoped(ADMIN_LIST),
  'GET /api/admin/sla/report.csv': unscoped(ADMIN_LIST),
  'POST /api/admin/sla/preview': unscoped(CATALOGUE),
  'GET /api/escalation': unscoped('the public escalation matrix'),
  'GET /api/admin/escalation/{deskId}': unscoped(CATALOGUE),
  'PUT /api/admin/escalation/{deskId}': unscoped(CATALOGUE),
  'GET /api/admin/lifecycle/rules': unscoped(CATALOGUE),
  'PUT /api/admin/lifecycle/rules/{deskId}': unscoped(CATALOGUE),
  'GET /api/requests/{key}/lifecycle': scoped(),
  'POST /api/requests/{key}/follow-up': scoped({ body: followUp }),
  'GET /api/survey/{token}': unscoped(TOKEN),
  'POST /api/survey/{token}': unscoped(TOKEN),
  'POST /api/requests/{key}/survey': scoped({ body: () => ({ rating: 1, comment: 'Bad' }) }),
  'GET /api/admin/survey/results': unscoped(ADMIN_LIST),
  'GET /api/admin/survey/results.csv': unscoped(ADMIN_LIST),
  'GET /api/flex/organizations/{id}': scoped(),
  'GET /api/flex/organizations/{id}/statement': scoped(),
  'GET /api/flex/organizations/{id}/statement.csv': scoped(),
  'GET /api/flex/organizations/{id}/purchases': scoped(),
  'GET /api/staff/flex/balances': unscoped(ADMIN_LIST),
  'GET /api/staff/flex/export.csv': scoped({
    variants: [{ label: 'filtered on the foreign organization', query: (w) => ({ organizationId: foreign(w).org.id }) }],
  }),
  'GET /api/requests/{key}/time-entries': scoped(),
  'POST /api/requests/{key}/time-entries': scoped({ body: () => ({ minutes: 30, workedOn: '2026-03-09', description: 'Billed to them', billable: true }) }),
  'PATCH /api/time-entries/{id}': scoped({ body: () => ({ minutes: 600 }) }),
  'DELETE /api/time-entries/{id}': scoped(),
  'GET /api/admin/organizations/{id}/contract': scoped(),
  'PATCH /api/admin/organizations/{id}/contract': scoped({ body: () => ({ lowBalanceThresholdMinutes: 60 }) }),
  'POST /api/admin/organizations/{id}/flex-purchases': scoped({ body: () => ({ purchasedOn: '2026-03-01', hours: 100, reference: 'Free hours' }) }),
  'POST /api/admin/flex/billing-runs': scoped({ body: (w) => ({ periodStart: '2026-03-01', periodEnd: '2026-03-10', organizationId: foreign(w).org.id }) }),
  'GET /api/admin/flex/billing-runs': unscoped(ADMIN_LIST),
  'POST /api/admin/time-entries/{id}/reversal': scoped({ body: () => ({ reason: 'Undo' }) }),
  'GET /api/projects/{id}': scoped(),
  'GET /api/admin/inbound': unscoped(ADMIN_LIST),
  'GET /api/admin/inbound/{id}': unscoped(INBOUND_LOG),
  'GET /api/admin/inbound/{id}/raw': unscoped(INBOUND_LOG),
  'POST /api/admin/inbound/{id}/reprocess': unscoped(INBOUND_LOG),
  'GET /api/admin/webhooks': unscoped(WEBHOOKS),
  'POST /api/admin/webhooks': unscoped(WEBHOOKS),
  'GET /api/admin/webhooks/{id}': unscoped(WEBHOOKS),
  'PATCH /api/admin/webhooks/{id}': unscoped(WEBHOOKS),
  'DELETE /api/admin/webhooks/{id}': unscoped(WEBHOOKS),
  'POST /api/admin/webhooks/{id}/rotate-secret': unscoped(WEBHOOKS),
  'POST /api/admin/webhooks/{id}/ping': unscoped(WEBHOOKS),
  'GET /api/admin/webhooks/{id}/deliveries': unscoped(WEBHOOKS),
  'GET /api/admin/webhooks/{id}/deliveries/{deliveryId}': unscoped(WEBHOOKS),
  'POST /api/admin/webhooks/{id}/deliveries/{deliveryId}/resend': unscoped(WEBHOOKS),
  'GET /api/admin/jsm-imports': unscoped(JSM_IMPORT),
  'POST /api/admin/jsm-imports': unscoped(JSM_IMPORT),
  'GET /api/admin/jsm-imports/{id}': unscoped(JSM_IMPORT),
  'PUT /api/admin/jsm-imports/{id}/mapping': unscoped(JSM_IMPORT),
  'POST /api/admin/jsm-imports/{id}/start': unscoped(JSM_IMPORT),
  'POST /api/admin/jsm-imports/{id}/pause': unscoped(JSM_IMPORT),
  'POST /api/admin/jsm-imports/{id}/resume': unscoped(JSM_IMPORT),
  'GET /api/inbound/triage': unscoped(TRIAGE),
  'POST /api/inbound/triage/{id}/open': unscoped(TRIAGE),
  'POST /api/inbound/triage/{id}/dismiss': unscoped(TRIAGE),
  // Scoped by the request key: the foreign request's e-mail, and the foreign e-mail named under the home request.
  'GET /api/requests/{key}/messages/{messageId}/original': scoped({
    variants: [
      {
        label: "the home request, the foreign organization's message",
        params: (w) => ({ key: home(w).request.key, messageId: foreign(w).messageId }),
      },
    ],
  }),
};

function newRequest(w: World) {
  return { requestTypeId: w.requestTypeIds[0], summary: 'Aimed at another organization', description: 'x', criticality: 'low' };
}

/** The foreign resource a path parameter names. */
function foreignParam(w: World, op: Operation, name: string): string {
  const f = w.foreign;
  if (name === 'key') return f.request.key;
  const kind = idKind(name, op.path);
  const byKind: Partial<Record<NonNullable<typeof kind>, string>> = {
    organization: f.org.id,
    user: f.customer.id,
    project: f.projectId,
    timeEntry: f.timeEntryId,
    attachment: f.attachmentId,
    window: f.windowId,
    request: f.request.id,
    view: w.views.otherAgent,
    invitation: w.invitationIds[1],
    message: f.messageId,
    inbound: f.inboundId,
    outbox: w.outboxIds[0],
    desk: w.deskIds[0],
    requestType: w.requestTypeIds[0],
  };
  const value = kind ? byKind[kind] : undefined;
  if (!value) throw new Error(`${operationName(op)}: no foreign resource for the parameter ${name}`);
  return value;
}

/** What of the foreign organization must never reach its customers' neighbours. */
const markers = (w: World) => [
  w.foreign.org.id,
  w.foreign.org.name,
  w.foreign.request.key,
  w.foreign.request.id,
  'Only Foreign may read this',
  w.foreign.customer.email,
  w.foreign.projectId,
  w.foreign.attachmentId,
  w.foreign.timeEntryId,
  w.foreign.messageId,
  w.foreign.customer.name,
];

let t: TestApp;
let w: World;
let operations: Operation[];
let access: Map<string, string>;
beforeAll(async () => {
  t = await createTestApp({ clockStart: '2026-03-10T09:00:00Z' });
  w = await seedWorld(t.app);
  operations = operationsOf((await t.app.inject({ url: '/api/openapi.json' })).json() as OpenApi);
  // The access level of each operation, from the app's catalogue (`:id` there, `{id}` in the document).
  access = new Map(t.app.routeCatalog.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]));
}, 120_000);
afterAll(async () => {
  await t.close();
});

function variantsOf(op: Operation, rule: Rule): Variant[] {
  if (rule.kind === 'unscoped') return [];
  const pathTargeted: Variant = { label: 'the foreign resource in the path' };
  const listed = rule.variants ?? [];
  if (rule.kind === 'filtered') return listed;
  return op.pathParams.length
    ? [{ ...pathTargeted, ...(rule.body ? { body: rule.body } : {}) }, ...listed]
    : listed.length
      ? listed
      : rule.body
        ? [{ label: 'the foreign organization in the body', body: rule.body }]
        : [];
}

async function send(op: Operation, variant: Variant, cookie: string | undefined) {
  const params = variant.params?.(w) ?? {};
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? foreignParam(w, op, name)));
  const query = variant.query ? `?${new URLSearchParams(variant.query(w))}` : '';
  const body = variant.body?.(w);
  return t.app.inject({
    method: op.method as 'GET',
    url: path + query,
    headers: { origin: ORIGIN, 'x-forwarded-for': '10.99.0.1', ...(cookie ? { cookie } : {}) },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
}

describe('every operation aimed at another organization', () => {
  it('is classified', () => {
    const names = operations.map(operationName);
    expect(
      names.filter((name) => !(name in RULES)),
      'operations to classify in RULES',
    ).toEqual([]);
    expect(
      Object.keys(RULES).filter((name) => !names.includes(name)),
      'operations that no longer exist',
    ).toEqual([]);
    expect(
      operations.filter((op) => RULES[operationName(op)]!.kind === 'scoped' && !variantsOf(op, RULES[operationName(op)]!).length).map(operationName),
    ).toEqual([]);
  });

  it('refuses the customer of another organization, and shows them nothing of it', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const rule = RULES[operationName(op)]!;
      for (const variant of variantsOf(op, rule)) {
        checked++;
        const res = await send(op, variant, w.cookies.customer);
        const leaked = markers(w).filter((m) => res.body.includes(m));
        const where = `${operationName(op)} (${variant.label}) → ${res.statusCode} ${res.body.slice(0, 160)}`;
        const code = res.statusCode === 400 ? ((res.json() as { code?: string }).code ?? '') : '';
        if (leaked.length) failures.push(`${where}: shows ${leaked.join(', ')}`);
        // Refused for its form, the request would prove nothing about the organization: its body must be valid.
        else if (rule.kind === 'scoped' && code.startsWith('validation.')) failures.push(`${where}: refused for its input, fix the variant`);
        else if (rule.kind === 'scoped' && ![400, 403, 404, 409, 422].includes(res.statusCode)) failures.push(`${where}: not refused`);
        else if (rule.kind === 'filtered' && res.statusCode >= 500) failures.push(where);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(45);
  });

  it('refuses anonymous callers everything but the public operations, which show nothing of it', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const rule = RULES[operationName(op)]!;
      const variants = variantsOf(op, rule);
      for (const variant of variants.length ? variants : []) {
        const res = await send(op, variant, undefined);
        const leaked = markers(w).filter((m) => res.body.includes(m));
        if (leaked.length || (access.get(operationName(op)) !== 'public' && res.statusCode !== 401))
          failures.push(`${operationName(op)} (${variant.label}) → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("lets agents and administrators, who serve every organization, read the foreign resources (so the customer's refusals are about the organization)", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const rule = RULES[operationName(op)]!;
      if (op.method !== 'GET' || rule.kind !== 'scoped' || !op.pathParams.length) continue;
      const level = access.get(operationName(op));
      for (const caller of level === 'admin' ? (['admin'] as const) : (['agent', 'admin'] as const)) {
        checked++;
        const res = await send(op, { label: 'the foreign resource in the path' }, w.cookies[caller]);
        if (res.statusCode !== 200) failures.push(`${caller}: ${operationName(op)} → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });

  it("refuses an agent another agent's saved view", async () => {
    const op = operations.find((o) => operationName(o) === 'DELETE /api/views/{id}')!;
    const res = await send(op, { label: "another agent's view" }, w.cookies.agent);
    expect(res.statusCode).toBe(404);
    const own = await send(op, { label: 'own view', params: () => ({ id: w.views.agent }) }, w.cookies.agent);
    expect(own.statusCode).toBeLessThan(300);
  });
});
