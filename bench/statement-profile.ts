import pg from 'pg';

/**
 * Time spent per SQL statement (by its text) while `profile.on`, for the entries that profile their
 * PostgreSQL run (inbound, jsm import): every pg client's query is wrapped, once per process however
 * many entries ask, and each entry switches the recording on around its measured run.
 */
export const profile = { on: false, byStatement: new Map<string, { calls: number; ms: number }>() };

let wrapped = false;

export function wrapQueries(): void {
  if (wrapped) return;
  wrapped = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (!profile.on || !(result instanceof Promise)) return result;
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 160);
    const t = performance.now();
    const done = () => {
      const entry = profile.byStatement.get(text) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - t;
      profile.byStatement.set(text, entry);
    };
    result.then(done, done);
    return result;
  } as typeof pg.Client.prototype.query;
}
