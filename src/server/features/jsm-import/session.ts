import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { JsmImportCount, JsmImportKind, JsmRefusal } from '#shared/jsm-import-api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/client.ts';
import { jsmLink } from '../../db/schema.ts';
import type { JsmClient } from './jsm-client.ts';
import type { ResolvedMapping } from './mapping.ts';

/** The report keeps this many refusals; refusedTotal counts them all. */
export const REFUSALS_KEPT = 500;

export type Tally = Partial<Record<JsmImportKind, Omit<JsmImportCount, 'kind'>>>;

/** What one run of an import works with: the database (a transaction for a dry run), JSM, the mapping, and its tallies. */
export type ImportSession = {
  db: DbOrTx;
  clock: Clock;
  config: Pick<Config, 'dataDir' | 'attachmentMaxBytes'>;
  client: JsmClient;
  site: string;
  dryRun: boolean;
  mapping: ResolvedMapping;
  /** The JSM field holding a request's organizations (null: the site has none). */
  organizationField: string | null;
  counts: Tally;
  refusals: JsmRefusal[];
  refusedTotal: number;
  /** Person (JSM account id) → Guichet user id, as met in this run. */
  people: Map<string, string>;
  /** SLA names met that the mapping does not name: reported once each. */
  unknownSlas: Set<string>;
  /** The last doubling of the requests imported at which the links' statistics were refreshed. */
  statisticsRefreshedAt: number | null;
};

export function count(s: ImportSession, kind: JsmImportKind, what: 'created' | 'updated' | 'unchanged' | 'refused', n = 1): void {
  const c = s.counts[kind] ?? { created: 0, updated: 0, unchanged: 0, refused: 0 };
  c[what] += n;
  s.counts[kind] = c;
}

/** Something not imported (or imported otherwise than JSM had it), with why, for the report. */
export function refuse(s: ImportSession, entry: JsmRefusal, options: { counted?: boolean } = {}): void {
  if (options.counted !== false) count(s, entry.kind, 'refused');
  s.refusedTotal += 1;
  if (s.refusals.length < REFUSALS_KEPT) s.refusals.push(entry);
}

/** A short digest of what was imported: equal digests, nothing to update. */
export const fingerprintOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

export type Link = { localId: string; fingerprint: string };

export async function findLinks(db: DbOrTx, site: string, kinds: JsmImportKind[], jsmIds: string[]): Promise<Map<string, Link & { kind: JsmImportKind }>> {
  if (!jsmIds.length) return new Map();
  const rows = await db
    .select({ jsmId: jsmLink.jsmId, kind: jsmLink.kind, localId: jsmLink.localId, fingerprint: jsmLink.fingerprint })
    .from(jsmLink)
    .where(and(eq(jsmLink.site, site), inArray(jsmLink.kind, kinds), inArray(jsmLink.jsmId, jsmIds)));
  return new Map(rows.map((r) => [r.jsmId, r]));
}

export async function saveLinks(
  db: DbOrTx,
  site: string,
  links: { kind: JsmImportKind; jsmId: string; localId: string; fingerprint: string }[],
  now: Date,
): Promise<void> {
  if (!links.length) return;
  await db
    .insert(jsmLink)
    .values(links.map((l) => ({ site, ...l, importedAt: now })))
    .onConflictDoUpdate({
      target: [jsmLink.site, jsmLink.kind, jsmLink.jsmId],
      set: { localId: sqlExcluded('local_id'), fingerprint: sqlExcluded('fingerprint'), importedAt: sqlExcluded('imported_at') },
    });
}

const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);
