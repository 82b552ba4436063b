import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { createInvitationSchema, Invitation } from '#shared/api.ts';
import { DEFAULT_LANGUAGE, type Language } from '#shared/domain.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { invitation, user } from '../../db/schema.ts';
import { badRequest, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { enqueueMail, type MailDeps } from '../mail/enqueue-mail.ts';
import { organizationToAttach, staffWithoutOrganization } from '../users/user-rules.ts';
import { belongsToOrganization } from '../../policies/accounts.ts';
import { INVITATION_VALIDITY_MS, newInvitationToken } from './invitation-token.ts';

const userExists = () => conflict('invitation.user_exists', 'A user with this e-mail address already exists.', 'email');

/**
 * Invites someone by e-mail: their (unverified) user row is created, or reused if an earlier
 * invitation or sign-up was never completed, in which case older pending invitations stop working.
 */
export async function inviteUser(
  deps: { db: Db; clock: Clock; mail: MailDeps; config: Config },
  options: {
    inviter: { id: string; name: string };
    input: z.infer<typeof createInvitationSchema>;
    /** Runs in the invitation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: Invitation) => Promise<void>) | undefined;
  },
): Promise<Invitation> {
  const { db, clock, mail, config } = deps;
  const { inviter, input } = options;
  if (belongsToOrganization(input.role) && !input.organizationId) {
    throw badRequest('invitation.organization_required', 'A customer must be invited into an organization.', 'organizationId');
  }
  if (!belongsToOrganization(input.role) && input.organizationId) throw staffWithoutOrganization();
  const now = clock.now();

  try {
    return await db.transaction(async (tx) => {
      const org = input.organizationId ? await organizationToAttach(tx, input.organizationId) : null;
      const [existing] = await tx
        .select({ id: user.id, name: user.name, language: user.language, emailVerified: user.emailVerified })
        .from(user)
        .where(eq(user.email, input.email))
        .for('update');
      if (existing?.emailVerified) throw userExists();

      const language: Language = input.language ?? existing?.language ?? DEFAULT_LANGUAGE;
      const name = input.name ?? existing?.name ?? input.email.slice(0, input.email.indexOf('@'));
      const userId = existing?.id ?? randomUUID();
      const fields = { name, role: input.role, organizationId: org?.id ?? null, language, updatedAt: now };
      if (existing) {
        await tx.update(user).set(fields).where(eq(user.id, userId));
        await tx
          .update(invitation)
          .set({ expiresAt: now })
          .where(and(eq(invitation.userId, userId), isNull(invitation.acceptedAt), gt(invitation.expiresAt, now)));
      } else {
        await tx.insert(user).values({ id: userId, email: input.email, emailVerified: false, createdAt: now, ...fields });
      }

      const { token, tokenHash } = newInvitationToken();
      const [created] = await tx
        .insert(invitation)
        .values({
          email: input.email,
          userId,
          role: input.role,
          organizationId: org?.id ?? null,
          tokenHash,
          invitedById: inviter.id,
          expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_MS),
          createdAt: now,
        })
        .returning();
      await enqueueMail(tx, mail, {
        to: input.email,
        language,
        template: 'invitation',
        params: { inviterName: inviter.name, organizationName: org?.name ?? null, url: `${config.baseUrl}/invitation?token=${token}` },
      });
      await recordAudit(tx, {
        at: now,
        actorId: inviter.id,
        action: 'user.invited',
        targetType: 'user',
        targetId: userId,
        details: { email: input.email, role: input.role, organizationId: org?.id ?? null, invitationId: created!.id },
      });
      const invited: Invitation = {
        id: created!.id,
        email: created!.email,
        role: input.role,
        organization: org,
        expiresAt: created!.expiresAt.toISOString(),
        acceptedAt: null,
        createdAt: created!.createdAt.toISOString(),
      };
      await options.onCreated?.(tx, invited);
      return invited;
    });
  } catch (error) {
    // The same address invited twice at once: the second finds the first's user row.
    if (isUniqueViolation(error)) throw userExists();
    throw error;
  }
}
