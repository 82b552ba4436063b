import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { invitation, organization, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

export const INVITATION_VALIDITY_MS = 7 * 24 * 3600 * 1000;

/** A token for the e-mail, and its hash: only the hash is stored. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

export const hashInvitationToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The invitation a token opens, with the invited user as they stand now. Refuses an unknown token
 * (404), and one already used or expired (410). With `lock`, the invitation row is locked so two
 * acceptances cannot both succeed.
 */
export async function openInvitation(tx: DbOrTx, token: string, now: Date, options: { lock?: boolean } = {}) {
  const query = tx
    .select({
      id: invitation.id,
      email: invitation.email,
      userId: invitation.userId,
      expiresAt: invitation.expiresAt,
      acceptedAt: invitation.acceptedAt,
      name: user.name,
      role: user.role,
      emailVerified: user.emailVerified,
      organizationId: organization.id,
      organizationName: organization.name,
    })
    .from(invitation)
    .innerJoin(user, eq(user.id, invitation.userId))
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(invitation.tokenHash, hashInvitationToken(token)));
  const [row] = options.lock ? await query.for('update', { of: invitation }) : await query;
  if (!row) throw new AppError(404, 'invitation.not_found', 'This invitation does not exist.', 'token');
  // A verified account no longer needs its invitation (it signed up and confirmed meanwhile).
  if (row.acceptedAt || row.emailVerified) throw new AppError(410, 'invitation.used', 'This invitation has already been used. Please log in.', 'token');
  if (row.expiresAt.getTime() <= now.getTime()) {
    throw new AppError(410, 'invitation.expired', 'This invitation has expired. Ask an administrator for a new one.', 'token');
  }
  return {
    ...row,
    role: row.role,
    organization: row.organizationId ? { id: row.organizationId, name: row.organizationName! } : null,
  };
}
