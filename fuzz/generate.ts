/**
 * Requests generated from the OpenAPI document: for each operation, fast-check arbitraries built from
 * the JSON schemas of its path parameters, query string and body, filled with the world's real ids,
 * and, in most cases, one hostile mutation (a NUL, a lone surrogate, a huge or deeply nested value, a
 * wrong type, a missing or unknown field, a body that is not JSON at all).
 */
import fc from 'fast-check';
import { CRITICALITIES, STATUSES } from '../src/shared/tickets.ts';
import { CALLERS, type Caller } from './world.ts';

/** The values of the list filters (documented in prose: the JSON schema of a transform carries no enum). */
const LIST_FILTER_VALUES: Record<string, readonly string[]> = { criticality: CRITICALITIES, status: STATUSES };

type Schema = Record<string, unknown> & {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
};
export type OpenApi = { paths: Record<string, Record<string, OperationObject>>; components?: { schemas?: Record<string, Schema> } };
type Parameter = { in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema?: Schema };
type OperationObject = {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

export type Operation = {
  method: string;
  /** As documented: /api/requests/{key}. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: Schema | null;
  bodyRequired: boolean;
  idempotent: boolean;
  /** Documented answers: status → JSON schema (null: documented without a JSON body). */
  responses: Record<string, Schema | null>;
};

export const operationName = (op: Pick<Operation, 'method' | 'path'>) => `${op.method.toUpperCase()} ${op.path}`;

export function operationsOf(doc: OpenApi): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json'];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: json?.schema ?? null,
        bodyRequired: op.requestBody?.required ?? false,
        idempotent: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
        responses: Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, r]) => [status, r.content?.['application/json']?.schema ?? null])),
      });
    }
  }
  return operations;
}

/** Values the world knows, so that generated requests reach real resources (of either organization). */
export type Pools = {
  /** Every id the world knows. */
  ids: string[];
  /** The ids of one kind of resource, by kind (see idKind). */
  byKind: Record<IdKind, string[]>;
  keys: string[];
  emails: string[];
  editableUserIds: string[];
};
export type IdKind =
  | 'organization'
  | 'user'
  | 'desk'
  | 'requestType'
  | 'project'
  | 'view'
  | 'timeEntry'
  | 'outbox'
  | 'attachment'
  | 'request'
  | 'window'
  | 'invitation'
  | 'message'
  | 'inbound'
  | 'webhook'
  | 'webhookDelivery'
  | 'ssoProvider'
  | 'apiToken'
  | 'serviceUser';

/** What kind of resource a field or parameter names: by its name, or for a path's `{id}`, by the segment before it. */
export function idKind(name: string, path = ''): IdKind | null {
  const byName: Record<string, IdKind> = {
    organizationId: 'organization',
    userId: 'user',
    userIds: 'user',
    reporterId: 'user',
    assigneeId: 'user',
    participantId: 'user',
    participantIds: 'user',
    deskId: 'desk',
    requestTypeId: 'requestType',
    projectId: 'project',
    attachmentId: 'attachment',
    attachmentIds: 'attachment',
    windowId: 'window',
    ticketId: 'request',
    ids: 'request',
    messageId: 'message',
    deliveryId: 'webhookDelivery',
  };
  if (byName[name]) return byName[name]!;
  if (name !== 'id') return null;
  const segment = /\/([a-z-]+)\/\{id\}/.exec(path)?.[1] ?? '';
  const bySegment: Record<string, IdKind> = {
    organizations: 'organization',
    users: 'user',
    desks: 'desk',
    'request-types': 'requestType',
    projects: 'project',
    views: 'view',
    'time-entries': 'timeEntry',
    outbox: 'outbox',
    attachments: 'attachment',
    invitations: 'invitation',
    // The inbound log's /admin/inbound/{id} and the triage queue's /inbound/triage/{id}: received e-mails.
    inbound: 'inbound',
    triage: 'inbound',
    webhooks: 'webhook',
    'sso-providers': 'ssoProvider',
    'api-tokens': 'apiToken',
    'service-users': 'serviceUser',
  };
  return bySegment[segment] ?? null;
}

/** Text that PostgreSQL cannot hold: NUL, and UTF-16 surrogates that are not half of a pair. */
export const UNSTORABLE_TEXT = ['\u0000', 'a\u0000b', '\ud800x', 'x\udfff', '\udbff', '😀'.slice(0, 1), '😀'.slice(1)];

