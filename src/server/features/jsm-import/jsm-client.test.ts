import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_JSM_EMAIL,
  FAKE_JSM_TOKEN,
  FAKE_ORGANIZATION_FIELD,
  generatedWorld,
  type JsmServerControl,
  sampleWorld,
  startJsmServer,
} from '../../../../tests/support/jsm-server.ts';
import { createJsmClient, JsmAuthError, JsmHttpError, type JsmClientOptions } from './jsm-client.ts';

let server: JsmServerControl;
let waits: number[];
let rateLimits: number[];
let retries: [number, string][];

beforeEach(async () => {
  server = await startJsmServer(sampleWorld());
  waits = [];
  rateLimits = [];
  retries = [];
});
afterEach(async () => {
  await server.close();
});

function client(options: Partial<JsmClientOptions> = {}) {
  return createJsmClient({
    site: server.url,
    email: FAKE_JSM_EMAIL,
    token: FAKE_JSM_TOKEN,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRateLimit: (seconds) => {
      rateLimits.push(seconds);
    },
    onRetry: (attempt, error) => {
      retries.push([attempt, error]);
    },
    ...options,
  });
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const requested = (prefix: string) => server.log.filter((entry) => entry.path.startsWith(prefix)).map((entry) => entry.path);

describe('reading JSM', () => {
  it('checks the credentials with myself', async () => {
    const me = await client().myself();
    expect(me).toMatchObject({ accountId: 'agent-alice', displayName: 'Alice Agent', emailAddress: 'alice@solva.example' });
  });

  it('pages the servicedeskapi lists (start/limit/isLastPage) following the server’s page size', async () => {
    const c = client();
    expect((await all(c.serviceDesks())).map((d) => d.projectKey)).toEqual(['SUP', 'CON']);
    expect((await all(c.requestTypes('1'))).map((t) => t.name)).toEqual(['Get IT help', 'Solva Flex hours', 'Report a bug']);
    expect(requested('/rest/servicedeskapi/servicedesk/1/requesttype')).toEqual([
      '/rest/servicedeskapi/servicedesk/1/requesttype?start=0&limit=50',
      '/rest/servicedeskapi/servicedesk/1/requesttype?start=2&limit=50',
    ]);
    expect((await all(c.organizations())).map((o) => o.name)).toEqual(['Acme', 'Globex', 'Initech']);
    expect((await all(c.organizationUsers('1'))).map((u) => u.accountId)).toEqual(['cust-claire', 'cust-bob', 'cust-hidden']);
    expect(requested('/rest/servicedeskapi/organization/1/user')).toHaveLength(2);
    // The fake refuses the customer list without the experimental opt-in header, as JSM does.
    const customers = await all(c.customers('1'));
    expect(customers.map((u) => u.accountId)).toEqual(['cust-claire', 'cust-bob', 'cust-chen', 'cust-hidden']);
    expect(customers[3]?.emailAddress).toBeNull();
    expect(requested('/rest/servicedeskapi/servicedesk/1/customer')).toHaveLength(2);
  });

  it('reads priorities, statuses and finds the Organizations field', async () => {
    const c = client();
    expect((await c.priorities()).map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect((await c.statuses()).find((s) => s.name === 'Resolved')?.statusCategory.key).toBe('done');
    expect(await c.organizationFieldId()).toBe(FAKE_ORGANIZATION_FIELD);
  });

  it('answers null for the Organizations field when the site has none', async () => {
    server.failNext('/rest/api/3/field', { status: 200, body: JSON.stringify([{ id: 'summary', name: 'Summary', schema: { type: 'string' } }]) });
    expect(await client().organizationFieldId()).toBeNull();
  });

  it('counts and pages the search with opaque tokens until the last page', async () => {
    const c = client();
    const jql = 'project in (SUP, CON) ORDER BY created ASC';
    expect(await c.approximateCount(jql)).toBe(6);
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await c.searchPage(jql, token, 100, ['*navigable', 'attachment', FAKE_ORGANIZATION_FIELD]);
      pages++;
      keys.push(...page.issues.map((i) => i.key));
      if (page.issues[0]?.key === 'SUP-1') {
        const first = page.issues[0];
        expect(first.fields.attachment?.map((a) => [a.filename, a.size])).toEqual([
          ['screenshot.png', 16],
          ['report.pdf', 15],
          ['big.log', 300 * 1024],
        ]);
        expect(first.fields[FAKE_ORGANIZATION_FIELD]).toMatchObject([{ id: 1, name: 'Acme' }]);
        expect(first.fields.status).toMatchObject({ name: 'Resolved', statusCategory: { key: 'done' } });
      }
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(pages).toBe(2);
    expect(keys).toEqual(['SUP-1', 'SUP-2', 'SUP-3', 'CON-1', 'CON-2', 'SUP-5']);
  });

  it('filters and orders by the JQL the fake understands, and refuses the rest as Jira would', async () => {
    const c = client();
    expect(await c.approximateCount('project = CON')).toBe(2);
    expect(await c.approximateCount('key in (SUP-1, CON-2)')).toBe(2);
    expect(await c.approximateCount('project in (SUP, CON) AND updated >= "2026-03-05 00:00"')).toBe(4);
    expect(await c.approximateCount('project = SUP AND updated < "2026-03-04T09:30:00Z"')).toBe(1);
    const page = await c.searchPage('project = SUP ORDER BY updated DESC', undefined, 100, ['*navigable']);
    expect(page.issues.map((i) => i.key)).toEqual(['SUP-5', 'SUP-3', 'SUP-2']);
    await expect(c.approximateCount('status = Open')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("unsupported JQL clause 'status = Open'"),
    });
  });

  it('reads a request with all its participants and SLAs, paging past the expanded page', async () => {
    const request = await client().request('SUP-2');
    expect(request?.participants.map((u) => u.accountId)).toEqual(['cust-claire', 'cust-hidden', 'cust-chen']);
    expect(request?.sla.map((s) => s.name)).toEqual(['Time to first response', 'Time to resolution', 'Time to close after resolution']);
    expect(request?.sla[1]?.ongoingCycle).toMatchObject({ paused: false, goalDuration: { millis: 8 * 3_600_000 } });
    expect(request).toMatchObject({ issueKey: 'SUP-2', requestTypeId: '11', serviceDeskId: '1', currentStatus: { status: 'In Progress' } });
    // Typed access (tsc checks that these are the documented fields, not `unknown`).
    expect([request?.issueKey.toLowerCase(), request?.createdDate.epochMillis, request?.reporter.accountId]).toEqual([
      'sup-2',
      Date.parse('2026-03-04T08:30:00Z'),
      'cust-bob',
    ]);
    expect(requested('/rest/servicedeskapi/request/SUP-2/participant')).toEqual(['/rest/servicedeskapi/request/SUP-2/participant?start=2&limit=50']);
    expect(requested('/rest/servicedeskapi/request/SUP-2/sla')).toEqual(['/rest/servicedeskapi/request/SUP-2/sla?start=2&limit=50']);
  });

  it('reads a request whose expanded page is complete without asking more', async () => {
    const request = await client().request('SUP-1');
    expect(request?.sla.map((s) => [s.name, s.completedCycles[0]?.breached])).toEqual([
      ['Time to first response', false],
      ['Time to resolution', true],
    ]);
    expect(server.log.map((e) => e.path)).toEqual(['/rest/servicedeskapi/request/SUP-1?expand=requestType,participant,status,sla']);
  });

  it('answers null for an issue that is not a service request', async () => {
    expect(await client().request('SUP-999')).toBeNull();
    server.world.issues[0]!.serviceDeskId = '';
    expect(await client().request('SUP-1')).toBeNull();
  });

  it('pages comments (startAt/total) in creation order with their visibility', async () => {
    const comments = await all(client().comments('SUP-1'));
    expect(comments.map((c) => [c.id, c.jsdPublic])).toEqual([
      ['100', true],
      ['101', false],
      ['102', true],
      ['103', true],
    ]);
    expect(requested('/rest/api/3/issue/SUP-1/comment')).toHaveLength(2);
  });

  it('pages the changelog (startAt/isLast)', async () => {
    const entries = await all(client().changelog('SUP-1'));
    expect(entries.map((e) => e.items.map((i) => i.field))).toEqual([['assignee'], ['status', 'priority'], ['status']]);
    expect(entries[1]?.items[1]).toMatchObject({ from: '3', fromString: 'Medium', to: '2', toString: 'High' });
    expect(requested('/rest/api/3/issue/SUP-1/changelog')).toHaveLength(2);
    const moved = await all(client().changelog('CON-1'));
    expect(moved[0]?.items.find((i) => i.field === 'Key')).toMatchObject({ fromString: 'SUP-4', toString: 'CON-1' });
  });

  it('fetches attachment content through the media redirect', async () => {
    const bytes = await client().attachmentContent('5002', 1024);
    expect(bytes).toEqual(Buffer.from('%PDF-1.4\n%fake\n'));
    expect(server.log.map((e) => [e.path, e.status])).toEqual([
      ['/rest/api/3/attachment/content/5002', 303],
      ['/media/5002', 200],
    ]);
  });

  it('answers too_large from the announced length, and without reading the whole body when none is announced', async () => {
    expect(await client().attachmentContent('5003', 100 * 1024)).toBe('too_large');
    let pulled = 0;
    // A media answer without Content-Length: the client must stop reading past maxBytes.
    const unannounced: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!response.body || !String(response.url).includes('/media/')) return response;
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) controller.close();
            else {
              pulled += value.byteLength;
              controller.enqueue(value);
            }
          },
          cancel: (reason) => reader.cancel(reason),
        },
        { highWaterMark: 0 },
      );
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(body, { status: response.status, headers });
    };
    expect(await client({ fetch: unannounced }).attachmentContent('5003', 100 * 1024)).toBe('too_large');
    expect(pulled).toBeGreaterThan(100 * 1024);
    expect(pulled).toBeLessThan(300 * 1024);
    expect(await client({ fetch: unannounced }).attachmentContent('5001', 100 * 1024)).toEqual(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  });
});

