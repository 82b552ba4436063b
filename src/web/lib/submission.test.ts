/**
 * The web app's Idempotency-Key per submission (lib/submission.ts): kept while the same submission
 * is sent again before it succeeded, new after a success or when the form sends something else;
 * a submission still running on the server is asked for again.
 */
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_PATTERN } from '#shared/idempotency.ts';
import { ApiError } from './api.ts';
import { createSubmission, IN_PROGRESS_ATTEMPTS, IN_PROGRESS_WAIT_MS } from './submission.ts';

const unreachable = () => new ApiError(0, 'network.unreachable', 'The server cannot be reached.');
const inProgress = () => new ApiError(409, 'idempotency.in_progress', 'Still running.', 'Idempotency-Key');

/** A send that records the keys it was given and answers from a script (an error to throw, or a value). */
function scripted(answers: (Error | string)[]) {
  const keys: string[] = [];
  const send = async (key: string) => {
    keys.push(key);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next ?? 'ok';
  };
  return { keys, send };
}

describe('one key per submission', () => {
  it('the same submission sent again after a network error keeps its key; after its success the next one gets a new key', async () => {
    const submit = createSubmission();
    const { keys, send } = scripted([unreachable(), 'created', 'created again']);
    await expect(submit({ body: 'Hello' }, send)).rejects.toMatchObject({ code: 'network.unreachable' });
    await expect(submit({ body: 'Hello' }, send)).resolves.toBe('created');
    await expect(submit({ body: 'Hello' }, send)).resolves.toBe('created again');
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    for (const key of keys) expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });

  it('a changed submission gets a new key; a server error keeps it for the same one', async () => {
    const submit = createSubmission();
    const { keys, send } = scripted([unreachable(), new ApiError(500, 'internal', 'Internal error.'), 'created']);
    await expect(submit({ body: 'Hello' }, send)).rejects.toBeInstanceOf(ApiError);
    await expect(submit({ body: 'Hello, world' }, send)).rejects.toMatchObject({ status: 500 });
    await expect(submit({ body: 'Hello, world' }, send)).resolves.toBe('created');
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe(keys[1]);
  });

  it('each form has its own submissions', async () => {
    const { keys, send } = scripted([unreachable(), unreachable()]);
    await expect(createSubmission()({ body: 'Hello' }, send)).rejects.toBeInstanceOf(ApiError);
    await expect(createSubmission()({ body: 'Hello' }, send)).rejects.toBeInstanceOf(ApiError);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('while the first attempt still runs on the server, waits the second it asks and sends the same key again, a few times', async () => {
    const waits: number[] = [];
    const submit = createSubmission({ wait: async (ms) => void waits.push(ms) });
    const { keys, send } = scripted([inProgress(), inProgress(), 'created']);
    await expect(submit({ body: 'Hello' }, send)).resolves.toBe('created');
    expect(waits).toEqual([IN_PROGRESS_WAIT_MS, IN_PROGRESS_WAIT_MS]);
    expect(new Set(keys).size).toBe(1);

    const always = scripted(Array.from({ length: 10 }, inProgress));
    await expect(submit({ body: 'Stuck' }, always.send)).rejects.toMatchObject({ code: 'idempotency.in_progress' });
    expect(always.keys).toHaveLength(IN_PROGRESS_ATTEMPTS);
  });
});
