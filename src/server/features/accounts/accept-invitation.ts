import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { acceptInvitationSchema } from '#shared/api.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { account, invitation, user } from '../../db/schema.ts';
import type { Auth } from './auth.ts';
import { openInvitation } from './invitation-token.ts';

/**
 * Accepts an invitation: the person names themself and chooses a password, their address counts
 * as verified (the token came by e-mail), and they then log in as anyone else does.
 */
export async function acceptInvitation(
  deps: { db: Db; clock: Clock; auth: Auth },
  input: z.infer<typeof acceptInvitationSchema>,
): Promise<{ status: 'accepted'; email: string }> {
  const { db, clock, auth } = deps;
  const now = clock.now();
  // Hashing is slow on purpose: do it before the transaction opens.
  const passwordHash = await (await auth.$context).password.hash(input.password);
  return db.transaction(async (tx) => {
    const found = await openInvitation(tx, input.token, now, { lock: true });
    // An unfinished self sign-up may have left a password: the one chosen now replaces it.
    await tx.delete(account).where(and(eq(account.userId, found.userId), eq(account.providerId, 'credential')));
    await tx.insert(account).values({
      id: randomUUID(),
      accountId: found.userId,
      providerId: 'credential',
      userId: found.userId,
      password: passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    await tx.update(user).set({ name: input.name, emailVerified: true, updatedAt: now }).where(eq(user.id, found.userId));
    await tx.update(invitation).set({ acceptedAt: now }).where(eq(invitation.id, found.id));
    return { status: 'accepted' as const, email: found.email };
  });
}
