import { setTimeout as wait } from 'node:timers/promises';
import type { z } from 'zod';
import {
  type JsmChangelogEntry,
  type JsmComment,
  type JsmIssue,
  type JsmOrganization,
  type JsmPriority,
  type JsmRequest,
  type JsmRequestType,
  type JsmServiceDesk,
  type JsmSla,
  type JsmStatus,
  type JsmUser,
  jsmChangelogPageSchema,
  jsmCommentPageSchema,
  jsmCountSchema,
  jsmFieldSchema,
  jsmOrganizationSchema,
  jsmPrioritySchema,
  jsmRequestRawSchema,
  jsmRequestTypeSchema,
  jsmSearchPageSchema,
  jsmServiceDeskSchema,
  jsmSlaSchema,
  jsmStatusSchema,
  jsmUserSchema,
  servicedeskPageSchema,
} from './jsm-schemas.ts';

export type {
  JsmAttachment,
  JsmChangelogEntry,
  JsmChangelogItem,
  JsmComment,
  JsmDate,
  JsmDuration,
  JsmIssue,
  JsmOrganization,
  JsmPriority,
  JsmRequest,
  JsmRequestType,
  JsmServiceDesk,
  JsmSla,
  JsmSlaCycle,
  JsmStatus,
  JsmUser,
} from './jsm-schemas.ts';

/*
 * A client of Jira Service Management Cloud's REST APIs (the platform's /rest/api/3 and the
 * servicedeskapi), reading only. Every answer is checked against its documented shape
 * (jsm-schemas.ts). Rate limits (429) are waited out as Atlassian asks (Retry-After, else an
 * exponential backoff); 5xx and network errors are retried a bounded number of times. Waits go
 * through an injectable sleep so tests never really wait. The token never appears in an error.
 */

export type JsmClientOptions = {
  site: string;
  email: string;
  token: string;
  fetch?: typeof fetch;
  /** Injectable wait: tests record the waits and never really wait. Default: real setTimeout, aborted by signal. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait on a 429 (seconds to wait, from Retry-After: seconds or HTTP date; else exponential backoff 1,2,4..60 s with jitter off). */
  onRateLimit?: (waitSeconds: number) => void | Promise<void>;
  /** Called before each retry of a 5xx or network error (attempt number, error text). */
  onRetry?: (attempt: number, error: string) => void | Promise<void>;
  /** 5xx and network errors: default 5, backoff 1,2,4,8,16 s via sleep. 429s give up after 30 consecutive ones. */
  maxRetries?: number;
  signal?: AbortSignal;
  now?: () => number;
};

/** A JSM answer the import cannot use: non-retryable status, retries exhausted, or a malformed body. */
export class JsmHttpError extends Error {
  status: number;
  path: string;
  constructor(status: number, path: string, message: string) {
    super(message);
    this.name = 'JsmHttpError';
    this.status = status;
    this.path = path;
  }
}

/** 401 or 403: the email and token are wrong, or the account may not read this. */
export class JsmAuthError extends JsmHttpError {
  constructor(status: number, path: string, message: string) {
    super(status, path, message);
    this.name = 'JsmAuthError';
  }
}

export interface JsmClient {
  myself(): Promise<JsmUser>;
  serviceDesks(): AsyncIterable<JsmServiceDesk>;
  requestTypes(serviceDeskId: string): AsyncIterable<JsmRequestType>;
  priorities(): Promise<JsmPriority[]>;
  statuses(): Promise<JsmStatus[]>;
  /** The id of the "Organizations" custom field (schema.custom 'com.atlassian.servicedesk:sd-customer-organizations'); null if absent. */
  organizationFieldId(): Promise<string | null>;
  organizations(): AsyncIterable<JsmOrganization>;
  organizationUsers(organizationId: string): AsyncIterable<JsmUser>;
  customers(serviceDeskId: string): AsyncIterable<JsmUser>;
  approximateCount(jql: string): Promise<number>;
  /** One page of POST /rest/api/3/search/jql; nextPageToken null on the last page. */
  searchPage(
    jql: string,
    nextPageToken: string | undefined,
    maxResults: number,
    fields: string[],
  ): Promise<{ issues: JsmIssue[]; nextPageToken: string | null }>;
  /** The service request with its participants and SLAs in full; null on 404 (not a service request). */
  request(issueIdOrKey: string): Promise<JsmRequest | null>;
  comments(issueIdOrKey: string): AsyncIterable<JsmComment>;
  changelog(issueIdOrKey: string): AsyncIterable<JsmChangelogEntry>;
  /** The bytes of an attachment, or 'too_large' as soon as more than maxBytes are announced or read. */
  attachmentContent(id: string, maxBytes: number): Promise<Buffer | 'too_large'>;
}

const ORGANIZATIONS_FIELD = 'com.atlassian.servicedesk:sd-customer-organizations';
const SERVICEDESK_LIMIT = 50;
const PLATFORM_MAX_RESULTS = 100;
const MAX_CONSECUTIVE_429 = 30;
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

type Call = { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> };

