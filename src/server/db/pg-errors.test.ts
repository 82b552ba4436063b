import { describe, expect, it } from 'vitest';
import { innermostMessage, isDatabaseUnavailable, isUniqueViolation } from './pg-errors.ts';

/** How Drizzle and better-auth hand a driver error on: wrapped, the driver's error as `cause`. */
const wrapped = (cause: unknown) => new Error('Failed query: insert into …', { cause: new Error('APIError', { cause }) });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a restart ending the session (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a server shutting down (57P03)', pgError('57P03', 'the database system is shutting down')],
    ['a crash of another backend (57P02)', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['a connection exception (08006)', pgError('08006', 'connection failure')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a refused connection to every address', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a connection lost mid-statement', new Error('Connection terminated unexpectedly')],
    ['the pool waiting too long for a connection', new Error('timeout exceeded when trying to connect')],
    ['a client used after its connection failed', new Error('Client has encountered a connection error and is not queryable')],
  ])('is true for %s, wrapped or not', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', pgError('42601', 'syntax error at or near "selec"')],
    ['a serialization failure', pgError('40001', 'could not serialize access')],
    ['an error of the code', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('is false for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(false);
  });

  it('leaves unique violations to isUniqueViolation', () => {
    expect(isUniqueViolation(wrapped(pgError('23505', 'duplicate key')))).toBe(true);
  });
});

describe('innermostMessage', () => {
  it('says what the driver said, without the query and its parameters', () => {
    const failed = new Error('Failed query: select * from "session" where "token" = $1\nparams: secret-token', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    });
    expect(innermostMessage(new Error('Failed to get session', { cause: failed }))).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(innermostMessage(new Error('Failed query: select 1\nparams: secret-token'))).toBe('Failed query: select 1');
  });
});
