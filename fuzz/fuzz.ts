/**
 * The fuzzer's loop: cases drawn with a fixed seed over every operation of the OpenAPI document and
 * every caller, sent through app.inject, and judged: a 5xx is a failure, and so is an answer whose
 * status the operation does not document or whose JSON body does not match the documented schema.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { caseArb, operationName, operationsOf, toRequest, type FuzzCase, type OpenApi, type Operation, type Pools } from './generate.ts';
import { ORIGIN, type Caller, type World } from './world.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export type Failure = {
  operation: string;
  caller: Caller;
  status: number;
  reason: string;
  request: { method: string; url: string; payload?: string | undefined };
  body: string;
  /** The server's error log lines written while the request ran. */
  log: string[];
};

export type FuzzResult = {
  cases: number;
  operations: number;
  byStatus: Record<string, number>;
  failures: Failure[];
  /** One failure of each kind (operation, status, reason), the first found. */
  distinct: Failure[];
  seconds: number;
  relogins: number;
  /** Callers whose session could not be renewed (the cases they send afterwards test less). */
  lostSessions: string[];
  /** Per operation: cases sent, and cases answered 2xx (the generator's reach past validation and permissions). */
  byOperation: Record<string, { sent: number; succeeded: number }>;
};

export type FuzzOptions = {
  app: FastifyInstance;
  world: World;
  cases: number;
  seed: number;
  /** Stop after this many seconds even if fewer cases have run. */
  seconds?: number;
  /** The server's log lines since the last call (to attach them to a failure). */
  drainLog?: () => string[];
  onProgress?: (done: number, result: FuzzResult) => void;
};

/** Operations whose call may end or change the caller's own session. */
const SESSION_CHANGING = new Set([
  'POST /api/auth/sign-out',
  'POST /api/auth/change-password',
  'POST /api/auth/reset-password',
  'PATCH /api/admin/users/{id}',
  'POST /api/auth/sign-in/email',
  'POST /api/invitations/accept',
]);

export function poolsOf(world: World): Pools {
  const parties = [world.home, world.foreign];
  const byKind = {
    organization: parties.map((p) => p.org.id),
    user: [world.admin.id, world.agent.id, world.otherAgent.id, ...parties.flatMap((p) => [p.customer.id, p.colleague.id])],
    desk: world.deskIds,
    requestType: world.requestTypeIds,
    project: parties.map((p) => p.projectId),
    view: Object.values(world.views),
    timeEntry: parties.map((p) => p.timeEntryId),
    outbox: world.outboxIds,
    attachment: parties.map((p) => p.attachmentId),
    request: parties.map((p) => p.request.id),
    window: parties.map((p) => p.windowId),
    invitation: world.invitationIds,
    message: parties.map((p) => p.messageId),
    inbound: world.inboundIds,
    webhook: world.webhookIds,
    webhookDelivery: world.webhookDeliveryIds,
    ssoProvider: world.ssoProviderIds,
    apiToken: world.apiTokenIds,
    serviceUser: world.serviceUserIds,
  };
  return {
    ids: Object.values(byKind).flat(),
    byKind,
    keys: parties.map((p) => p.request.key),
    emails: [world.admin.email, world.agent.email, ...parties.flatMap((p) => [p.customer.email, p.colleague.email])],
    editableUserIds: parties.map((p) => p.colleague.id),
  };
}

