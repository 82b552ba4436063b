import type { SQLWrapper } from 'drizzle-orm';
import { afterCommit } from '../db/after-commit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { DomainEvent, EventContext, EventOf, EventType, RequestCreated } from './catalog.ts';

/*
 * The event bus. This folder imports no feature: commands import `publish` and the catalog, and the
 * reactions are wired once by src/server/subscribers.ts, beside app.ts and workers.ts (which import
 * it), the only place that imports both sides. So a command knows none of its reactions, no feature
 * imports another's side effects, and the bus makes no import cycle.
 */

/**
 * What a subscriber of request.created adds to the creation: writes that join its one statement,
 * and work to do once they are written (queuing the delivery of an e-mail), in the creation's
 * transaction when `needsTransaction` says it must be one.
 */
export type CreationReaction = { writes: SQLWrapper[]; afterWrites?: (db: DbOrTx) => Promise<void>; needsTransaction?: boolean };

// biome-ignore lint/suspicious/noConfusingVoidType: a reaction returns nothing, as the async functions it is written with do (Promise<void>).
type Reaction<T extends EventType> = T extends 'request.created' ? CreationReaction : void;

export type Subscriber<T extends EventType = EventType> =
  | {
      /** For the registry test. */
      name: string;
      on: T;
      /**
       * in_transaction: runs inside the command's transaction, in registration order, after the
       * command's own writes; its failure rolls the whole change back.
       */
      phase: 'in_transaction';
      run: (tx: DbOrTx, ctx: EventContext, event: EventOf<T>) => Promise<Reaction<T>>;
    }
  | {
      name: string;
      on: T;
      /**
       * after_commit: runs once the command's transaction has committed (never for a change rolled
       * back), outside it: for work on something else than this database's rows, such as pg-boss's
       * schedules. Its failure is logged and undoes nothing. It is not durable: a process that stops
       * between the commit and the reaction loses it, so a reaction that must happen (a webhook) needs
       * a persisted outbox of events instead (see src/server/subscribers.ts).
       */
      phase: 'after_commit';
      run: (ctx: EventContext, event: EventOf<T>) => Promise<void>;
    };

export type AnySubscriber = { [T in EventType]: Subscriber<T> }[EventType];

/** A subscriber, typed by the event it listens to. */
export const subscriber = <T extends EventType>(s: Subscriber<T>): AnySubscriber => s as unknown as AnySubscriber;

let wired: readonly AnySubscriber[] | null = null;

/** Called once, by src/server/subscribers.ts. Wiring twice (another list) is a mistake, not a merge. */
export function wireSubscribers(list: readonly AnySubscriber[]): void {
  if (wired && wired !== list) throw new Error('events: the subscribers are wired already');
  wired = list;
}

/** The subscribers of an event, in registration order (the registry test reads them). */
export function subscribersOf<T extends EventType>(type: T): Subscriber<T>[] {
  // An event published before the wiring would silently lose its reactions (the SLA clocks among them).
  if (!wired) throw new Error('events: no subscribers wired; import src/server/subscribers.ts where the application is built');
  return wired.filter((s) => s.on === type) as unknown as Subscriber<T>[];
}

/**
 * Runs the in-transaction subscribers of an event in the caller's transaction, one after the other,
 * and leaves the after-commit ones to run once it has committed.
 */
export async function publish(tx: DbOrTx, ctx: EventContext, event: Exclude<DomainEvent, RequestCreated>): Promise<void> {
  for (const s of subscribersOf(event.type) as Subscriber[]) {
    if (s.phase === 'in_transaction') await s.run(tx, ctx, event as never);
    else {
      const run = s.run;
      afterCommit(tx, () => {
        run(ctx, event as never).catch((error: unknown) => console.error(`event ${event.type}: subscriber ${s.name} failed after commit:`, error));
      });
    }
  }
}

/**
 * request.created: the creation reads everything first and writes the request and all that comes
 * with it in one statement, so its subscribers read (through `db`) and return their writes, which
 * the command adds to that statement, and the work that follows them, which the command runs once
 * the statement is written. They still hold with the creation: all or nothing.
 */
export async function prepareCreation(db: DbOrTx, ctx: EventContext, event: RequestCreated): Promise<Required<CreationReaction>> {
  const writes: SQLWrapper[] = [];
  const after: NonNullable<CreationReaction['afterWrites']>[] = [];
  let needsTransaction = false;
  for (const s of subscribersOf('request.created')) {
    if (s.phase !== 'in_transaction') throw new Error(`request.created: ${s.name} must run in the transaction (a creation has no after-commit reactions yet)`);
    const reaction = await s.run(db, ctx, event);
    writes.push(...reaction.writes);
    if (reaction.afterWrites) after.push(reaction.afterWrites);
    needsTransaction ||= reaction.needsTransaction ?? false;
  }
  return {
    writes,
    needsTransaction,
    afterWrites: async (written) => {
      for (const run of after) await run(written);
    },
  };
}
