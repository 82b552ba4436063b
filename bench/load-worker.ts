/**
 * The load generator of the concurrent scenario, in its own thread: the client's work (HTTP,
 * JSON) then does not queue on the server's event loop, as it would not in production.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { concurrent } from './measure.ts';

export type LoadJob = {
  origin: string;
  cookie: string;
  n: number;
  concurrency: number;
  /** Requests to send, by index: method, path and body. */
  requests: { method: 'POST' | 'GET'; path: string; body?: unknown; expected: number }[];
};

const job = workerData as LoadJob;
const send = async (i: number) => {
  const r = job.requests[i % job.requests.length]!;
  const response = await fetch(`${job.origin}${r.path}`, {
    method: r.method,
    headers: { cookie: job.cookie, origin: job.origin, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: response.status === r.expected ? null : text };
};
const stats = await concurrent(job.n, job.concurrency, send, job.requests[0]!.expected);
parentPort!.postMessage(stats);