/** Text meant to break something: the bytes PostgreSQL, JSON, UTF-8, URLs or logs choke on. */
export const HOSTILE_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800x',
  'x\udfff',
  '\udbff',
  '😀'.slice(0, 1),
  '%00',
  '%ED%A0%80',
  '\\u0000',
  "'; drop table request; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u202e\u0301\ufeff\u200b',
  '   ',
  '',
  '\n\r\t',
  '{{constructor.constructor}}',
  '__proto__',
  'NaN',
  '-1',
  '9'.repeat(400),
  '1e999',
  'SUP-99999999999999999999',
  '2026-02-30',
  '0000-00-00T25:61:61Z',
  'x'.repeat(70_000),
  'é😀'.repeat(30_000),
];
const HOSTILE_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { a: 1 }, '', 'string', [[[[[]]]]]];

const resolve = (doc: OpenApi, schema: Schema): Schema => {
  let s = schema;
  for (let i = 0; s.$ref && i < 20; i++) s = doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
};

const pick = <T>(pool: readonly T[]) => fc.nat().map((n) => pool[n % pool.length]!);

const isoDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

function stringArb(schema: Schema, name: string, pools: Pools, path: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  const choices: fc.WeightedArbitrary<string>[] = [];
  const examples = (schema.examples as unknown[] | undefined)?.filter((e): e is string => typeof e === 'string');
  if (examples?.length) choices.push({ weight: 30, arbitrary: fc.constantFrom(...examples) });
  const kind = idKind(name, path);
  if (schema.format === 'uuid' || kind || /(^id$|Id$)/.test(name)) {
    // Mostly an id of the right kind (of either organization), sometimes any id the world knows, or none.
    if (kind && pools.byKind[kind].length) choices.push({ weight: 30, arbitrary: pick(pools.byKind[kind]) });
    choices.push({ weight: 6, arbitrary: pick(pools.ids) }, { weight: 2, arbitrary: fc.uuid() });
  } else if (name === 'key') {
    choices.push({ weight: 30, arbitrary: pick(pools.keys) }, { weight: 2, arbitrary: fc.stringMatching(/^[A-Z]{2,6}-[1-9][0-9]{0,5}$/) });
  } else if (schema.format === 'email') {
    choices.push({ weight: 2, arbitrary: pick(pools.emails) }, { weight: 2, arbitrary: fc.emailAddress() });
  } else if (schema.format === 'date-time') {
    choices.push({ weight: 4, arbitrary: isoDate.map((d) => d.toISOString()) });
  } else if (schema.format === 'date' || name === 'day' || /(On|From|To|Start|End)$|^(from|to|start|end)$/.test(name)) {
    choices.push({ weight: 4, arbitrary: isoDate.map((d) => d.toISOString().slice(0, 10)) });
  } else if (/^domains?$/.test(name)) {
    choices.push({ weight: 4, arbitrary: fc.domain() });
  }
  if (schema.pattern && !choices.length) {
    try {
      choices.push({ weight: 20, arbitrary: fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000)) });
    } catch {
      // A pattern fast-check cannot read: the other choices only.
    }
  }
  if (/url$|redirectTo/i.test(name))
    choices.push({ weight: 4, arbitrary: fc.constantFrom('/', '/requests', '/reset-password', 'http://localhost:3000/verify-email/done') });
  // Mostly text a person would type (so that the rest of the request is valid and the case reaches the database), sometimes any text.
  const typed = fc
    .stringMatching(/^[A-Za-z][A-Za-z0-9 .,'-]{0,30}[A-Za-z0-9]$/)
    .map((text) => (text.length < min ? text.padEnd(min, 'x') : text.slice(0, Math.max(min, max))));
  // A field with a shape of its own (an id, a date, a pattern) gets it nearly always.
  const free = choices.length ? 0 : 16;
  if (free) choices.push({ weight: free, arbitrary: typed });
  choices.push({
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ minLength: min, maxLength: Math.max(min, max) }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) }),
    ),
  });
  return fc.oneof(...choices);
}

function numberArb(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000), -1e9);
  const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 100_000), 1e9);
  const lo = Math.min(min, max);
  const inRange = integer ? fc.integer({ min: Math.ceil(lo), max: Math.floor(max) }) : fc.double({ min: lo, max, noNaN: true, noDefaultInfinity: true });
  // Small positive numbers are what most fields hold (minutes, hours, a limit).
  const usual = lo <= 1 && max >= 1 ? fc.integer({ min: Math.max(Math.ceil(lo), 1), max: Math.min(Math.floor(max), 120) }) : inRange;
  return fc.oneof({ weight: 4, arbitrary: usual }, { weight: 2, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(lo, max, 0, -1, 1) });
}

/** An object with its required keys, and each optional one in a third of the values (fewer fields, fewer ways to be refused). */
function optionalRecord(model: Record<string, fc.Arbitrary<unknown>>, required: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(model).map(([key, arb]) =>
    required.includes(key)
      ? arb.map((v) => [key, v] as const)
      : fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb.map((v) => [key, v] as const) }),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p): p is readonly [string, unknown] => p !== null)));
}