/** Validators of the documented answers, by operation and status. */
function responseValidators(doc: OpenApi, operations: Operation[]) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components ?? {} });
  const validators = new Map<string, ValidateFunction | null>();
  for (const op of operations) {
    for (const [status, schema] of Object.entries(op.responses)) {
      const rebased = schema ? (JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object) : null;
      validators.set(`${operationName(op)} ${status}`, rebased ? ajv.compile(rebased) : null);
    }
  }
  return validators;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { app, world } = options;
  const started = performance.now();
  const doc = (await app.inject({ url: '/api/openapi.json' })).json() as OpenApi;
  const operations = operationsOf(doc);
  const validators = responseValidators(doc, operations);
  const pools = poolsOf(world);
  // Every operation as often as any other, each with its own schema-built arbitrary.
  const arbitrary = fc.oneof(...operations.map((op) => caseArb(doc, op, pools)));
  const result: FuzzResult = {
    cases: 0,
    operations: operations.length,
    byStatus: {},
    failures: [],
    distinct: [],
    seconds: 0,
    relogins: 0,
    lostSessions: [],
    byOperation: {},
  };
  const seen = new Set<string>();
  const batch = 500;
  const deadline = options.seconds ? started + options.seconds * 1000 : Infinity;
  options.drainLog?.();

  for (let offset = 0; result.cases < options.cases && performance.now() < deadline; offset += batch) {
    const cases = fc.sample(arbitrary, { seed: options.seed + offset, numRuns: Math.min(batch, options.cases - result.cases) });
    for (const c of cases) {
      if (performance.now() >= deadline) break;
      await runCase(c);
      if (result.cases % 1000 === 0) options.onProgress?.(result.cases, result);
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;

  async function runCase(c: FuzzCase) {
    const request = toRequest(c, world.cookies[c.caller], ORIGIN);
    const res = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    });
    result.cases++;
    result.byStatus[res.statusCode] = (result.byStatus[res.statusCode] ?? 0) + 1;
    result.byOperation[operationName(c.op)] ??= { sent: 0, succeeded: 0 };
    const stats = result.byOperation[operationName(c.op)]!;
    stats.sent++;
    if (res.statusCode < 300) stats.succeeded++;
    const log = options.drainLog?.() ?? [];
    const reason = judge(c.op, res.statusCode, res.headers['content-type'], res.body);
    if (reason) {
      const failure: Failure = {
        operation: operationName(c.op),
        caller: c.caller,
        status: res.statusCode,
        reason,
        request: { method: request.method, url: request.url.slice(0, 500), payload: request.payload?.slice(0, 500) },
        body: res.body.slice(0, 500),
        log: log.map((line) => line.slice(0, 2000)),
      };
      result.failures.push(failure);
      const kind = `${failure.operation} ${failure.status} ${reason.replace(/: .*/, '')}`;
      if (!seen.has(kind)) {
        seen.add(kind);
        result.distinct.push(failure);
      }
    }
    if (SESSION_CHANGING.has(operationName(c.op))) await keepSessions();
  }

  /** Logs callers in again whose session a case ended (sign-out, password change, an edit of their account). */
  async function keepSessions() {
    for (const caller of ['customer', 'foreignCustomer', 'agent', 'admin'] as const) {
      const me = await app.inject({ url: '/api/me', headers: { cookie: world.cookies[caller]! } });
      if (me.statusCode !== 200) {
        try {
          await world.relogin(caller);
          result.relogins++;
        } catch (error) {
          // Not a failure of the server under test: the run goes on, and says so.
          result.lostSessions.push(`${caller}: ${(error as Error).message.slice(0, 200)}`);
        }
      }
    }
  }

  function judge(op: Operation, status: number, contentType: string | number | string[] | undefined, body: string): string | null {
    if (status >= 500) return `server error ${status}`;
    const documented = `${operationName(op)} ${status}`;
    if (!validators.has(documented)) return `undocumented status ${status}`;
    const validate = validators.get(documented);
    if (!validate || !String(contentType ?? '').includes('application/json')) return null;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return 'answer is not JSON';
    }
    if (!validate(json)) return `answer does not match its schema: ${ajvErrors(validate)}`;
    return null;
  }
}

const ajvErrors = (validate: ValidateFunction) =>
  (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('; ');

export function summary(result: FuzzResult) {
  const fivexx = result.failures.filter((f) => f.status >= 500).length;
  return [
    `${result.cases.toLocaleString('en')} cases over ${result.operations} operations in ${result.seconds.toFixed(1)} s`,
    `answers: ${Object.entries(result.byStatus)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    `5xx: ${fivexx}; failures: ${result.failures.length} (${result.distinct.length} distinct); sessions renewed: ${result.relogins}${result.lostSessions.length ? `; sessions lost: ${result.lostSessions.join(' | ')}` : ''}`,
    ...result.distinct.map(
      (f) =>
        `  ${f.operation} as ${f.caller} → ${f.status}: ${f.reason}\n    ${f.request.method} ${f.request.url.slice(0, 200)}${f.request.payload ? `\n    body ${f.request.payload.slice(0, 200)}` : ''}\n    answer ${f.body.slice(0, 200)}${f.log.length ? `\n    log ${f.log.join(' | ').slice(0, 600)}` : ''}`,
    ),
  ].join('\n');
}
