import { verifyJWT } from 'better-auth/crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { user } from '../../db/schema.ts';

type VerificationPayload = { email?: unknown; updateTo?: unknown; userId?: unknown };

/**
 * Whether a verification link can still verify an address: its token is better-auth's JWT signed
 * with AUTH_SECRET (checked first: an unsigned token's claims are never read), not expired, for an
 * account that exists and is not verified yet. Every other case — forged, expired, unknown address,
 * already used — is the same `false`, so that the answer says nothing about which addresses have
 * accounts. Guichet never lets anyone change their address, so a token that would is refused.
 */
export async function canVerifyWithLink(db: DbOrTx, secret: string, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const payload = await verifyJWT<VerificationPayload>(token, secret);
  if (!payload || typeof payload.email !== 'string' || payload.updateTo !== undefined) return false;
  const [found] = await db.select({ id: user.id, verified: user.emailVerified }).from(user).where(eq(user.email, payload.email.toLowerCase()));
  if (!found || found.verified) return false;
  return payload.userId === undefined || payload.userId === found.id;
}
