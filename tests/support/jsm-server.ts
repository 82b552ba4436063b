import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  JsmChangelogItem,
  JsmOrganization,
  JsmPriority,
  JsmRequestType,
  JsmServiceDesk,
  JsmSla,
  JsmSlaCycle,
  JsmStatus,
  JsmUser,
} from '../../src/server/features/jsm-import/jsm-client.ts';

/*
 * A fake Jira Service Management Cloud on 127.0.0.1, serving a JsmWorld in the shapes Atlassian
 * documents (platform REST API v3 and servicedeskapi), with their three ways of paging, basic
 * authentication, the attachment redirect to the media service, and failures on demand (429, 5xx).
 * Page sizes are small by default so that the sample world needs several pages everywhere: a client
 * must follow the server's answers, never assume its own page size.
 *
 * JQL: only what the importer needs is understood — clauses joined by AND among `project = X`,
 * `project in (X, Y)`, `key = X`, `key in (X, Y)` (or issuekey), `updated|created >=|>|<=|< "yyyy-MM-dd HH:mm"` (or an ISO date),
 * and `ORDER BY updated|created|key [ASC|DESC]` (several keys allowed). Anything else is a 400, as
 * Jira answers an invalid query, so a test never passes on a clause silently ignored.
 *
 * A FakeIssue whose serviceDeskId is '' is a plain Jira issue: /rest/servicedeskapi/request answers
 * 404 for it.
 */

export type FakeIssue = {
  id: string;
  key: string;
  projectKey: string;
  serviceDeskId: string;
  requestTypeId: string;
  summary: string;
  description: unknown;
  created: string;
  updated: string;
  resolutiondate: string | null;
  priority: string;
  /** status name */
  status: string;
  /** accountIds */
  assignee: string | null;
  reporter: string;
  /** organization ids */
  organizations: string[];
  participants: string[];
  comments: { id: string; author: string; body: unknown; created: string; jsdPublic: boolean }[];
  changelog: { id: string; author: string | null; created: string; items: JsmChangelogItem[] }[];
  attachments: { id: string; filename: string; mimeType: string; created: string; author: string; bytes: Buffer; declaredSize?: number }[];
  sla: JsmSla[];
};

export type JsmWorld = {
  serviceDesks: JsmServiceDesk[];
  requestTypes: JsmRequestType[];
  priorities: JsmPriority[];
  statuses: JsmStatus[];
  organizations: JsmOrganization[];
  organizationMembers: Record<string, string[]>;
  deskCustomers: Record<string, string[]>;
  users: JsmUser[];
  issues: FakeIssue[];
};

export type JsmServerControl = {
  url: string;
  /** Every request served: method, path (with query), status. */
  log: { method: string; path: string; status: number }[];
  /** The next `times` requests whose path starts with `pathPrefix` get this answer instead (e.g. 429 with Retry-After, or a 500). */
  failNext(pathPrefix: string, answer: { status: number; headers?: Record<string, string>; body?: string }, times?: number): void;
  /** Called before each request is answered; used by tests to abort an import mid-way (e.g. after N search pages). */
  onRequest: ((method: string, path: string) => void) | null;
  /** Mutable between runs (tests change a summary, add a comment, move an issue to another project). */
  world: JsmWorld;
  close(): Promise<void>;
};

/** The id of the Organizations custom field in the fake's /rest/api/3/field. */
export const FAKE_ORGANIZATION_FIELD = 'customfield_10002';
export const FAKE_JSM_EMAIL = 'importer@acme.example';
export const FAKE_JSM_TOKEN = 'ATATT-fake-token-0123456789';

class HttpAnswer extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

const notFound = (what: string) => new HttpAnswer(404, { errorMessages: [what], errors: {} });
const badRequest = (what: string) => new HttpAnswer(400, { errorMessages: [what], errors: {} });

