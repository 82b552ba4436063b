import { and, eq, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '#shared/api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { auditLog, user } from '../../db/schema.ts';

/** The audit log, newest first, each entry with the user who acted (null for the system or a deleted actor). */
export async function listAuditEntries(
  db: DbOrTx,
  query: { cursor?: string | undefined; limit: number; targetType?: string | undefined; targetId?: string | undefined },
) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, auditLog.at, auditLog.id)];
  if (query.targetType) filters.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) filters.push(eq(auditLog.targetId, query.targetId));
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      cursorAt: cursorAt(auditLog.at),
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      actorId: user.id,
      actorName: user.name,
      actorEmail: user.email,
    })
    .from(auditLog)
    .leftJoin(user, eq(user.id, auditLog.actorId))
    .where(and(...filters))
    .orderBy(...keysetOrder(auditLog.at, auditLog.id))
    .limit(query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (row): AuditEntry => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actorId ? { id: row.actorId, name: row.actorName!, email: row.actorEmail! } : null,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      details: row.details,
    }),
  );
}
