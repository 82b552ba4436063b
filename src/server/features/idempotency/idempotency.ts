import { createHash } from 'node:crypto';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN } from '#shared/idempotency.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { isDatabaseUnavailable } from '../../db/pg-errors.ts';
import { idempotencyKey } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

/*
 * Idempotency-Key on creating requests (README, "API"). A route opts in with `config.idempotent`
 * and answers through `answerCreation`. For a request carrying the header:
 *
 * 1. Before the handler, the key is claimed for the caller: a row (user, key) holding the method and
 *    path, a hash of the body and no answer yet, in a statement of its own, so that a second request
 *    with the key sees it at once. That second request gets the first answer if there is one, 422
 *    when its path or body differ, or 409 with Retry-After while the first is still running.
 * 2. The creation stores its answer (status, Location, serialized body) in the claim row inside its
 *    own transaction (`onCreated`): the answer commits with the creation, or neither does. A crash
 *    after the commit therefore leaves an answer to replay, never an empty claim over a creation
 *    that happened; and an empty claim always means that nothing was created.
 * 3. Any other outcome creates nothing (the transaction rolled back): a 4xx or 5xx answer releases
 *    the key (the row is deleted), so the same submission may be sent again and is judged afresh.
 *    A claim left behind by a process that died is taken over after IN_FLIGHT_TAKEOVER_MS. The
 *    answer is stored only while the claim is still the one taken (same created_at, no answer), so
 *    even a first request slower than that, once overtaken, cannot commit a second creation.
 *
 * Answers are kept 24 hours: an older key is a new key (taken over), and the sweep deletes it.
 */

/** How long a first answer is replayed. */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A claim with no answer after this long belongs to a request whose process died; it is taken over. */
export const IN_FLIGHT_TAKEOVER_MS = 60 * 1000;
/** What a request sent while the first one with its key still runs is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 1;
const JSON_TYPE = 'application/json; charset=utf-8';
/** The answer headers worth replaying (the content type, and where the created resource lives). */
const REPLAYED_HEADERS = ['content-type', 'location'];

type Claim = { userId: string; key: string; claimedAt: Date; answered: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A creating POST that accepts an Idempotency-Key (its handler answers through `answerCreation`). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The key this request claimed, while it runs. */
    idempotency: Claim | null;
  }
}

export type Answer = { status: number; headers?: Record<string, string>; body: unknown };
/** What a creating command calls inside its transaction, once everything is written, with what it created. */
export type OnCreated<T> = (tx: Tx, created: T) => Promise<void>;

const DESCRIPTION =
  `Send an \`${IDEMPOTENCY_KEY_HEADER}\` header (1–${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, e.g. a UUID, one per submission) to make a retry safe: ` +
  'within 24 hours the same key with the same body answers the first answer again (status, body and Location; `Idempotent-Replayed: true`) without creating anything; ' +
  'the same key on another path or with another body is 422 `idempotency.key_reused`; while the first request is still running, 409 `idempotency.in_progress` with `Retry-After`. ' +
  'Keys are per user. An answer that created nothing (4xx, 5xx) is not kept: the key can be sent again.';

const headersSchema = z.looseObject({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .optional()
    // Documented here, checked by the hook below (so the 400 names the header with its own code).
    .meta({ description: DESCRIPTION, minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: IDEMPOTENCY_KEY_PATTERN.source }),
});

const problem = (code: string, status: number, message: string, limit?: number) => new AppError(status, code, message, IDEMPOTENCY_KEY_HEADER, limit);
const inProgress = () =>
  problem('idempotency.in_progress', 409, `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being handled; send it again in a moment.`);

