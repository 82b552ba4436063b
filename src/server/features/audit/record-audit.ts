import type { DbOrTx } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';
import type { AuditAction, AuditTargetType } from '#shared/audit.ts';

export type { AuditAction } from '#shared/audit.ts';

/** Appends to the audit log in the caller's transaction, so the change and its record stand or fall together. */
export async function recordAudit(
  tx: DbOrTx,
  entry: { at: Date; actorId: string | null; action: AuditAction; targetType: AuditTargetType; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}
