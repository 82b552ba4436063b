/*
 * Work that must follow a commit, never precede it (printing a held e-mail: a message of a
 * transaction that rolls back must not appear). Drizzle has no commit hook, so the database's
 * `transaction` is wrapped once, where it is opened (openDatabase): each transaction keeps a list of
 * callbacks, run once the outermost one has committed. A savepoint's callbacks join its parent's
 * when it is released, and are dropped with it when it rolls back.
 */

type Callback = () => void;
type TransactionOwner = { transaction: (fn: (tx: object) => Promise<unknown>, config?: unknown) => Promise<unknown> };

const callbacksOf = new WeakMap<object, Callback[]>();

/** A database or one of its transactions (client.ts's Db or Tx; typed loosely here, as client.ts builds on this file). */
type DbOrTx = object;

const inTransaction = (db: DbOrTx) => typeof (db as { rollback?: unknown }).rollback === 'function';

/**
 * Runs `callback` once `db`'s transaction has committed; at once when `db` is the database itself
 * (each statement has committed when it returns). A callback that throws does not undo the commit;
 * the others still run.
 */
export function afterCommit(db: DbOrTx, callback: Callback): void {
  const pending = callbacksOf.get(db);
  if (pending) pending.push(callback);
  else if (inTransaction(db)) throw new Error('afterCommit: a transaction not opened by a database from openDatabase');
  else runAll([callback]);
}

function runAll(callbacks: Callback[]) {
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      console.error('after commit:', error);
    }
  }
}

function wrap(owner: TransactionOwner, whenDone: (callbacks: Callback[]) => void) {
  const original = owner.transaction.bind(owner);
  owner.transaction = async (fn, config) => {
    const callbacks: Callback[] = [];
    const result = await original(async (tx) => {
      callbacksOf.set(tx, callbacks);
      wrap(tx as TransactionOwner, (nested) => callbacks.push(...nested));
      return fn(tx);
    }, config);
    whenDone(callbacks);
    return result;
  };
}

/** Makes `db`'s transactions keep their after-commit callbacks (see above). */
export function trackCommits<T extends object>(db: T): T {
  wrap(db as unknown as TransactionOwner, runAll);
  return db;
}
