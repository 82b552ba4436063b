import { IDEMPOTENCY_KEY_HEADER } from '#shared/idempotency.ts';

/** The one way the web app talks to the API: JSON in and out, the session cookie, errors as ApiError. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** For a value over or under a limit: the limit the server names (characters, bytes, minutes…). */
  readonly limit: number | undefined;
  constructor(status: number, code: string, message: string, field?: string, limit?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.limit = limit;
  }

  /** The error of a failed response, from Guichet's `{ code, message, field, limit }` body. */
  static fromResponse(status: number, statusText: string, data: unknown, fallback: { code?: string; field?: string } = {}): ApiError {
    const error = (data ?? {}) as { code?: unknown; message?: unknown; field?: unknown; limit?: unknown };
    return new ApiError(
      status,
      typeof error.code === 'string' ? error.code : (fallback.code ?? `http.${status}`),
      typeof error.message === 'string' ? error.message : statusText,
      typeof error.field === 'string' ? error.field : fallback.field,
      typeof error.limit === 'number' ? error.limit : undefined,
    );
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type ApiOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** For a creation: the submission's key (lib/submission.ts), so that sending it again creates nothing more. */
  idempotencyKey?: string;
};

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, query, signal, idempotencyKey } = options;
  const headers: Record<string, string> =
    body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = idempotencyKey;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network.unreachable', 'The server cannot be reached.');
  }
  const text = await response.text();
  let data: unknown;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) throw ApiError.fromResponse(response.status, response.statusText, data);
  return data as T;
}

/** A page of a keyset-paginated list, as every list endpoint returns it. */
export type Page<T> = { items: T[]; nextCursor: string | null };
