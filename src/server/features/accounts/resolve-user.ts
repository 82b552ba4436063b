import type { FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import { languageSchema, roleSchema } from '#shared/enums.ts';
import type { SessionUser } from '../../http/access.ts';
import type { Auth } from './auth.ts';

/** The logged-in user of a request, from its session cookie (null: none, or a deactivated account). */
export async function resolveUser(auth: Auth, request: FastifyRequest): Promise<SessionUser | null> {
  if (!request.headers.cookie) return null;
  const found = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
  if (!found) return null;
  const u = found.user as typeof found.user & {
    role?: string;
    language?: string;
    organizationId?: string | null;
    banned?: boolean | null;
    isService?: boolean;
  };
  // A service account never has a session (auth.ts refuses to open one); if it had, it would not count.
  if (u.banned || u.isService) return null;
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    // better-auth types its added fields as strings; the columns' CHECK constraints hold these lists.
    role: roleSchema.parse(u.role ?? 'customer'),
    language: languageSchema.parse(u.language ?? 'fr'),
    organizationId: u.organizationId ?? null,
    // Spares the two-factor requirement's query for enrolled users (features/two-factor/two-factor-policy.ts).
    twoFactorEnabled: (found.user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled === true,
  };
}
