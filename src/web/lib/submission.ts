import { useState } from 'react';
import { ApiError } from './api.ts';

/** Sends a submission of a form with its Idempotency-Key. */
export type Submit = <T>(body: unknown, send: (idempotencyKey: string) => Promise<T>) => Promise<T>;

/**
 * One Idempotency-Key per submission of a creating form (a request, a reply, time, a purchase…).
 *
 * A submission is what the form sends. Sent again unchanged before it succeeded — the user pressing
 * the button again after a network error, TanStack Query retrying — it keeps its key, so the server
 * answers the first answer instead of creating twice when the first attempt did arrive. Once it has
 * succeeded, or once the form sends something else, the next submission gets a new key. While the
 * first attempt is still running on the server (409 idempotency.in_progress), it waits and asks again.
 */
export function createSubmission(options: { wait?: (ms: number) => Promise<void> } = {}): Submit {
  const wait = options.wait ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pending: { fingerprint: string; key: string } | null = null;
  return async (body, send) => {
    const fingerprint = JSON.stringify(body) ?? '';
    const submission = pending?.fingerprint === fingerprint ? pending : { fingerprint, key: newKey() };
    pending = submission;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await send(submission.key);
        if (pending === submission) pending = null;
        return result;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'idempotency.in_progress' && attempt < IN_PROGRESS_ATTEMPTS) {
          await wait(IN_PROGRESS_WAIT_MS);
          continue;
        }
        throw error;
      }
    }
  };
}

/** A form's submissions, for as long as the form is shown. */
export function useSubmission(): Submit {
  const [submit] = useState(() => createSubmission());
  return submit;
}

/** The server asks to wait a second (Retry-After) while the first attempt runs; a creation takes far less. */
export const IN_PROGRESS_WAIT_MS = 1000;
export const IN_PROGRESS_ATTEMPTS = 5;

/** 128 random bits in hex: crypto.getRandomValues works on plain http too (randomUUID needs a secure context). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