describe('the generated world', () => {
  it('serves n requests with their comments, deterministically', async () => {
    expect(generatedWorld(25, 3)).toEqual(generatedWorld(25, 3));
    const big = await startJsmServer(generatedWorld(25, 3), { pageSize: { search: 10, platform: 100 } });
    try {
      const c = createJsmClient({ site: big.url, email: FAKE_JSM_EMAIL, token: FAKE_JSM_TOKEN });
      expect(await c.approximateCount('project = SUP')).toBe(25);
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.searchPage('project = SUP ORDER BY created ASC', token, 100, ['*navigable', FAKE_ORGANIZATION_FIELD]);
        keys.push(...page.issues.map((i) => i.key));
        token = page.nextPageToken ?? undefined;
      } while (token);
      expect(keys).toHaveLength(25);
      expect(new Set(keys).size).toBe(25);
      expect(await all(c.comments('SUP-7'))).toHaveLength(3);
      expect((await c.request('SUP-7'))?.sla).toHaveLength(1);
      expect((await all(c.organizations())).length).toBe(10);
    } finally {
      await big.close();
    }
  });
});

describe('rate limits and failures', () => {
  it('waits out 429s for the Retry-After seconds, through the injected sleep', async () => {
    server.failNext('/rest/api/3/myself', { status: 429, headers: { 'Retry-After': '7' } }, 2);
    expect((await client().myself()).accountId).toBe('agent-alice');
    expect(rateLimits).toEqual([7, 7]);
    expect(waits).toEqual([7000, 7000]);
    expect(retries).toEqual([]);
  });

  it('waits until a Retry-After HTTP date, by the injected clock', async () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    server.failNext('/rest/api/3/priority', { status: 429, headers: { 'Retry-After': new Date(now + 30_000).toUTCString() } });
    expect(await client({ now: () => now }).priorities()).toHaveLength(5);
    expect(rateLimits).toEqual([30]);
    expect(waits).toEqual([30_000]);
  });

  it('backs off exponentially on 429s without Retry-After, up to 60 s, and gives up after 30 in a row', async () => {
    server.failNext('/rest/api/3/status', { status: 429 }, 30);
    const error = await client()
      .statuses()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsmHttpError);
    expect(error).toMatchObject({ status: 429, path: '/rest/api/3/status' });
    expect(rateLimits.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(rateLimits).toHaveLength(29);
    expect(requested('/rest/api/3/status')).toHaveLength(30);
  });

  it('retries a 500 in the middle of paging and carries on from the same page', async () => {
    server.failNext('/rest/servicedeskapi/organization?start=2', { status: 500, body: '{"errorMessages":["oops"]}' });
    expect((await all(client().organizations())).map((o) => o.id)).toEqual(['1', '2', '3']);
    expect(waits).toEqual([1000]);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.[0]).toBe(1);
    expect(retries[0]?.[1]).toContain('500');
    expect(requested('/rest/servicedeskapi/organization?start=2')).toHaveLength(2);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (++calls === 1) throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      return fetch(input, init);
    };
    expect((await client({ fetch: flaky }).myself()).accountId).toBe('agent-alice');
    expect(retries).toEqual([[1, 'fetch failed (ECONNRESET)']]);
    expect(waits).toEqual([1000]);
  });

  it('retries an answer cut off while its body is read', async () => {
    let calls = 0;
    const cut: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (++calls > 1) return response;
      await response.body?.cancel();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"accountId":"ag'));
          controller.error(new TypeError('terminated'));
        },
      });
      return new Response(body, { status: 200, headers: response.headers });
    };
    expect((await client({ fetch: cut }).myself()).accountId).toBe('agent-alice');
    expect(retries).toEqual([[1, 'terminated']]);
    expect(waits).toEqual([1000]);
  });

  it('retries a failing media download behind the redirect', async () => {
    server.failNext('/media/5002', { status: 502 });
    expect(await client().attachmentContent('5002', 1024)).toEqual(Buffer.from('%PDF-1.4\n%fake\n'));
    expect(server.log.map((e) => [e.path, e.status])).toEqual([
      ['/rest/api/3/attachment/content/5002', 303],
      ['/media/5002', 502],
      ['/rest/api/3/attachment/content/5002', 303],
      ['/media/5002', 200],
    ]);
    expect(waits).toEqual([1000]);
  });

  it('gives up on a lasting 5xx after maxRetries with a JsmHttpError, backing off 1, 2, 4, 8, 16 s', async () => {
    server.failNext('/rest/api/3/issue/SUP-1/comment', { status: 503 }, 100);
    const error = await all(client().comments('SUP-1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsmHttpError);
    expect(error).not.toBeInstanceOf(JsmAuthError);
    expect(error).toMatchObject({ status: 503, path: '/rest/api/3/issue/SUP-1/comment?orderBy=created&startAt=0&maxResults=100' });
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(requested('/rest/api/3/issue/SUP-1/comment')).toHaveLength(6);

    waits = [];
    server.failNext('/rest/api/3/myself', { status: 500 }, 100);
    await expect(client({ maxRetries: 2 }).myself()).rejects.toMatchObject({ status: 500 });
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not retry other 4xx answers', async () => {
    server.failNext('/rest/api/3/search/jql', { status: 400, body: '{"errorMessages":["Error in the JQL Query"]}' });
    await expect(client().searchPage('nonsense', undefined, 100, [])).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Error in the JQL Query'),
    });
    expect(waits).toEqual([]);
  });
});

