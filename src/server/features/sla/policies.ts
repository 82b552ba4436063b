import { and, desc, eq, sql } from 'drizzle-orm';
import type { Criticality } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { requestType, slaPolicy, type SlaTargets } from '../../db/schema.ts';
import { ensureCalendarRow } from '../calendar/calendar-store.ts';

const HOUR = 60;
/** DESIGN.md §2: targets in business minutes. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  critical: { engagement: 1 * HOUR, resolution: 8 * HOUR },
  high: { engagement: 4 * HOUR, resolution: 24 * HOUR },
  medium: { engagement: 8 * HOUR, resolution: 80 * HOUR },
  low: { engagement: 16 * HOUR, resolution: 160 * HOUR },
};

export type PolicyRow = typeof slaPolicy.$inferSelect;

export const targetOf = (policy: Pick<PolicyRow, 'targets'>, criticality: Criticality, kind: 'engagement' | 'resolution') => policy.targets[criticality][kind];

/** The policy in force for a request type: its latest version. */
export async function currentPolicy(db: DbOrTx, requestTypeId: string): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicy).where(eq(slaPolicy.requestTypeId, requestTypeId)).orderBy(desc(slaPolicy.version)).limit(1);
  return row;
}

/**
 * The policy in force, creating version 1 with the defaults for a type that has none yet (a type
 * created after the seed). Concurrent callers agree on one row through the unique version index.
 */
export async function policyInForce(db: DbOrTx, requestTypeId: string, at: Date): Promise<PolicyRow> {
  const existing = await currentPolicy(db, requestTypeId);
  if (existing) return existing;
  await db.insert(slaPolicy).values({ requestTypeId, version: 1, targets: DEFAULT_SLA_TARGETS, createdAt: at }).onConflictDoNothing();
  return (await currentPolicy(db, requestTypeId))!;
}

const SLA_SEED_LOCK = 4_202_613;

/**
 * Gives every request type under SLA a first policy with DESIGN's targets, and the calendar its
 * stored row. Runs at every start (after ensureBaseCatalog); changes nothing once done.
 */
export async function ensureSlaDefaults(db: DbOrTx, at: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SLA_SEED_LOCK})`);
    await ensureCalendarRow(tx, at);
    const missing = await tx
      .select({ id: requestType.id })
      .from(requestType)
      .where(and(eq(requestType.underSla, true), sql`not exists (select 1 from ${slaPolicy} where ${slaPolicy.requestTypeId} = ${requestType.id})`));
    if (missing.length) {
      await tx.insert(slaPolicy).values(missing.map((t) => ({ requestTypeId: t.id, version: 1, targets: DEFAULT_SLA_TARGETS, createdAt: at })));
    }
    return missing.length;
  });
}