/** A value the schema documents as valid (or nearly: patterns and cross-field rules are the server's to judge). */
export function valueArb(doc: OpenApi, raw: Schema, pools: Pools, name = '', depth = 0, path = ''): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (depth > 8) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = (schema.anyOf ?? schema.oneOf)?.map((v) => resolve(doc, v));
  if (variants?.length) {
    // A list filter (`a,b`, or repeated) is documented as text, its values in its description only: the fuzzer knows them.
    const listed = LIST_FILTER_VALUES[name];
    const choices = variants.map((v) =>
      listed && (v.type === 'string' || v.type === 'array') ? (v.type === 'array' ? { ...v, items: { enum: [...listed] } } : { enum: [...listed] }) : v,
    );
    return fc.oneof(...choices.map((v) => valueArb(doc, v, pools, name, depth + 1, path)));
  }
  if (schema.allOf?.length) return valueArb(doc, Object.assign({}, ...schema.allOf.map((s) => resolve(doc, s))), pools, name, depth + 1);
  const types = schema.type === undefined ? (schema.properties ? ['object'] : ['string', 'number', 'boolean', 'null']) : [schema.type].flat();
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringArb(schema, name, pools, path);
        case 'integer':
          return numberArb(schema, true);
        case 'number':
          return numberArb(schema, false);
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array': {
          const item = schema.items ? valueArb(doc, schema.items, pools, name, depth + 1, path) : fc.jsonValue({ maxDepth: 2 });
          return fc.array(item, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
        }
        case 'object': {
          const props = schema.properties ?? {};
          const required = schema.required ?? [];
          const record = optionalRecord(
            Object.fromEntries(Object.entries(props).map(([key, sub]) => [key, valueArb(doc, sub, pools, key, depth + 1, path)])),
            required,
          );
          if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !Object.keys(props).length) {
            return fc.dictionary(fc.string({ maxLength: 12 }), valueArb(doc, schema.additionalProperties, pools, name, depth + 1), { maxKeys: 4 });
          }
          return record;
        }
        default:
          return fc.jsonValue({ maxDepth: 2 });
      }
    }),
  );
}

/** One hostile change to an otherwise documented request. */
export type Mutation =
  | { kind: 'text'; leaf: number; text: string }
  | { kind: 'value'; leaf: number; value: unknown }
  | { kind: 'nest'; leaf: number; depth: number }
  | { kind: 'drop'; leaf: number }
  | { kind: 'unknown-field'; name: string; value: unknown }
  | { kind: 'raw-body'; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      leaf: fc.nat(),
      // Half the time the two that PostgreSQL cannot store: NUL and a lone surrogate.
      text: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE_TEXT) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      leaf: fc.nat(),
      value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.jsonValue({ maxDepth: 3 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), leaf: fc.nat(), depth: fc.constantFrom(3, 31, 33, 200, 5000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), leaf: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknown-field' as const),
      name: fc.constantFrom('__proto__', 'constructor', 'extra', '\u0000', '\ud800', 'id', 'organizationId', 'role'),
      value: fc.jsonValue({ maxDepth: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw-body' as const),
      text: fc.oneof(
        fc.constantFrom(
          '',
          '{',
          '[',
          'null',
          '"\\ud800"',
          '{"a":"\\u0000"}',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '['.repeat(5000),
          '{"a":'.repeat(5000),
          '1e99999',
          '\u0000',
        ),
        fc.json({ maxDepth: 3 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
    }),
  },
);

/** A request as generated: which operation, who calls, with what. */
export type FuzzCase = {
  op: Operation;
  caller: Caller;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  idempotencyKey: string | null;
  mutation: Mutation | null;
  ip: string;
};

const CALLER_WEIGHTS: Record<Caller, number> = { anonymous: 1, customer: 3, foreignCustomer: 1, agent: 3, admin: 4 };

/** The arbitrary of one operation's requests. */
export function caseArb(doc: OpenApi, op: Operation, pools: Pools): fc.Arbitrary<FuzzCase> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.pathParams) {
    // Administrators edit other accounts than the fuzzer's own callers (a caller demoted or deactivated would test nothing more).
    const edit = op.path === '/api/admin/users/{id}';
    params[p.name] = edit ? pick(pools.editableUserIds) : valueArb(doc, p.schema ?? { type: 'string' }, pools, p.name, 0, op.path);
  }
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.queryParams) query[p.name] = valueArb(doc, p.schema ?? { type: 'string' }, pools, p.name);
  const requiredQuery = op.queryParams.filter((p) => p.required).map((p) => p.name);
  const body = op.body ? valueArb(doc, op.body, pools) : fc.constant(undefined);
  return fc.record({
    op: fc.constant(op),
    // Mostly callers who may use the operation (administrators may use them all), some who may not.
    caller: fc.oneof(...CALLERS.map((caller) => ({ weight: CALLER_WEIGHTS[caller], arbitrary: fc.constant(caller) }))),
    params: fc.record(params),
    query: optionalRecord(query, requiredQuery),
    body: op.body && !op.bodyRequired ? fc.option(body, { nil: undefined }) : body,
    idempotencyKey: op.idempotent ? fc.option(fc.oneof(fc.uuid(), fc.constantFrom('same-key', 'k\u0000', ' ')), { freq: 3 }) : fc.constant(null),
    // One case in five is sent as documented; the others carry one hostile change.
    mutation: fc.option(mutationArb, { freq: 5, nil: null }).map((m) => m),
    ip: fc.tuple(fc.nat(250), fc.nat(250)).map(([a, b]) => `10.${a}.${b}.7`),
  });
}