export async function startJsmServer(
  world: JsmWorld,
  options: { email?: string; token?: string; pageSize?: { servicedesk?: number; platform?: number; search?: number } } = {},
): Promise<JsmServerControl> {
  const expectedAuth = `Basic ${Buffer.from(`${options.email ?? FAKE_JSM_EMAIL}:${options.token ?? FAKE_JSM_TOKEN}`).toString('base64')}`;
  const sizes = { servicedesk: options.pageSize?.servicedesk ?? 2, platform: options.pageSize?.platform ?? 2, search: options.pageSize?.search ?? 3 };
  const failures: { prefix: string; answer: { status: number; headers?: Record<string, string>; body?: string }; times: number }[] = [];
  let url = '';

  const control: JsmServerControl = {
    url: '',
    log: [],
    failNext(pathPrefix, answer, times = 1) {
      failures.push({ prefix: pathPrefix, answer, times });
    },
    onRequest: null,
    world,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };

  const user = (accountId: string | null): JsmUser | null => {
    if (accountId === null) return null;
    const found = control.world.users.find((u) => u.accountId === accountId);
    if (!found) throw new Error(`fake JSM: unknown user ${accountId}`);
    return { self: `${url}/rest/api/3/user?accountId=${accountId}`, ...found, timeZone: found.timeZone ?? 'Europe/Paris' } as JsmUser;
  };
  const issueOf = (idOrKey: string) => {
    const found = control.world.issues.find((i) => i.key === idOrKey || i.id === idOrKey);
    if (!found) throw notFound('Issue does not exist or you do not have permission to see it.');
    return found;
  };
  const jsmDate = (iso: string) => {
    const epochMillis = Date.parse(iso);
    return { iso8601: iso, jira: iso, friendly: iso, epochMillis };
  };

  /** servicedeskapi paging: start/limit capped by the server's page size. */
  function sdPage<T>(all: T[], query: URLSearchParams, base: string, start0 = 0) {
    const start = Number(query.get('start') ?? start0);
    const limit = Math.min(Number(query.get('limit') ?? 50) || 50, sizes.servicedesk);
    const values = all.slice(start, start + limit);
    const isLastPage = start + values.length >= all.length;
    return {
      size: values.length,
      start,
      limit,
      isLastPage,
      values,
      _links: {
        base: url,
        context: '',
        self: `${url}${base}`,
        ...(isLastPage ? {} : { next: `${url}${base}?start=${start + limit}&limit=${limit}` }),
        ...(start > 0 ? { prev: `${url}${base}?start=${Math.max(0, start - limit)}&limit=${limit}` } : {}),
      },
    };
  }
  function platformWindow(query: URLSearchParams) {
    const startAt = Number(query.get('startAt') ?? 0);
    const maxResults = Math.min(Number(query.get('maxResults') ?? 50) || 50, sizes.platform);
    return { startAt, maxResults };
  }

  function statusOf(name: string) {
    const found = control.world.statuses.find((s) => s.name === name);
    if (!found) throw new Error(`fake JSM: unknown status ${name}`);
    return found;
  }
  function priorityOf(name: string) {
    const found = control.world.priorities.find((p) => p.name === name);
    if (!found) throw new Error(`fake JSM: unknown priority ${name}`);
    return found;
  }
  function deskOf(issue: FakeIssue) {
    return control.world.serviceDesks.find((d) => d.projectKey === issue.projectKey);
  }

  function issueJson(issue: FakeIssue, fields: string[]) {
    const all = fields.includes('*all') || fields.includes('*navigable');
    const want = (name: string) => all || fields.includes(name);
    const desk = deskOf(issue);
    const status = statusOf(issue.status);
    const priority = priorityOf(issue.priority);
    const out: Record<string, unknown> = {};
    if (want('summary')) out.summary = issue.summary;
    if (want('description')) out.description = issue.description;
    if (want('created')) out.created = issue.created;
    if (want('updated')) out.updated = issue.updated;
    if (want('resolutiondate')) out.resolutiondate = issue.resolutiondate;
    if (want('priority')) out.priority = { self: `${url}/rest/api/3/priority/${priority.id}`, id: priority.id, name: priority.name };
    if (want('status'))
      out.status = { self: `${url}/rest/api/3/status/${status.id}`, id: status.id, name: status.name, statusCategory: { key: status.statusCategory.key } };
    if (want('assignee')) out.assignee = user(issue.assignee);
    if (want('reporter')) out.reporter = user(issue.reporter);
    if (want('project'))
      out.project = {
        self: `${url}/rest/api/3/project/${desk?.projectId ?? '0'}`,
        id: desk?.projectId ?? '0',
        key: issue.projectKey,
        name: desk?.projectName ?? issue.projectKey,
      };
    if (want('issuetype')) out.issuetype = { id: '10100', name: '[System] Service request' };
    // attachment is navigable in Jira, but the importer asks for it by name to be sure.
    if (want('attachment'))
      out.attachment = issue.attachments.map((a) => ({
        self: `${url}/rest/api/3/attachment/${a.id}`,
        id: a.id,
        filename: a.filename,
        author: user(a.author),
        created: a.created,
        size: a.declaredSize ?? a.bytes.length,
        mimeType: a.mimeType,
        content: `${url}/rest/api/3/attachment/content/${a.id}`,
      }));
    if (want(FAKE_ORGANIZATION_FIELD))
      out[FAKE_ORGANIZATION_FIELD] = issue.organizations.map((id) => {
        const org = control.world.organizations.find((o) => o.id === id);
        // The platform API gives organization ids as numbers here (strings in the servicedeskapi).
        return { id: Number(id), name: org?.name ?? id, _links: { self: `${url}/rest/servicedeskapi/organization/${id}` } };
      });
    return { expand: '', id: issue.id, self: `${url}/rest/api/3/issue/${issue.id}`, key: issue.key, fields: out };
  }

  type Clause = (issue: FakeIssue) => boolean;
  function parseJql(jql: string): { match: Clause; order: { field: 'updated' | 'created' | 'key'; desc: boolean }[] } {
    const [where = '', orderBy] = jql.split(/\s+ORDER\s+BY\s+/i);
    const clauses: Clause[] = [];
    const text = where.trim();
    if (text !== '' && !/^ORDER\s+BY/i.test(text)) {
      for (const part of text.split(/\s+AND\s+/i)) {
        const p = part.trim().replace(/^\((.*)\)$/, '$1');
        let m = /^project\s*=\s*"?([\w-]+)"?$/i.exec(p);
        if (m) {
          const key = m[1];
          clauses.push((i) => i.projectKey === key);
          continue;
        }
        m = /^project\s+in\s*\(([^)]*)\)$/i.exec(p);
        if (m) {
          const keys = (m[1] ?? '').split(',').map((k) => k.trim().replace(/^"|"$/g, ''));
          clauses.push((i) => keys.includes(i.projectKey));
          continue;
        }
        m = /^(?:key|issuekey)\s*=\s*"?([\w-]+)"?$/i.exec(p);
        if (m) {
          const key = m[1];
          clauses.push((i) => i.key === key || i.id === key);
          continue;
        }
        m = /^(?:key|issuekey)\s+in\s*\(([^)]*)\)$/i.exec(p);
        if (m) {
          const keys = (m[1] ?? '').split(',').map((k) => k.trim().replace(/^"|"$/g, ''));
          clauses.push((i) => keys.includes(i.key) || keys.includes(i.id));
          continue;
        }
        m = /^(updated|created)\s*(>=|>|<=|<)\s*"?([^"]+)"?$/i.exec(p);
        if (m) {
          const field = (m[1] ?? '').toLowerCase() as 'updated' | 'created';
          const op = m[2];
          // Jira compares to the minute in the user's time zone; the fake treats "yyyy-MM-dd HH:mm" as UTC.
          const raw = (m[3] ?? '').trim();
          const at = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(raw) ? `${raw.replace(' ', 'T')}:00Z` : raw);
          if (Number.isNaN(at)) throw badRequest(`Date value '${raw}' for field '${field}' is invalid.`);
          clauses.push((i) => {
            const v = Date.parse(i[field]);
            return op === '>=' ? v >= at : op === '>' ? v > at : op === '<=' ? v <= at : v < at;
          });
          continue;
        }
        throw badRequest(`fake JSM: unsupported JQL clause '${p}'`);
      }
    }
    const order: { field: 'updated' | 'created' | 'key'; desc: boolean }[] = [];
    for (const item of (orderBy ?? '').split(',').filter((s) => s.trim() !== '')) {
      const m = /^\s*(updated|created|key)\s*(ASC|DESC)?\s*$/i.exec(item);
      if (!m) throw badRequest(`fake JSM: unsupported ORDER BY '${item.trim()}'`);
      order.push({ field: (m[1] ?? '').toLowerCase() as 'updated' | 'created' | 'key', desc: (m[2] ?? '').toUpperCase() === 'DESC' });
    }
    return { match: (i) => clauses.every((c) => c(i)), order };
  }
  function search(jql: string) {
    const { match, order } = parseJql(jql);
    const found = control.world.issues.filter(match);
    const keyNum = (k: string) => Number(k.split('-')[1] ?? 0);
    found.sort((a, b) => {
      for (const o of order) {
        const d =
          o.field === 'key' ? a.projectKey.localeCompare(b.projectKey) || keyNum(a.key) - keyNum(b.key) : Date.parse(a[o.field]) - Date.parse(b[o.field]);
        if (d !== 0) return o.desc ? -d : d;
      }
      return Number(a.id) - Number(b.id);
    });
    return found;
  }

  function slaJson(sla: JsmSla) {
    const cycle = (c: JsmSlaCycle) => ({
      ...c,
      startTime: jsmDate(c.startTime.iso8601),
      ...(c.stopTime ? { stopTime: jsmDate(c.stopTime.iso8601) } : {}),
      ...(c.breachTime ? { breachTime: jsmDate(c.breachTime.iso8601) } : {}),
    });
    return {
      id: sla.id,
      name: sla.name,
      _links: { self: `${url}/rest/servicedeskapi/request/sla/${sla.id}` },
      completedCycles: sla.completedCycles.map(cycle),
      ...(sla.ongoingCycle ? { ongoingCycle: cycle(sla.ongoingCycle) } : {}),
    };
  }

  async function readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return {};
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw badRequest('Invalid JSON body');
    }
  }

  async function route(req: http.IncomingMessage, full: URL): Promise<{ status: number; body?: unknown; headers?: Record<string, string>; raw?: Buffer }> {
    const method = req.method ?? 'GET';
    const path = full.pathname;
    const q = full.searchParams;
    const w = control.world;
    let m: RegExpExecArray | null = null;

    // The media service: the redirect's target carries its own token in real life, so no basic auth here.
    m = /^\/media\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      const attachment = w.issues.flatMap((i) => i.attachments).find((a) => a.id === id);
      if (!attachment) throw notFound('No such media');
      return { status: 200, raw: attachment.bytes, headers: { 'content-type': attachment.mimeType } };
    }
    if (req.headers.authorization !== expectedAuth) throw new HttpAnswer(401, 'Client must be authenticated to access this resource.');

    if (method === 'GET' && path === '/rest/api/3/myself') {
      const me = w.users.find((u) => u.accountType === 'atlassian') ?? w.users[0];
      if (!me) throw notFound('No user');
      return { status: 200, body: user(me.accountId) };
    }
    if (method === 'GET' && path === '/rest/servicedeskapi/servicedesk') return { status: 200, body: sdPage(w.serviceDesks, q, path) };
    m = method === 'GET' ? /^\/rest\/servicedeskapi\/servicedesk\/([^/]+)\/requesttype$/.exec(path) : null;
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      if (!w.serviceDesks.some((d) => d.id === id)) throw notFound('Service desk does not exist');
      return {
        status: 200,
        body: sdPage(
          w.requestTypes.filter((t) => t.serviceDeskId === id),
          q,
          path,
        ),
      };
    }
    m = method === 'GET' ? /^\/rest\/servicedeskapi\/servicedesk\/([^/]+)\/customer$/.exec(path) : null;
    if (m) {
      if (req.headers['x-experimentalapi'] !== 'opt-in') throw badRequest('This API is experimental. Experimental APIs are not guaranteed to be stable.');
      const id = decodeURIComponent(m[1] ?? '');
      if (!w.serviceDesks.some((d) => d.id === id)) throw notFound('Service desk does not exist');
      return {
        status: 200,
        body: sdPage(
          (w.deskCustomers[id] ?? []).map((a) => user(a)),
          q,
          path,
        ),
      };
    }
    if (method === 'GET' && path === '/rest/api/3/priority')
      return { status: 200, body: w.priorities.map((p) => ({ self: `${url}/rest/api/3/priority/${p.id}`, ...p })) };
    if (method === 'GET' && path === '/rest/api/3/status') return { status: 200, body: w.statuses };
    if (method === 'GET' && path === '/rest/api/3/field')
      return {
        status: 200,
        body: [
          { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
          {
            id: 'customfield_10001',
            name: 'Request participants',
            custom: true,
            schema: { type: 'array', items: 'user', custom: 'com.atlassian.servicedesk:sd-request-participants', customId: 10001 },
          },
          {
            id: FAKE_ORGANIZATION_FIELD,
            name: 'Organizations',
            custom: true,
            schema: { type: 'array', items: 'sd-customerorganization', custom: 'com.atlassian.servicedesk:sd-customer-organizations', customId: 10002 },
          },
        ],
      };
    if (method === 'GET' && path === '/rest/servicedeskapi/organization') return { status: 200, body: sdPage(w.organizations, q, path) };
    m = method === 'GET' ? /^\/rest\/servicedeskapi\/organization\/([^/]+)\/user$/.exec(path) : null;
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      if (!w.organizations.some((o) => o.id === id)) throw notFound('Organization does not exist');
      return {
        status: 200,
        body: sdPage(
          (w.organizationMembers[id] ?? []).map((a) => user(a)),
          q,
          path,
        ),
      };
    }
    if (method === 'POST' && path === '/rest/api/3/search/approximate-count') {
      const body = (await readBody(req)) as { jql?: unknown };
      if (typeof body.jql !== 'string') throw badRequest('jql is required');
      return { status: 200, body: { count: search(body.jql).length } };
    }
    if (method === 'POST' && path === '/rest/api/3/search/jql') {
      const body = (await readBody(req)) as { jql?: unknown; nextPageToken?: unknown; maxResults?: unknown; fields?: unknown };
      if (typeof body.jql !== 'string') throw badRequest('jql is required');
      let offset = 0;
      if (body.nextPageToken !== undefined && body.nextPageToken !== null) {
        try {
          const token = JSON.parse(Buffer.from(String(body.nextPageToken), 'base64url').toString('utf8')) as { o: number; j: string };
          if (token.j !== body.jql) throw new Error('other query');
          offset = token.o;
        } catch {
          throw badRequest('The nextPageToken is invalid.');
        }
      }
      const max = Math.min(typeof body.maxResults === 'number' ? body.maxResults : 50, sizes.search);
      const fields = Array.isArray(body.fields) ? body.fields.map(String) : ['id'];
      const found = search(body.jql);
      const issues = found.slice(offset, offset + max);
      const isLast = offset + issues.length >= found.length;
      return {
        status: 200,
        body: {
          issues: issues.map((i) => issueJson(i, fields)),
          ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ o: offset + issues.length, j: body.jql })).toString('base64url') }),
          isLast,
        },
      };
    }
    m = method === 'GET' ? /^\/rest\/servicedeskapi\/request\/([^/]+)(?:\/(participant|sla))?$/.exec(path) : null;
    if (m) {
      const issue = issueOf(decodeURIComponent(m[1] ?? ''));
      if (issue.serviceDeskId === '') throw notFound('This issue is not a customer request.');
      if (m[2] === 'participant')
        return {
          status: 200,
          body: sdPage(
            issue.participants.map((a) => user(a)),
            q,
            path,
          ),
        };
      if (m[2] === 'sla') return { status: 200, body: sdPage(issue.sla.map(slaJson), q, path) };
      const expand = (q.get('expand') ?? '').split(',');
      const status = statusOf(issue.status);
      const lastStatusChange = [...issue.changelog].reverse().find((e) => e.items.some((it) => it.field === 'status'));
      const none = new URLSearchParams();
      return {
        status: 200,
        body: {
          _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
          issueId: issue.id,
          issueKey: issue.key,
          requestTypeId: issue.requestTypeId,
          serviceDeskId: issue.serviceDeskId,
          createdDate: jsmDate(issue.created),
          reporter: user(issue.reporter),
          requestFieldValues: [{ fieldId: 'summary', label: 'Summary', value: issue.summary }],
          currentStatus: {
            status: status.name,
            statusCategory: status.statusCategory.key === 'done' ? 'DONE' : status.statusCategory.key === 'new' ? 'NEW' : 'INDETERMINATE',
            statusDate: jsmDate(lastStatusChange?.created ?? issue.created),
          },
          ...(expand.includes('requestType') ? { requestType: w.requestTypes.find((t) => t.id === issue.requestTypeId) } : {}),
          ...(expand.includes('participant')
            ? {
                participants: sdPage(
                  issue.participants.map((a) => user(a)),
                  none,
                  `${path}/participant`,
                ),
              }
            : {}),
          ...(expand.includes('sla') ? { sla: sdPage(issue.sla.map(slaJson), none, `${path}/sla`) } : {}),
          _links: { web: `${url}/servicedesk/customer/portal/${issue.serviceDeskId}/${issue.key}`, self: `${url}${path}` },
        },
      };
    }
    m = method === 'GET' ? /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(path) : null;
    if (m) {
      const issue = issueOf(decodeURIComponent(m[1] ?? ''));
      const { startAt, maxResults } = platformWindow(q);
      const orderBy = q.get('orderBy') ?? 'created';
      const sorted = [...issue.comments].sort((a, b) => Date.parse(a.created) - Date.parse(b.created) || Number(a.id) - Number(b.id));
      if (orderBy === '-created') sorted.reverse();
      return {
        status: 200,
        body: {
          startAt,
          maxResults,
          total: sorted.length,
          comments: sorted.slice(startAt, startAt + maxResults).map((c) => ({
            self: `${url}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
            id: c.id,
            author: user(c.author),
            body: c.body,
            updateAuthor: user(c.author),
            created: c.created,
            updated: c.created,
            jsdPublic: c.jsdPublic,
          })),
        },
      };
    }
    m = method === 'GET' ? /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/.exec(path) : null;
    if (m) {
      const issue = issueOf(decodeURIComponent(m[1] ?? ''));
      const { startAt, maxResults } = platformWindow(q);
      const values = issue.changelog
        .slice(startAt, startAt + maxResults)
        .map((e) => ({ id: e.id, author: user(e.author), created: e.created, items: e.items }));
      return {
        status: 200,
        body: {
          self: `${url}${path}?startAt=${startAt}&maxResults=${maxResults}`,
          maxResults,
          startAt,
          total: issue.changelog.length,
          isLast: startAt + values.length >= issue.changelog.length,
          values,
        },
      };
    }
    m = method === 'GET' ? /^\/rest\/api\/3\/attachment\/content\/([^/]+)$/.exec(path) : null;
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      if (!w.issues.some((i) => i.attachments.some((a) => a.id === id))) throw notFound('The attachment does not exist.');
      return { status: 303, headers: { location: `${url}/media/${encodeURIComponent(id)}` } };
    }
    throw notFound(`fake JSM: no route for ${method} ${path}`);
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const pathWithQuery = req.url ?? '/';
    const send = (status: number, headers: Record<string, string>, body?: string | Buffer) => {
      control.log.push({ method, path: pathWithQuery, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    void (async () => {
      try {
        control.onRequest?.(method, pathWithQuery);
        const failure = failures.find((f) => pathWithQuery.startsWith(f.prefix) && f.times > 0);
        if (failure) {
          failure.times--;
          if (failure.times === 0) failures.splice(failures.indexOf(failure), 1);
          req.resume();
          send(failure.answer.status, { 'content-type': 'application/json', ...failure.answer.headers }, failure.answer.body ?? '');
          return;
        }
        const answer = await route(req, new URL(pathWithQuery, url));
        if (answer.raw) send(answer.status, { 'content-length': String(answer.raw.length), ...answer.headers }, answer.raw);
        else
          send(
            answer.status,
            { 'content-type': 'application/json;charset=UTF-8', ...answer.headers },
            answer.body === undefined ? '' : JSON.stringify(answer.body),
          );
      } catch (error) {
        if (error instanceof HttpAnswer) {
          req.resume();
          send(error.status, { 'content-type': 'application/json;charset=UTF-8' }, JSON.stringify(error.body));
        } else {
          send(500, { 'content-type': 'application/json;charset=UTF-8' }, JSON.stringify({ errorMessages: [String(error)] }));
        }
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  control.url = url;
  return control;
}

// ---------------------------------------------------------------------------------------------
// Worlds

const text = (t: string) => ({ type: 'text', text: t });
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const date = (iso: string) => ({ iso8601: iso, epochMillis: Date.parse(iso) });
const hours = (h: number) => ({ millis: h * 3_600_000 });
/** Jira's own date format in the platform API. */
const jiraDate = (iso: string) => new Date(iso).toISOString().replace('Z', '+0000');

const PRIORITIES: JsmPriority[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];
const STATUSES: JsmStatus[] = [
  { id: '10001', name: 'Waiting for support', statusCategory: { key: 'new' } },
  { id: '10002', name: 'In Progress', statusCategory: { key: 'indeterminate' } },
  { id: '10003', name: 'Waiting for customer', statusCategory: { key: 'indeterminate' } },
  { id: '10004', name: 'Resolved', statusCategory: { key: 'done' } },
  { id: '10005', name: 'Closed', statusCategory: { key: 'done' } },
];

const change = (field: string, from: string | null, fromString: string | null, to: string | null, toText: string | null): JsmChangelogItem => ({
  field,
  fieldtype: 'jira',
  fieldId: field === 'Key' ? undefined : field,
  from,
  fromString,
  to,
  toString: toText,
});

/**
 * The tests' scenario. Users: agent-alice (the agent and the importer), cust-claire (Acme),
 * cust-bob (Acme and Globex), cust-chen (Initech), cust-dana (no organization, a CON customer),
 * cust-hidden (Acme, email hidden). SUP-1 resolved with met and breached SLAs, public and internal
 * comments, a full changelog and three attachments (big.log is 300 KiB); SUP-2 open with three
 * participants and three SLAs (paging needed), TTR ongoing; SUP-3 waiting for the customer with its
 * TTR ongoing and paused; CON-1 moved from SUP-4; CON-2 with a table and a mention; SUP-5 from the
 * customer with a hidden email.
 */
export function sampleWorld(): JsmWorld {
  const ttfrMet = {
    id: '1',
    name: 'Time to first response',
    completedCycles: [
      {
        startTime: date('2026-03-02T09:00:00.000Z'),
        stopTime: date('2026-03-02T10:00:00.000Z'),
        breachTime: date('2026-03-02T13:00:00.000Z'),
        breached: false,
        goalDuration: hours(4),
        elapsedTime: hours(1),
        remainingTime: hours(3),
      },
    ],
  };
  return {
    serviceDesks: [
      { id: '1', projectId: '10000', projectKey: 'SUP', projectName: 'Support' },
      { id: '2', projectId: '10001', projectKey: 'CON', projectName: 'Consulting' },
    ],
    requestTypes: [
      { id: '10', name: 'Get IT help', description: 'Ask for help with anything IT', serviceDeskId: '1' },
      { id: '11', name: 'Solva Flex hours', description: 'Use your Flex hours', serviceDeskId: '1' },
      { id: '12', name: 'Report a bug', serviceDeskId: '1' },
      { id: '20', name: 'Book a consultant', serviceDeskId: '2' },
      { id: '21', name: 'Ask a question', serviceDeskId: '2' },
    ],
    priorities: PRIORITIES,
    statuses: STATUSES,
    organizations: [
      { id: '1', name: 'Acme' },
      { id: '2', name: 'Globex' },
      { id: '3', name: 'Initech' },
    ],
    organizationMembers: { '1': ['cust-claire', 'cust-bob', 'cust-hidden'], '2': ['cust-bob'], '3': ['cust-chen'] },
    deskCustomers: { '1': ['cust-claire', 'cust-bob', 'cust-chen', 'cust-hidden'], '2': ['cust-bob', 'cust-dana'] },
    users: [
      {
        accountId: 'agent-alice',
        emailAddress: 'alice@solva.example',
        displayName: 'Alice Agent',
        accountType: 'atlassian',
        active: true,
        timeZone: 'Europe/Paris',
      },
      { accountId: 'cust-claire', emailAddress: 'claire@acme.example', displayName: 'Claire Client', accountType: 'customer', active: true },
      { accountId: 'cust-bob', emailAddress: 'bob@globex.example', displayName: 'Bob Both', accountType: 'customer', active: true },
      { accountId: 'cust-chen', emailAddress: 'chen@initech.example', displayName: 'Chen Initech', accountType: 'customer', active: true },
      { accountId: 'cust-dana', emailAddress: 'dana@example.org', displayName: 'Dana Solo', accountType: 'customer', active: true },
      { accountId: 'cust-hidden', emailAddress: null, displayName: 'Hidden Email', accountType: 'customer', active: true },
    ],
    issues: [
      {
        id: '10001',
        key: 'SUP-1',
        projectKey: 'SUP',
        serviceDeskId: '1',
        requestTypeId: '10',
        summary: 'Printer on floor 2 *jammed*',
        description: doc(paragraph(text('The printer shows '), { type: 'text', text: 'E42', marks: [{ type: 'code' }] }, text('.')), {
          type: 'mediaSingle',
          content: [{ type: 'media', attrs: { type: 'file', id: 'f-1', collection: '', alt: 'screenshot.png' } }],
        }),
        created: jiraDate('2026-03-02T09:00:00Z'),
        updated: jiraDate('2026-03-03T16:00:00Z'),
        resolutiondate: jiraDate('2026-03-03T16:00:00Z'),
        priority: 'High',
        status: 'Resolved',
        assignee: 'agent-alice',
        reporter: 'cust-claire',
        organizations: ['1'],
        participants: [],
        comments: [
          { id: '100', author: 'agent-alice', body: doc(paragraph(text('Looking into it.'))), created: jiraDate('2026-03-02T10:00:00Z'), jsdPublic: true },
          {
            id: '101',
            author: 'agent-alice',
            body: doc(paragraph(text('Internal: the toner supplier is late.'))),
            created: jiraDate('2026-03-02T11:00:00Z'),
            jsdPublic: false,
          },
          {
            id: '102',
            author: 'cust-claire',
            body: doc(paragraph(text('Here is the report.')), {
              type: 'mediaGroup',
              content: [{ type: 'media', attrs: { type: 'file', id: 'f-2', collection: '', alt: 'report.pdf' } }],
            }),
            created: jiraDate('2026-03-02T12:00:00Z'),
            jsdPublic: true,
          },
          {
            id: '103',
            author: 'agent-alice',
            body: doc(paragraph(text('Fixed, the tray was stuck.'))),
            created: jiraDate('2026-03-03T16:00:00Z'),
            jsdPublic: true,
          },
        ],
        changelog: [
          {
            id: '1000',
            author: 'agent-alice',
            created: jiraDate('2026-03-02T10:00:00Z'),
            items: [change('assignee', null, null, 'agent-alice', 'Alice Agent')],
          },
          {
            id: '1001',
            author: 'agent-alice',
            created: jiraDate('2026-03-02T10:00:01Z'),
            items: [change('status', '10001', 'Waiting for support', '10002', 'In Progress'), change('priority', '3', 'Medium', '2', 'High')],
          },
          {
            id: '1002',
            author: 'agent-alice',
            created: jiraDate('2026-03-03T16:00:00Z'),
            items: [change('status', '10002', 'In Progress', '10004', 'Resolved')],
          },
        ],
        attachments: [
          {
            id: '5001',
            filename: 'screenshot.png',
            mimeType: 'image/png',
            created: jiraDate('2026-03-02T09:00:00Z'),
            author: 'cust-claire',
            bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
          },
          {
            id: '5002',
            filename: 'report.pdf',
            mimeType: 'application/pdf',
            created: jiraDate('2026-03-02T12:00:00Z'),
            author: 'cust-claire',
            bytes: Buffer.from('%PDF-1.4\n%fake\n'),
          },
          {
            id: '5003',
            filename: 'big.log',
            mimeType: 'text/plain',
            created: jiraDate('2026-03-02T12:00:00Z'),
            author: 'agent-alice',
            bytes: Buffer.alloc(300 * 1024, 'x'),
          },
        ],
        sla: [
          ttfrMet,
          {
            id: '2',
            name: 'Time to resolution',
            completedCycles: [
              {
                startTime: date('2026-03-02T09:00:00.000Z'),
                stopTime: date('2026-03-03T16:00:00.000Z'),
                breachTime: date('2026-03-02T17:00:00.000Z'),
                breached: true,
                goalDuration: hours(8),
                elapsedTime: hours(15),
                remainingTime: { millis: -hours(7).millis },
              },
            ],
          },
        ],
      },
      {
        id: '10002',
        key: 'SUP-2',
        projectKey: 'SUP',
        serviceDeskId: '1',
        requestTypeId: '11',
        summary: 'Use 3 Flex hours for the migration',
        description: doc(
          { type: 'heading', attrs: { level: 2 }, content: [text('Scope')] },
          { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Move the mailboxes'))] }] },
        ),
        created: jiraDate('2026-03-04T08:30:00Z'),
        updated: jiraDate('2026-03-04T09:30:00Z'),
        resolutiondate: null,
        priority: 'Medium',
        status: 'In Progress',
        assignee: 'agent-alice',
        reporter: 'cust-bob',
        organizations: ['1', '2'],
        participants: ['cust-claire', 'cust-hidden', 'cust-chen'],
        comments: [{ id: '110', author: 'cust-bob', body: doc(paragraph(text('Thanks!'))), created: jiraDate('2026-03-04T09:30:00Z'), jsdPublic: true }],
        changelog: [
          {
            id: '1100',
            author: 'agent-alice',
            created: jiraDate('2026-03-04T09:00:00Z'),
            items: [change('status', '10001', 'Waiting for support', '10002', 'In Progress')],
          },
        ],
        attachments: [],
        sla: [
          {
            id: '1',
            name: 'Time to first response',
            completedCycles: [
              {
                startTime: date('2026-03-04T08:30:00.000Z'),
                stopTime: date('2026-03-04T09:00:00.000Z'),
                breachTime: date('2026-03-04T12:30:00.000Z'),
                breached: false,
                goalDuration: hours(4),
                elapsedTime: { millis: 1_800_000 },
                remainingTime: { millis: 12_600_000 },
              },
            ],
          },
          {
            id: '2',
            name: 'Time to resolution',
            completedCycles: [],
            ongoingCycle: {
              startTime: date('2026-03-04T08:30:00.000Z'),
              breachTime: date('2026-03-04T16:30:00.000Z'),
              breached: false,
              paused: false,
              withinCalendarHours: true,
              goalDuration: hours(8),
              elapsedTime: hours(1),
              remainingTime: hours(7),
            },
          },
          { id: '3', name: 'Time to close after resolution', completedCycles: [] },
        ],
      },
      {
        id: '10003',
        key: 'SUP-3',
        projectKey: 'SUP',
        serviceDeskId: '1',
        requestTypeId: '12',
        summary: 'Login page error',
        description: null,
        created: jiraDate('2026-03-05T10:00:00Z'),
        updated: jiraDate('2026-03-05T11:00:00Z'),
        resolutiondate: null,
        priority: 'Low',
        status: 'Waiting for customer',
        assignee: null,
        reporter: 'cust-chen',
        organizations: ['3'],
        participants: [],
        comments: [
          {
            id: '120',
            author: 'agent-alice',
            body: doc(paragraph(text('Which browser, '), { type: 'mention', attrs: { id: 'cust-chen', text: '@Chen Initech' } }, text('?'))),
            created: jiraDate('2026-03-05T11:00:00Z'),
            jsdPublic: true,
          },
        ],
        changelog: [
          {
            id: '1200',
            author: 'agent-alice',
            created: jiraDate('2026-03-05T11:00:00Z'),
            items: [change('status', '10001', 'Waiting for support', '10003', 'Waiting for customer')],
          },
        ],
        attachments: [],
        sla: [
          {
            id: '2',
            name: 'Time to resolution',
            completedCycles: [],
            ongoingCycle: {
              startTime: date('2026-03-05T10:00:00.000Z'),
              breachTime: date('2026-03-05T18:00:00.000Z'),
              breached: false,
              paused: true,
              withinCalendarHours: true,
              goalDuration: hours(8),
              elapsedTime: hours(1),
              remainingTime: hours(7),
            },
          },
        ],
      },
      {
        id: '10004',
        key: 'CON-1',
        projectKey: 'CON',
        serviceDeskId: '2',
        requestTypeId: '21',
        summary: 'Which plan for 40 seats?',
        description: doc(paragraph(text('We grow to 40 people.'))),
        created: jiraDate('2026-03-06T09:00:00Z'),
        updated: jiraDate('2026-03-06T14:00:00Z'),
        resolutiondate: null,
        priority: 'Medium',
        status: 'Waiting for support',
        assignee: null,
        reporter: 'cust-bob',
        organizations: ['2'],
        participants: [],
        comments: [],
        changelog: [
          {
            id: '1300',
            author: 'agent-alice',
            created: jiraDate('2026-03-06T14:00:00Z'),
            items: [change('project', '10000', 'Support', '10001', 'Consulting'), change('Key', null, 'SUP-4', null, 'CON-1')],
          },
        ],
        attachments: [],
        sla: [],
      },
      {
        id: '10005',
        key: 'CON-2',
        projectKey: 'CON',
        serviceDeskId: '2',
        requestTypeId: '20',
        summary: 'Book two days of consulting',
        description: doc(paragraph(text('Dates:')), {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                { type: 'tableHeader', content: [paragraph(text('Day'))] },
                { type: 'tableHeader', content: [paragraph(text('Topic'))] },
              ],
            },
            {
              type: 'tableRow',
              content: [
                { type: 'tableCell', content: [paragraph(text('12 March'))] },
                { type: 'tableCell', content: [paragraph(text('SSO'))] },
              ],
            },
          ],
        }),
        created: jiraDate('2026-03-07T09:00:00Z'),
        updated: jiraDate('2026-03-07T09:00:00Z'),
        resolutiondate: null,
        priority: 'Highest',
        status: 'Waiting for support',
        assignee: null,
        reporter: 'cust-dana',
        organizations: [],
        participants: [],
        comments: [],
        changelog: [],
        attachments: [],
        sla: [
          {
            id: '1',
            name: 'Time to first response',
            completedCycles: [],
            ongoingCycle: {
              startTime: date('2026-03-07T09:00:00.000Z'),
              breachTime: date('2026-03-07T13:00:00.000Z'),
              breached: true,
              paused: false,
              goalDuration: hours(4),
              elapsedTime: hours(5),
              remainingTime: { millis: -hours(1).millis },
            },
          },
        ],
      },
      {
        id: '10006',
        key: 'SUP-5',
        projectKey: 'SUP',
        serviceDeskId: '1',
        requestTypeId: '10',
        summary: 'Password reset',
        description: doc(paragraph(text('Please reset my password.'))),
        created: jiraDate('2026-03-08T09:00:00Z'),
        updated: jiraDate('2026-03-08T09:00:00Z'),
        resolutiondate: null,
        priority: 'Medium',
        status: 'Waiting for support',
        assignee: null,
        reporter: 'cust-hidden',
        organizations: [],
        participants: [],
        comments: [],
        changelog: [],
        attachments: [],
        sla: [],
      },
    ],
  };
}

/** A generated world for the benchmark: n requests with `comments` comments each (deterministic, no attachments). */
export function generatedWorld(n: number, comments: number): JsmWorld {
  const base = sampleWorld();
  const orgCount = 10;
  const customerCount = Math.max(1, Math.ceil(n / 10));
  const customers: JsmUser[] = Array.from({ length: customerCount }, (_, i) => ({
    accountId: `gen-cust-${i}`,
    emailAddress: `customer${i}@org${i % orgCount}.example`,
    displayName: `Customer ${i}`,
    accountType: 'customer',
    active: true,
  }));
  const organizations = Array.from({ length: orgCount }, (_, i) => ({ id: String(100 + i), name: `Organization ${i}` }));
  const organizationMembers: Record<string, string[]> = {};
  for (const [i, c] of customers.entries()) {
    const org = String(100 + (i % orgCount));
    organizationMembers[org] = [...(organizationMembers[org] ?? []), c.accountId];
  }
  const start = Date.parse('2025-01-01T08:00:00Z');
  const issues: FakeIssue[] = Array.from({ length: n }, (_, i) => {
    const created = start + i * 3_600_000;
    const reporter = `gen-cust-${i % customerCount}`;
    const done = i % 3 === 0;
    return {
      id: String(20000 + i),
      key: `SUP-${i + 1}`,
      projectKey: 'SUP',
      serviceDeskId: '1',
      requestTypeId: ['10', '11', '12'][i % 3] ?? '10',
      summary: `Generated request ${i + 1}`,
      description: doc(paragraph(text(`Description of request ${i + 1}, `), { type: 'text', text: 'bold', marks: [{ type: 'strong' }] })),
      created: jiraDate(new Date(created).toISOString()),
      updated: jiraDate(new Date(created + (comments + 1) * 60_000).toISOString()),
      resolutiondate: done ? jiraDate(new Date(created + (comments + 1) * 60_000).toISOString()) : null,
      priority: PRIORITIES[i % PRIORITIES.length]?.name ?? 'Medium',
      status: done ? 'Resolved' : 'In Progress',
      assignee: 'agent-alice',
      reporter,
      organizations: [String(100 + ((i % customerCount) % orgCount))],
      participants: [],
      comments: Array.from({ length: comments }, (_, j) => ({
        id: String(1_000_000 + i * comments + j),
        author: j % 2 === 0 ? 'agent-alice' : reporter,
        body: doc(paragraph(text(`Comment ${j + 1} on request ${i + 1}.`))),
        created: jiraDate(new Date(created + (j + 1) * 60_000).toISOString()),
        jsdPublic: j % 4 !== 3,
      })),
      changelog: [
        {
          id: String(2_000_000 + i),
          author: 'agent-alice',
          created: jiraDate(new Date(created + 60_000).toISOString()),
          items: [change('status', '10001', 'Waiting for support', '10002', 'In Progress')],
        },
      ],
      attachments: [],
      sla: [
        {
          id: '1',
          name: 'Time to first response',
          completedCycles: [
            {
              startTime: date(new Date(created).toISOString()),
              stopTime: date(new Date(created + 60_000).toISOString()),
              breachTime: date(new Date(created + 4 * 3_600_000).toISOString()),
              breached: false,
              goalDuration: hours(4),
              elapsedTime: { millis: 60_000 },
              remainingTime: { millis: 4 * 3_600_000 - 60_000 },
            },
          ],
        },
      ],
    };
  });
  return {
    ...base,
    organizations,
    organizationMembers,
    deskCustomers: { '1': customers.map((c) => c.accountId), '2': [] },
    users: [base.users[0] as JsmUser, ...customers],
    issues,
  };
}
