/** Timing of HTTP calls against the running app, and their summary. */

export type Stats = { samples: number; p50: number; p95: number; max: number; perSecond?: number };

export function summarize(durations: number[], wallMs?: number): Stats {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    samples: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    max: round(sorted.at(-1) ?? 0),
    ...(wallMs !== undefined ? { perSecond: Math.round((sorted.length / wallMs) * 1000) } : {}),
  };
}

export type Client = {
  origin: string;
  cookie: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
};

/** Logs in through the API (better-auth) and returns a client that sends the session cookie. */
export async function loginClient(origin: string, email: string, password: string): Promise<Client> {
  const res = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`log-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { cookie, origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  return { origin, cookie, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

/** Runs `n` calls one after the other (after `warmup` unmeasured ones); each must answer `expected`. */
export async function sequential(
  n: number,
  warmup: number,
  run: (i: number) => Promise<{ status: number; body: unknown }>,
  expected = 200,
  options: { perSecond?: boolean } = {},
): Promise<Stats> {
  const durations: number[] = [];
  let measuredFrom = 0;
  for (let i = 0; i < warmup + n; i++) {
    if (i === warmup) measuredFrom = performance.now();
    const start = performance.now();
    const res = await run(i);
    const elapsed = performance.now() - start;
    if (res.status !== expected) throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    if (i >= warmup) durations.push(elapsed);
  }
  return summarize(durations, options.perSecond ? performance.now() - measuredFrom : undefined);
}

/** Runs `n` calls with `concurrency` in flight at any time; reports latencies and calls per second. */
export async function concurrent(
  n: number,
  concurrency: number,
  run: (i: number) => Promise<{ status: number; body: unknown }>,
  expected = 200,
): Promise<Stats> {
  const durations: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        const res = await run(i);
        durations.push(performance.now() - t0);
        if (res.status !== expected) throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    }),
  );
  return summarize(durations, performance.now() - start);
}