/** Hooks of the mechanism, for the whole app: the routes' documentation, the claim before the handler, the release after a failure. */
export function registerIdempotency(app: FastifyInstance): void {
  app.decorateRequest('idempotency', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    if ([route.method].flat().some((m) => m !== 'POST')) throw new Error(`${route.url}: only POST routes can be idempotent.`);
    if (route.config.access === 'public') throw new Error(`${route.url}: idempotency keys are per user; an idempotent route needs a logged-in user.`);
    if (route.schema?.headers) throw new Error(`${route.url}: an idempotent route has no headers schema of its own.`);
    route.schema = {
      ...route.schema,
      description: [route.schema?.description, DESCRIPTION].filter(Boolean).join('\n\n'),
      headers: headersSchema,
      response: { ...(route.schema?.response as object | undefined), 409: errorSchema, 422: errorSchema },
    };
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    const raw = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw key.length > IDEMPOTENCY_KEY_MAX_LENGTH
        ? problem('idempotency.key_invalid', 400, `${IDEMPOTENCY_KEY_HEADER}: at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`, IDEMPOTENCY_KEY_MAX_LENGTH)
        : problem('idempotency.key_invalid', 400, `${IDEMPOTENCY_KEY_HEADER}: 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters.`);
    }
    const userId = request.user!.id;
    const now = app.ctx.clock.now();
    const outcome = await claimKey(app.ctx.db, {
      userId,
      key,
      route: `${request.method} ${request.url.split('?')[0]}`,
      bodyHash: hashBody(request.body),
      now,
    }).catch((error: unknown) => {
      // Cut off by the database going away, the claim may have been written without this request
      // knowing: it is released once the database is back (only a claim of this instant, still
      // unanswered), so the client's retry is not held 409 until the takeover.
      if (isDatabaseUnavailable(error)) {
        releaseWhenBack(app.ctx.db, { userId, key, claimedAt: now, answered: false }, (e) =>
          request.log.warn({ err: e }, 'could not release an idempotency key'),
        );
      }
      throw error;
    });
    switch (outcome.kind) {
      case 'claimed':
        request.idempotency = { userId, key, claimedAt: outcome.claimedAt, answered: false };
        return;
      case 'replay':
        return reply
          .code(outcome.status)
          .headers({ ...outcome.headers, 'idempotent-replayed': 'true' })
          .send(outcome.body);
      case 'in_progress':
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        throw inProgress();
      case 'reused':
        throw problem(
          'idempotency.key_reused',
          422,
          `This ${IDEMPOTENCY_KEY_HEADER} was used for another request (another path or body); use a new key for a new request.`,
        );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (claim && !claim.answered) {
      request.idempotency = null;
      if (reply.statusCode < 300) request.log.error(`${request.url}: an idempotent route answered without answerCreation; its key was not kept`);
      // Nothing was created: the key is free again. Should this fail, the claim is taken over later.
      await releaseKey(app.ctx.db, claim).catch((error: unknown) => {
        // The database went away with the request (its answer is a 503): the client sends the same key
        // again after Retry-After, so the claim is released as soon as the database is back rather than
        // answering 409 until the takeover.
        if (isDatabaseUnavailable(error)) releaseWhenBack(app.ctx.db, claim, (e) => request.log.warn({ err: e }, 'could not release an idempotency key'));
        else request.log.error({ err: error }, 'could not release an idempotency key');
      });
    }
    return payload;
  });
}

/**
 * Runs a creation and sends its answer. `create` runs the command, passing `onCreated` (undefined
 * without a key) for it to call inside its transaction; `present` makes the answer from what was
 * created, with the transaction's connection when there is a key (the answer is stored there).
 */
export async function answerCreation<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  // `any`: a parameter typed with T would fix T (to unknown) before T is read from the command's result.
  // biome-ignore lint/suspicious/noExplicitAny: see the line above.
  create: (onCreated: OnCreated<any> | undefined) => Promise<T>,
  present: (created: T, db: DbOrTx) => Answer | Promise<Answer>,
): Promise<FastifyReply> {
  const claim = request.idempotency;
  let answer: Answer | undefined;
  const created = await create(
    claim
      ? async (tx, created) => {
          answer = await present(created, tx);
          // The body as the route's response schema writes it, exactly what the first answer sends.
          const body = reply.code(answer.status).serialize(answer.body);
          if (typeof body !== 'string') throw new Error(`${request.url}: an idempotent route answers JSON.`);
          if (!(await storeAnswer(tx, claim, { status: answer.status, headers: { ...answer.headers, 'content-type': JSON_TYPE }, body }))) {
            // The claim was taken over (this request outlived IN_FLIGHT_TAKEOVER_MS): the other one creates; this one rolls back.
            reply.header('retry-after', String(RETRY_AFTER_SECONDS));
            throw inProgress();
          }
        }
      : undefined,
  );
  if (claim) {
    if (!answer) throw new Error(`${request.url}: the creation did not call onCreated in its transaction.`);
    // The command returned: its transaction, with the answer, committed.
    claim.answered = true;
  } else {
    answer = await present(created, request.server.ctx.db);
  }
  return reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .send(answer.body);
}

