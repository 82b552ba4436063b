import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { recordAudit, type AuditAction } from '../audit/record-audit.ts';
import { twoFactorStatus } from '../two-factor/two-factor-policy.ts';
import { resolveUser } from './resolve-user.ts';
import { beginCodeAttempt, challengedUserId, type CodeAttempt } from './two-factor-limits.ts';

/** better-auth's two-factor endpoints that Guichet exposes (auth-routes.ts). */
export const TWO_FACTOR_ENDPOINTS: ReadonlySet<string> = new Set([
  '/two-factor/enable',
  '/two-factor/verify-totp',
  '/two-factor/verify-backup-code',
  '/two-factor/generate-backup-codes',
  '/two-factor/disable',
]);
const CODE_ENDPOINTS: ReadonlySet<string> = new Set(['/two-factor/verify-totp', '/two-factor/verify-backup-code']);

export type TwoFactorCall = {
  endpoint: string;
  /** The account concerned: the session's user, or during a log-in the one the two_factor cookie names. */
  userId: string | null;
  /** With a session: whether two-factor authentication was on before the call. */
  enabledBefore: boolean | null;
  attempt: Extract<CodeAttempt, { allowed: true }> | null;
  settle(outcome: 'other'): Promise<void>;
};

/**
 * Before better-auth handles a two-factor endpoint: who it is about, a code check counted against the
 * limits (two-factor-limits.ts), and turning it off refused when an administrator requires it.
 */
export async function beforeTwoFactorCall(
  ctx: AppContext,
  request: FastifyRequest,
  endpoint: string,
): Promise<{ allowed: true; call: TwoFactorCall } | { allowed: false; retryAfterSeconds: number }> {
  const sessionUser = request.user ?? (await resolveUser(ctx.auth, request));
  const before = sessionUser ? await twoFactorStatus(ctx.db, sessionUser.id) : null;
  if (endpoint === '/two-factor/disable' && before?.required) {
    throw new AppError(403, 'auth.two_factor_enforced', 'Two-factor authentication is required for your account: it cannot be turned off.');
  }
  let userId = sessionUser?.id ?? null;
  if (!userId && CODE_ENDPOINTS.has(endpoint)) userId = await challengedUserId(ctx.db, request.headers.cookie);
  let attempt: TwoFactorCall['attempt'] = null;
  if (CODE_ENDPOINTS.has(endpoint)) {
    const begun = await beginCodeAttempt(ctx.db, ctx.clock, { userId, ip: request.ip });
    if (!begun.allowed) return begun;
    attempt = begun;
  }
  return {
    allowed: true,
    call: { endpoint, userId, enabledBefore: before?.enabled ?? null, attempt, settle: async (outcome) => attempt?.settle(outcome) },
  };
}

/** After better-auth answered: the code attempt settled (a wrong code stays counted), and the account's changes audited. */
export async function afterTwoFactorCall(ctx: AppContext, call: TwoFactorCall, status: number, body: unknown): Promise<void> {
  const ok = status >= 200 && status < 300;
  await call.attempt?.settle(ok ? 'succeeded' : status === 401 ? 'failed' : 'other');
  const userId = call.userId ?? (body as { user?: { id?: string } } | undefined)?.user?.id ?? null;
  if (!ok || !userId) return;
  let action: AuditAction | null = null;
  if (call.endpoint === '/two-factor/verify-totp' && call.enabledBefore === false && (await twoFactorStatus(ctx.db, userId)).enabled) {
    action = 'user.two_factor_enabled';
  } else if (call.endpoint === '/two-factor/disable') action = 'user.two_factor_disabled';
  else if (call.endpoint === '/two-factor/generate-backup-codes') action = 'user.backup_codes_regenerated';
  else if (call.endpoint === '/two-factor/verify-backup-code') action = 'user.backup_code_used';
  if (action) await recordAudit(ctx.db, { at: ctx.clock.now(), actorId: userId, action, targetType: 'user', targetId: userId });
}