export function createJsmClient(options: JsmClientOptions): JsmClient {
  const site = options.site.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const signal = options.signal;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 5;
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`;
  const secrets = [options.token, authorization.slice('Basic '.length)].filter((s) => s.length >= 4);
  // The abort's own reason, as fetch gives it, rather than timers' generic AbortError.
  const sleep =
    options.sleep ??
    ((ms: number) =>
      wait(ms, undefined, signal ? { signal } : {}).catch((error: unknown) => {
        throw signal?.aborted ? signal.reason : error;
      }));

  /** Error texts may echo what they were given; the credentials never leave this client. */
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);

  function throwIfAborted() {
    signal?.throwIfAborted();
  }

  function retryAfterSeconds(response: Response, consecutive: number): number {
    const header = response.headers.get('retry-after');
    if (header !== null) {
      const trimmed = header.trim();
      if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
      const at = Date.parse(trimmed);
      if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now()) / 1000));
    }
    return Math.min(2 ** (consecutive - 1), MAX_RATE_LIMIT_WAIT_SECONDS);
  }

  async function statusError(response: Response, path: string): Promise<JsmHttpError> {
    let detail = '';
    try {
      detail = (await response.text()).slice(0, 300).replace(/\s+/g, ' ').trim();
    } catch {
      // The status says enough.
    }
    const message = scrub(`JSM answered ${response.status} to ${path}${detail ? `: ${detail}` : ''}`);
    if (response.status === 401 || response.status === 403) return new JsmAuthError(response.status, path, message);
    return new JsmHttpError(response.status, path, message);
  }

  /**
   * One request with its retries: the answer once it is 2xx (or 3xx left unfollowed), or 404 when
   * `allow404`; a JsmHttpError otherwise.
   */
  async function send(path: string, call: Call = {}, allow404 = false): Promise<Response> {
    let failures = 0;
    let consecutive429 = 0;
    for (;;) {
      throwIfAborted();
      let response: Response;
      try {
        response = await doFetch(`${site}${path}`, {
          method: call.method ?? 'GET',
          headers: {
            Authorization: authorization,
            Accept: 'application/json',
            ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...call.headers,
          },
          body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failures++;
        const text = scrub(error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error));
        if (failures > maxRetries) throw new JsmHttpError(0, path, `JSM could not be reached for ${path} after ${maxRetries} retries: ${text}`);
        await options.onRetry?.(failures, text);
        await sleep(2 ** (failures - 1) * 1000);
        continue;
      }
      if (response.status === 429) {
        consecutive429++;
        if (consecutive429 >= MAX_CONSECUTIVE_429) {
          await response.body?.cancel();
          throw new JsmHttpError(429, path, `JSM kept answering 429 (rate limited) to ${path}: gave up after ${MAX_CONSECUTIVE_429} tries in a row`);
        }
        const seconds = retryAfterSeconds(response, consecutive429);
        await response.body?.cancel();
        await options.onRateLimit?.(seconds);
        await sleep(seconds * 1000);
        continue;
      }
      consecutive429 = 0;
      if (response.status >= 500) {
        failures++;
        const error = await statusError(response, path);
        if (failures > maxRetries) {
          error.message = `${error.message} (after ${maxRetries} retries)`;
          throw error;
        }
        await options.onRetry?.(failures, error.message);
        await sleep(2 ** (failures - 1) * 1000);
        continue;
      }
      if (response.status === 404 && allow404) return response;
      if (response.status >= 400) throw await statusError(response, path);
      return response;
    }
  }

  /**
   * A request and the reading of its body, retried together: a connection cut while the body is
   * read is a network error like any other.
   */
  async function sendAndRead<T>(path: string, call: Call, allow404: boolean, read: (response: Response) => Promise<T>): Promise<T> {
    let failures = 0;
    for (;;) {
      const response = await send(path, call, allow404);
      try {
        return await read(response);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof JsmHttpError) throw error;
        failures++;
        const text = scrub(error instanceof Error ? error.message : String(error));
        if (failures > maxRetries) throw new JsmHttpError(0, path, `JSM's answer to ${path} was cut off after ${maxRetries} retries: ${text}`);
        await options.onRetry?.(failures, text);
        await sleep(2 ** (failures - 1) * 1000);
      }
    }
  }

  async function json<S extends z.ZodType>(path: string, schema: S, call: Call = {}): Promise<z.output<S>> {
    return parse(path, schema, await sendAndRead(path, call, false, (response) => readJson(path, response)));
  }

  async function readJson(path: string, response: Response): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new JsmHttpError(response.status, path, `JSM answered ${path} with something that is not JSON`);
    }
  }

  function parse<S extends z.ZodType>(path: string, schema: S, body: unknown): z.output<S> {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new JsmHttpError(200, path, scrub(`JSM's answer to ${path} is malformed: field ${field}: ${issue?.message ?? 'invalid'}`));
  }

  /** servicedeskapi paging: start/limit, until isLastPage; the next start follows what was served. */
  async function* servicedeskPages<S extends z.ZodType>(base: string, item: S, start = 0, headers?: Record<string, string>): AsyncGenerator<z.output<S>> {
    const page = servicedeskPageSchema(item);
    let at = start;
    const sep = base.includes('?') ? '&' : '?';
    for (;;) {
      const answer = await json(`${base}${sep}start=${at}&limit=${SERVICEDESK_LIMIT}`, page, headers ? { headers } : {});
      for (const value of answer.values) yield value as z.output<S>;
      if (answer.isLastPage || answer.values.length === 0) return;
      at = (answer.start ?? at) + answer.values.length;
    }
  }

  const enc = encodeURIComponent;

  return {
    myself: () => json('/rest/api/3/myself', jsmUserSchema),

    serviceDesks: () => servicedeskPages('/rest/servicedeskapi/servicedesk', jsmServiceDeskSchema),

    requestTypes: (serviceDeskId) => servicedeskPages(`/rest/servicedeskapi/servicedesk/${enc(serviceDeskId)}/requesttype`, jsmRequestTypeSchema),

    priorities: () => json('/rest/api/3/priority', jsmPrioritySchema.array()),

    statuses: () => json('/rest/api/3/status', jsmStatusSchema.array()),

    async organizationFieldId() {
      const fields = await json('/rest/api/3/field', jsmFieldSchema.array());
      return fields.find((field) => field.schema?.custom === ORGANIZATIONS_FIELD)?.id ?? null;
    },

    organizations: () => servicedeskPages('/rest/servicedeskapi/organization', jsmOrganizationSchema),

    organizationUsers: (organizationId) => servicedeskPages(`/rest/servicedeskapi/organization/${enc(organizationId)}/user`, jsmUserSchema),

    customers: (serviceDeskId) =>
      servicedeskPages(`/rest/servicedeskapi/servicedesk/${enc(serviceDeskId)}/customer`, jsmUserSchema, 0, { 'X-ExperimentalApi': 'opt-in' }),

    async approximateCount(jql) {
      return (await json('/rest/api/3/search/approximate-count', jsmCountSchema, { method: 'POST', body: { jql } })).count;
    },

    async searchPage(jql, nextPageToken, maxResults, fields) {
      const body = { jql, ...(nextPageToken ? { nextPageToken } : {}), maxResults, fields, expand: '' };
      const answer = await json('/rest/api/3/search/jql', jsmSearchPageSchema, { method: 'POST', body });
      const next = answer.isLast === true ? null : (answer.nextPageToken ?? null);
      return { issues: answer.issues, nextPageToken: next };
    },

    async request(issueIdOrKey) {
      const base = `/rest/servicedeskapi/request/${enc(issueIdOrKey)}`;
      const path = `${base}?expand=requestType,participant,status,sla`;
      const body = await sendAndRead(path, {}, true, async (response) => {
        if (response.status !== 404) return readJson(path, response);
        await response.body?.cancel();
        return null;
      });
      if (body === null) return null;
      const raw = parse(path, jsmRequestRawSchema, body);
      const participants: JsmUser[] = [...(raw.participants?.values ?? [])];
      if (raw.participants && !raw.participants.isLastPage) {
        for await (const user of servicedeskPages(`${base}/participant`, jsmUserSchema, participants.length)) participants.push(user);
      }
      const sla: JsmSla[] = [...(raw.sla?.values ?? [])];
      if (raw.sla && !raw.sla.isLastPage) {
        for await (const one of servicedeskPages(`${base}/sla`, jsmSlaSchema, sla.length)) sla.push(one);
      }
      return { ...raw, participants, sla };
    },

    async *comments(issueIdOrKey) {
      let startAt = 0;
      for (;;) {
        const page = await json(
          `/rest/api/3/issue/${enc(issueIdOrKey)}/comment?orderBy=created&startAt=${startAt}&maxResults=${PLATFORM_MAX_RESULTS}`,
          jsmCommentPageSchema,
        );
        yield* page.comments;
        startAt = page.startAt + page.comments.length;
        if (page.comments.length === 0 || startAt >= page.total) return;
      }
    },

    async *changelog(issueIdOrKey) {
      let startAt = 0;
      for (;;) {
        const page = await json(
          `/rest/api/3/issue/${enc(issueIdOrKey)}/changelog?startAt=${startAt}&maxResults=${PLATFORM_MAX_RESULTS}`,
          jsmChangelogPageSchema,
        );
        yield* page.values;
        startAt = page.startAt + page.values.length;
        if (page.values.length === 0 || page.isLast === true || (page.total !== undefined && startAt >= page.total)) return;
      }
    },

    attachmentContent(id, maxBytes) {
      const path = `/rest/api/3/attachment/content/${enc(id)}`;
      return sendAndRead(path, {}, false, async (response): Promise<Buffer | 'too_large'> => {
        const declared = Number(response.headers.get('content-length') ?? Number.NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.body?.cancel();
          return 'too_large';
        }
        if (!response.body) return Buffer.alloc(0);
        const chunks: Buffer[] = [];
        let total = 0;
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > maxBytes) {
            await reader.cancel();
            return 'too_large';
          }
          chunks.push(Buffer.from(value));
        }
        return Buffer.concat(chunks, total);
      });
    },
  };
}
