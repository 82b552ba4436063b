import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { updateUserSchema, UserSummary } from '#shared/api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { deskMember, session, user } from '../../db/schema.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { recordAudit, type AuditAction } from '../audit/record-audit.ts';
import { getUserSummary } from './list-users.ts';
import { organizationToAttach, staffWithoutOrganization } from './user-rules.ts';
import { belongsToOrganization, isStaffRole, mayJoinDesk } from '../../policies/accounts.ts';

/**
 * Changes a user's role, organization or activity. Deactivating bans the account (better-auth
 * then refuses its log-in) and ends its sessions; nothing of the user's history is deleted.
 */
export async function updateUser(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; userId: string; changes: z.infer<typeof updateUserSchema> },
): Promise<UserSummary> {
  const { db, clock } = deps;
  const { actorId, userId, changes } = options;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ role: user.role, organizationId: user.organizationId, banned: user.banned, isService: user.isService })
      .from(user)
      .where(eq(user.id, userId))
      .for('update');
    if (!current) throw notFound('user');
    const currentRole = current.role;
    const wasActive = !current.banned;

    const role = changes.role ?? currentRole;
    if (userId === actorId && (changes.active === false || role !== currentRole)) {
      throw conflict(
        'user.cannot_change_self',
        'You cannot deactivate your own account or change your own role.',
        changes.active === false ? 'active' : 'role',
      );
    }

    if (current.isService && !isStaffRole(role)) {
      // A service account works for the vendor (features/api-tokens): agent or administrator.
      throw badRequest('user.service_role', 'A service account is an agent or an administrator.', 'role');
    }

    let organizationId = current.organizationId;
    if (changes.organizationId !== undefined) {
      if (changes.organizationId !== null) {
        if (!belongsToOrganization(role)) throw staffWithoutOrganization();
        await organizationToAttach(tx, changes.organizationId);
      }
      organizationId = changes.organizationId;
    } else if (!belongsToOrganization(role)) {
      organizationId = null;
    }
    const active = changes.active ?? wasActive;

    const audits: { action: AuditAction; details: Record<string, unknown> }[] = [];
    if (role !== currentRole) audits.push({ action: 'user.role_changed', details: { from: currentRole, to: role } });
    if (organizationId !== current.organizationId) {
      audits.push({ action: 'user.organization_changed', details: { from: current.organizationId, to: organizationId } });
    }
    if (active !== wasActive) audits.push({ action: active ? 'user.reactivated' : 'user.deactivated', details: {} });
    if (audits.length === 0) return getUserSummary(tx, userId);

    await tx
      .update(user)
      .set({
        role,
        organizationId,
        ...(active !== wasActive ? { banned: !active, banReason: active ? null : 'deactivated', banExpires: null } : {}),
        updatedAt: now,
      })
      .where(eq(user.id, userId));
    if (!active) await tx.delete(session).where(eq(session.userId, userId));
    if (!mayJoinDesk(role) && mayJoinDesk(currentRole)) {
      // Only staff belong to desks: a demoted agent must not keep receiving a desk's work or warnings.
      const left = await tx.delete(deskMember).where(eq(deskMember.userId, userId)).returning({ deskId: deskMember.deskId });
      for (const { deskId } of left) {
        await recordAudit(tx, {
          at: now,
          actorId,
          action: 'desk.members_changed',
          targetType: 'desk',
          targetId: deskId,
          details: { added: [], removed: [userId] },
        });
      }
    }
    for (const audit of audits) {
      await recordAudit(tx, { at: now, actorId, action: audit.action, targetType: 'user', targetId: userId, details: audit.details });
    }
    return getUserSummary(tx, userId);
  });
}
