/**
 * True when a database error is a unique violation (SQLSTATE 23505). Drizzle wraps driver errors
 * in a DrizzleQueryError whose `cause` is the driver's error, so the chain is searched.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** The name of the constraint a unique violation broke, when the driver says it. */
export function violatedConstraint(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

/**
 * SQLSTATEs of a server going away or not there yet: 57P01 admin_shutdown (a fast stop or restart),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), and class 08
 * (connection exceptions).
 */
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|08...)$/;
/** The socket errors of a server that is not listening or dropped the connection. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What node-postgres and its pool say when a connection dies, cannot be opened in time, or is unusable after an error. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Query read timeout)/;

/**
 * True when an error says the database cannot be reached (restarting, stopped, connection lost),
 * rather than that a statement was wrong: the request may be sent again once it is back. Drizzle and
 * better-auth wrap driver errors (`cause`), so the chain is searched.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // Node reports a refused connection to every address of a name (::1 and 127.0.0.1) as one AggregateError.
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** What went wrong in one line, without the query and its parameters: the innermost error's message (the driver's). */
export function innermostMessage(error: unknown): string {
  let inner: unknown = error;
  for (let depth = 0; (inner as { cause?: unknown })?.cause instanceof Error && depth < 8; depth++) inner = (inner as { cause: Error }).cause;
  return inner instanceof Error ? inner.message.split('\n')[0]! : String(inner);
}