type ClaimOutcome =
  | { kind: 'claimed'; claimedAt: Date }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'in_progress' }
  | { kind: 'reused' };

/** Takes the key for this request, or says what became of the request that has it. */
export async function claimKey(db: Db, input: { userId: string; key: string; route: string; bodyHash: string; now: Date }): Promise<ClaimOutcome> {
  const { userId, key, route, bodyHash, now } = input;
  const expired = new Date(now.getTime() - KEY_LIFETIME_MS);
  const abandoned = new Date(now.getTime() - IN_FLIGHT_TAKEOVER_MS);
  const ours = and(eq(idempotencyKey.userId, userId), eq(idempotencyKey.key, key));
  // A key released between the two statements is simply claimed on the next turn.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [claimed] = await db
      .insert(idempotencyKey)
      .values({ userId, key, route, bodyHash, createdAt: now })
      .onConflictDoUpdate({
        target: [idempotencyKey.userId, idempotencyKey.key],
        set: { route, bodyHash, statusCode: null, responseHeaders: null, responseBody: null, createdAt: now },
        // An expired key is a new key; a claim without an answer for too long was abandoned.
        where: or(lte(idempotencyKey.createdAt, expired), and(isNull(idempotencyKey.statusCode), lte(idempotencyKey.createdAt, abandoned))),
      })
      .returning({ createdAt: idempotencyKey.createdAt });
    if (claimed) return { kind: 'claimed', claimedAt: claimed.createdAt };
    const [row] = await db.select().from(idempotencyKey).where(ours);
    if (!row) continue;
    if (row.route !== route || row.bodyHash !== bodyHash) return { kind: 'reused' };
    if (row.statusCode === null || row.responseBody === null) return { kind: 'in_progress' };
    return { kind: 'replay', status: row.statusCode, headers: pick(row.responseHeaders ?? {}, REPLAYED_HEADERS), body: row.responseBody };
  }
  return { kind: 'in_progress' };
}

/** Stores the answer in the claim, in the creation's transaction; false when the claim was taken over meanwhile. */
async function storeAnswer(tx: Tx, claim: Claim, answer: { status: number; headers: Record<string, string>; body: string }): Promise<boolean> {
  const stored = await tx
    .update(idempotencyKey)
    .set({ statusCode: answer.status, responseHeaders: pick(answer.headers, REPLAYED_HEADERS), responseBody: answer.body })
    .where(
      and(
        eq(idempotencyKey.userId, claim.userId),
        eq(idempotencyKey.key, claim.key),
        eq(idempotencyKey.createdAt, claim.claimedAt),
        isNull(idempotencyKey.statusCode),
      ),
    )
    .returning({ key: idempotencyKey.key });
  return stored.length > 0;
}

/** Frees a claim that created nothing; a stored answer, or another request's claim, stays. */
async function releaseKey(db: Db, claim: Claim): Promise<void> {
  await db
    .delete(idempotencyKey)
    .where(
      and(
        eq(idempotencyKey.userId, claim.userId),
        eq(idempotencyKey.key, claim.key),
        eq(idempotencyKey.createdAt, claim.claimedAt),
        isNull(idempotencyKey.statusCode),
      ),
    );
}

/** Tries again to release a claim every RELEASE_RETRY_MS while the database is away, until the takeover would free it anyway. */
function releaseWhenBack(db: Db, claim: Claim, onGiveUp: (error: unknown) => void, since = Date.now()): void {
  const timer = setTimeout(() => {
    releaseKey(db, claim).catch((error: unknown) => {
      if (isDatabaseUnavailable(error) && Date.now() - since < IN_FLIGHT_TAKEOVER_MS) releaseWhenBack(db, claim, onGiveUp, since);
      else onGiveUp(error);
    });
  }, RELEASE_RETRY_MS);
  timer.unref();
}
const RELEASE_RETRY_MS = 500;

/** SHA-256 of the validated body, its object keys sorted: the same request however its JSON was spaced or ordered. */
export function hashBody(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (names.includes(name.toLowerCase())) kept[name.toLowerCase()] = value;
  return kept;
}
