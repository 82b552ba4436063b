import { asc, desc, eq } from 'drizzle-orm';
import type { SlaPolicy, SlaTargetsInput } from '#shared/sla-api.ts';
import type { Language } from '#shared/domain.ts';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { desk, requestType, slaPolicy } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DEFAULT_SLA_TARGETS } from './policies.ts';

/** Every request type with its policy in force (DESIGN's defaults, version 0, when none was stored) and the earlier versions. */
export async function listPolicies(db: DbOrTx, language: Language, requestTypeId?: string): Promise<SlaPolicy[]> {
  const types = await db
    .select({ id: requestType.id, names: requestType.names, deskId: requestType.deskId, underSla: requestType.underSla })
    .from(requestType)
    .innerJoin(desk, eq(desk.id, requestType.deskId))
    .where(requestTypeId ? eq(requestType.id, requestTypeId) : undefined)
    .orderBy(asc(desk.position), asc(requestType.position));
  const versions = await db
    .select()
    .from(slaPolicy)
    .where(requestTypeId ? eq(slaPolicy.requestTypeId, requestTypeId) : undefined)
    .orderBy(desc(slaPolicy.version));
  return types.map((t) => {
    const history = versions.filter((v) => v.requestTypeId === t.id);
    const current = history[0];
    return {
      requestTypeId: t.id,
      requestTypeName: t.names[language],
      deskId: t.deskId,
      underSla: t.underSla,
      version: current?.version ?? 0,
      targets: current?.targets ?? DEFAULT_SLA_TARGETS,
      createdAt: (current?.createdAt ?? new Date(0)).toISOString(),
      history: history.map((v) => ({ version: v.version, targets: v.targets, createdAt: v.createdAt.toISOString() })),
    };
  });
}

/** A new version of a request type's targets; requests created afterwards get it, earlier ones keep theirs. */
export async function updatePolicy(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; language: Language; requestTypeId: string; targets: SlaTargetsInput },
): Promise<SlaPolicy> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [type] = await tx.select({ id: requestType.id }).from(requestType).where(eq(requestType.id, options.requestTypeId)).for('update');
    if (!type) throw notFound('request_type');
    const [latest] = await tx.select().from(slaPolicy).where(eq(slaPolicy.requestTypeId, type.id)).orderBy(desc(slaPolicy.version)).limit(1);
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(slaPolicy).values({ requestTypeId: type.id, version, targets: options.targets, createdAt: now, createdById: options.actorId });
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'sla.policy_changed',
      targetType: 'request_type',
      targetId: type.id,
      details: { version, from: latest?.targets ?? null, to: options.targets },
    });
    return (await listPolicies(tx, options.language, type.id))[0]!;
  });
}
