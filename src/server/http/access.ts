import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Language, Role } from '#shared/domain.ts';
import { AppError, forbidden, unauthorized } from '../errors.ts';

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
  /** From the session: true when the user has two-factor authentication on (spares the requirement's check). */
  twoFactorEnabled?: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Usable by a user who must enroll in two-factor authentication and has not yet (their profile, enrollment). */
    twoFactorEnrollment?: boolean;
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const ALLOWED: Record<Exclude<Access, 'public' | 'user'>, Role[]> = {
  staff: ['agent', 'admin'],
  admin: ['admin'],
};

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

/**
 * Refuses to build the app with an /api route that does not declare its access level, and lists
 * every route with its level in `app.routeCatalog` (the authorization test calls each as every role
 * that may not use it).
 */
export function requireDeclaredAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    // The API reference (swagger-ui's own routes) is public documentation.
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), access: 'public' };
    const access = route.config?.access;
    if (!access || !ACCESS_LEVELS.includes(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare who may call it (config.access).`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeCatalog.push({ method, url: route.url, access, apiTokens: route.config?.apiTokens !== false });
    }
  });
}

/** The answer to a user who must enroll in two-factor authentication first, on any route but enrollment's. */
export const twoFactorRequired = () =>
  new AppError(403, 'auth.two_factor_required', 'Two-factor authentication is required for your account: please set it up first.');

/**
 * Before every route's handler: the session's user (unless the route is public), the route's access
 * level checked, and — unless the route serves enrollment — the user's obligation to enroll in
 * two-factor authentication (`mustEnrollTwoFactor`, features/two-factor/two-factor-policy.ts).
 */
export function authorizeRequests(
  app: FastifyInstance,
  resolve: (request: FastifyRequest) => Promise<SessionUser | null>,
  mustEnrollTwoFactor: (user: SessionUser, request: FastifyRequest) => Promise<boolean> = async () => false,
): void {
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const access = config?.access;
    if (!access) return;
    if (access !== 'public') request.user = await resolve(request);
    authorize(access, request.user);
    if (request.user && !config.twoFactorEnrollment && (await mustEnrollTwoFactor(request.user, request))) throw twoFactorRequired();
  });
}
