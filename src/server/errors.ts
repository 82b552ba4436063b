/**
 * The one error type of Guichet: an HTTP status, a stable code, a message and the field at fault;
 * for a value over or under a limit, the limit itself (so a client can say it in its own words).
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly limit: number | undefined;
  /** For a 429 (or a 503): how long to wait before trying again, sent as Retry-After. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, field?: string, limit?: number, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.limit = limit;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what = 'resource') => new AppError(404, `${what}.not_found`, `The ${what} does not exist.`);
export const badRequest = (code: string, message: string, field?: string) => new AppError(400, code, message, field);
export const conflict = (code: string, message: string, field?: string) => new AppError(409, code, message, field);
export const forbidden = (code = 'auth.forbidden', message = 'You may not do this.') => new AppError(403, code, message);
export const unauthorized = () => new AppError(401, 'auth.unauthenticated', 'Please log in.');
