import type { FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import type { Language, Role } from '#shared/domain.ts';
import { AppError, forbidden, unauthorized } from '../../errors.ts';
import type { Auth } from './auth.ts';

/**
 * Who may call a route. Every /api route declares one in `config.access`; the app refuses to start
 * with a route that does not, and a test calls every route as each role that may not use it.
 * - public: anyone;
 * - user: any logged-in user, even one not yet attached to an organization;
 * - staff: agents and administrators;
 * - admin: administrators.
 */
export const ACCESS_LEVELS = ['public', 'user', 'staff', 'admin'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: Role;
  language: Language;
  organizationId: string | null;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const ALLOWED: Record<Exclude<Access, 'public' | 'user'>, Role[]> = {
  staff: ['agent', 'admin'],
  admin: ['admin'],
};

export async function resolveUser(auth: Auth, request: FastifyRequest): Promise<SessionUser | null> {
  if (!request.headers.cookie) return null;
  const found = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
  if (!found) return null;
  const u = found.user as typeof found.user & { role?: string; language?: string; organizationId?: string | null; banned?: boolean | null };
  if (u.banned) return null;
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: (u.role ?? 'customer') as Role,
    language: (u.language ?? 'fr') as Language,
    organizationId: u.organizationId ?? null,
  };
}

/** Throws unless the request's user may use a route of this access level. */
export function authorize(access: Access, user: SessionUser | null): void {
  if (access === 'public') return;
  if (!user) throw unauthorized();
  if (access === 'user') return;
  if (!ALLOWED[access].includes(user.role)) throw forbidden();
}

/** Narrows `request.user` inside handlers of routes that require a login. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError(401, 'auth.unauthenticated', 'Please log in.');
  return request.user;
}