describe('credentials and safety', () => {
  it('turns 401 and 403 into a JsmAuthError that never shows the token', async () => {
    const wrong = 'ATATT-wrong-token-secret-value';
    const error = await client({ token: wrong })
      .myself()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsmAuthError);
    expect(error).toMatchObject({ status: 401, path: '/rest/api/3/myself' });
    const basic = Buffer.from(`${FAKE_JSM_EMAIL}:${wrong}`).toString('base64');
    expect(String((error as Error).message)).not.toContain(wrong);
    expect(String((error as Error).stack)).not.toContain(basic);

    server.failNext('/rest/servicedeskapi/servicedesk', { status: 403, body: `{"errorMessage":"no permission for ${FAKE_JSM_TOKEN}"}` });
    const forbidden = await all(client().serviceDesks()).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(JsmAuthError);
    expect((forbidden as Error).message).toContain('no permission');
    expect((forbidden as Error).message).not.toContain(FAKE_JSM_TOKEN);
  });

  it('keeps the token out of retry messages and final errors even when the server echoes it', async () => {
    server.failNext('/rest/api/3/myself', { status: 500, body: `token was ${FAKE_JSM_TOKEN}` }, 10);
    const error = (await client({ maxRetries: 1 })
      .myself()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('token was ***');
    expect(error.message).not.toContain(FAKE_JSM_TOKEN);
    expect(retries.map(([, text]) => text).join()).not.toContain(FAKE_JSM_TOKEN);
  });

  it('names the path and the field of a malformed answer', async () => {
    server.failNext('/rest/api/3/myself', { status: 200, body: JSON.stringify({ displayName: 'No id' }) });
    await expect(client().myself()).rejects.toThrow(/\/rest\/api\/3\/myself.*field accountId/);

    server.world.issues[1]!.summary = 42 as unknown as string;
    const error = await client()
      .searchPage('project = SUP ORDER BY created', undefined, 100, ['*navigable'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsmHttpError);
    expect(error).toMatchObject({ path: '/rest/api/3/search/jql', message: expect.stringContaining('field issues.1.fields.summary') });

    server.failNext('/rest/api/3/issue/SUP-1/changelog', { status: 200, body: '<html>maintenance</html>' });
    await expect(all(client().changelog('SUP-1'))).rejects.toThrow(/not JSON/);
  });

  it('stops in-flight paging when the signal aborts', async () => {
    const controller = new AbortController();
    server.onRequest = (_method, path) => {
      if (path.includes('/comment?') && path.includes('startAt=2')) controller.abort(new Error('import paused'));
    };
    const seen: string[] = [];
    const error = await (async () => {
      for await (const comment of client({ signal: controller.signal }).comments('SUP-1')) seen.push(comment.id);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'import paused' });
    expect(seen).toEqual(['100', '101']);
  });

  it('aborts a rate-limit wait with the default sleep, without waiting it out', async () => {
    const controller = new AbortController();
    server.failNext('/rest/api/3/myself', { status: 429, headers: { 'Retry-After': '3600' } });
    const c = createJsmClient({
      site: server.url,
      email: FAKE_JSM_EMAIL,
      token: FAKE_JSM_TOKEN,
      signal: controller.signal,
      onRateLimit: (seconds) => {
        rateLimits.push(seconds);
        setImmediate(() => controller.abort(new Error('stopped')));
      },
    });
    await expect(c.myself()).rejects.toThrow('stopped');
    expect(rateLimits).toEqual([3600]);
  });
});
