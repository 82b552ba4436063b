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

/** How long a client is told to wait before sending a request again while the database is away (a restart takes seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;
/** The one answer while the database cannot be reached: send the request again after Retry-After (a creation with its Idempotency-Key, so that one whose commit did go through is not made twice). */
export const databaseUnavailable = () =>
  new AppError(503, 'service.database_unavailable', 'The service is briefly unavailable; please try again in a moment.', undefined, undefined, {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
