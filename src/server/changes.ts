import { isDeepStrictEqual } from 'node:util';

/**
 * The fields of `changes` that differ from `current`, as the `from`/`to` of an audit entry.
 * Undefined means "not sent"; objects (localized texts) compare by value.
 */
export function changedFields<C extends Record<string, unknown>>(
  current: C,
  changes: { [K in keyof C]?: C[K] | undefined },
): { from: Partial<C>; to: Partial<C> } {
  const from: Partial<C> = {};
  const to: Partial<C> = {};
  for (const key of Object.keys(changes) as (keyof C)[]) {
    const wanted = changes[key];
    if (wanted === undefined || isDeepStrictEqual(wanted, current[key])) continue;
    from[key] = current[key];
    to[key] = wanted as C[keyof C];
  }
  return { from, to };
}
