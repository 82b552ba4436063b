import type { DbOrTx } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';

export type AuditAction =
  | 'organization.created'
  | 'organization.updated'
  | 'user.invited'
  | 'user.admin_created'
  | 'user.role_changed'
  | 'user.organization_changed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'organization.settings_changed'
  | 'desk.created'
  | 'desk.updated'
  | 'desk.members_changed'
  | 'request_type.created'
  | 'request_type.updated'
  | 'project.created'
  | 'project.updated'
  | 'flex_window.added'
  | 'flex_window.removed'
  | 'flex.contract_changed'
  | 'flex.purchase_added'
  | 'flex.billing_run'
  | 'flex.time_entry_reversed'
  | 'sla.calendar_changed'
  | 'sla.closure_day_added'
  | 'sla.closure_day_removed'
  | 'sla.policy_changed'
  | 'escalation.matrix_changed'
  | 'outbox.retried'
  | 'lifecycle.rules_changed';

/** Appends to the audit log in the caller's transaction, so the change and its record stand or fall together. */
export async function recordAudit(
  tx: DbOrTx,
  entry: { at: Date; actorId: string | null; action: AuditAction; targetType: string; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}