type Slot = { get(): unknown; set(value: unknown): void; remove(): void };

/** Every value a mutation may replace: path parameters, query parameters, and the body's leaves and containers. */
function slots(c: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown }, root: { body: unknown }): Slot[] {
  const out: Slot[] = [];
  const visit = (container: Record<string, unknown> | unknown[], key: string | number, removable: boolean) => {
    const value = (container as Record<string | number, unknown>)[key];
    out.push({
      get: () => (container as Record<string | number, unknown>)[key],
      set: (v) => ((container as Record<string | number, unknown>)[key] = v),
      remove: () =>
        removable ? (Array.isArray(container) ? container.splice(Number(key), 1) : delete (container as Record<string, unknown>)[key as string]) : undefined,
    });
    if (value && typeof value === 'object') {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(value, i, true);
      else for (const k of Object.keys(value)) visit(value as Record<string, unknown>, k, true);
    }
  };
  for (const k of Object.keys(c.params)) visit(c.params, k, false);
  for (const k of Object.keys(c.query)) visit(c.query, k, true);
  if (root.body !== undefined) visit(root as Record<string, unknown>, 'body', false);
  return out;
}

/** Deep nesting is written into the text sent (JSON.stringify itself overflows the stack a few thousand levels down). */
const NEST = '\u0001nest:';
const nestedText = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const expandNesting = (text: string) => text.replace(/"\\u0001nest:(\d+)"/g, (_, depth: string) => nestedText(Number(depth)));

/** The request to send: method, URL (path and query encoded, hostile bytes and all), headers and body text. */
export function toRequest(c: FuzzCase, cookie: string | undefined, origin: string) {
  const params = structuredClone(c.params);
  const query = structuredClone(c.query);
  const root = { body: c.body === undefined ? undefined : structuredClone(c.body) };
  let rawBody: string | null = null;
  const m = c.mutation;
  if (m) {
    const all = slots({ params, query, body: root.body }, root);
    if (m.kind === 'raw-body') rawBody = m.text;
    else if (m.kind === 'unknown-field') {
      const target = root.body && typeof root.body === 'object' && !Array.isArray(root.body) ? (root.body as Record<string, unknown>) : query;
      Object.defineProperty(target, m.name, { value: m.value, enumerable: true, writable: true, configurable: true });
    } else if (all.length) {
      // Text goes into a field that holds text, when there is one.
      const texts = m.kind === 'text' ? all.filter((slot) => typeof slot.get() === 'string') : [];
      const candidates = texts.length ? texts : all;
      const slot = candidates[m.leaf % candidates.length]!;
      if (m.kind === 'text') {
        const current = slot.get();
        slot.set(typeof current === 'string' && m.text.length < 100 ? current + m.text : m.text);
      } else if (m.kind === 'value') slot.set(m.value);
      else if (m.kind === 'nest') slot.set(`${NEST}${m.depth}`);
      else slot.remove();
    }
  }
  const path = c.op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeLoose(stringOf(params[name])));
  const search: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) search.push(`${encodeLoose(k)}=${encodeLoose(stringOf(item))}`);
  }
  const url = path + (search.length ? `?${search.join('&')}` : '');
  const headers: Record<string, string> = { origin, 'x-forwarded-for': c.ip };
  if (cookie) headers.cookie = cookie;
  if (c.idempotencyKey !== null && /^[\x20-\x7e]*$/.test(c.idempotencyKey)) headers['idempotency-key'] = c.idempotencyKey;
  let payload: string | undefined;
  if (rawBody !== null) payload = rawBody;
  else if (root.body !== undefined) payload = expandNesting(JSON.stringify(root.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return { method: c.op.method, url, headers, payload };
}

const stringOf = (value: unknown) =>
  typeof value === 'string'
    ? value.startsWith(NEST)
      ? nestedText(Number(value.slice(NEST.length)))
      : value
    : value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

/** encodeURIComponent, except that a lone surrogate is sent as the bytes a careless client would (WTF-8), not refused. */
export function encodeLoose(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let out = '';
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff)
        out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      else out += encodeURIComponent(ch);
    }
    return out;
  }
}
