import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { DEFAULT_LANGUAGE, PASSWORD_MAX, PASSWORD_MIN, type Role } from '#shared/domain.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { account, user } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import { recordAudit, type AuditAction } from '../audit/record-audit.ts';
import { activeUser } from './user-rules.ts';
import { adminAccount } from '../../policies/accounts.ts';

/** How long the set-password link printed by `npm run admin:create -- --link` stays valid. */
export const SET_PASSWORD_LINK_HOURS = 24;

/** Where better-auth's reset link leads once checked: the web app's "choose a password" page (as for a forgotten password). */
const SET_PASSWORD_PAGE = '/reset-password';

/** The role this command gives. */
const GIVEN_ROLE: Role = 'admin';

/** Whether an active administrator exists: until one does, the server says how to create one. */
export async function hasAdministrator(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ id: user.id }).from(user).where(and(adminAccount(), activeUser())).limit(1);
  return Boolean(row);
}

export type CreateAdministratorResult = {
  userId: string;
  email: string;
  /** created: a new account; promoted: an existing account became administrator (or was reactivated); already_admin: nothing to change. */
  outcome: 'created' | 'promoted' | 'already_admin';
  /** The role the existing account had before. */
  previousRole: Role | null;
  /** The existing account was deactivated and is active again. */
  reactivated: boolean;
  /** A better-auth password-reset link that sets the password (asked for, or a new account without a password). */
  setPasswordLink: { url: string; expiresAt: Date } | null;
};

/**
 * The first administrator of a deployment, from the command line (DEMO_DATA is off on PostgreSQL,
 * so nobody can log in yet). A new account is created verified, with the password given or, without
 * one, with a set-password link; an existing account of that address is made administrator (and
 * reactivated) rather than refused. Every change is audited, with no actor: the command line.
 */
export async function createAdministrator(
  ctx: Pick<AppContext, 'db' | 'clock' | 'auth' | 'config'>,
  input: { email: string; name?: string | undefined; password?: string | undefined; link?: boolean },
): Promise<CreateAdministratorResult> {
  const email = input.email.trim().toLowerCase();
  if (input.password !== undefined && (input.password.length < PASSWORD_MIN || input.password.length > PASSWORD_MAX)) {
    throw badRequest('user.password_length', `The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, 'password');
  }
  const authContext = await ctx.auth.$context;
  const now = ctx.clock.now();
  const passwordHash = input.password !== undefined ? await authContext.password.hash(input.password) : null;

  const result = await ctx.db.transaction(async (tx): Promise<Omit<CreateAdministratorResult, 'setPasswordLink'>> => {
    const [existing] = await tx
      .select({ id: user.id, role: user.role, organizationId: user.organizationId, banned: user.banned, emailVerified: user.emailVerified })
      .from(user)
      .where(eq(user.email, email))
      .for('update');

    if (!existing) {
      const id = randomUUID();
      await tx.insert(user).values({
        id,
        name: input.name ?? 'Administrator',
        email,
        emailVerified: true,
        role: GIVEN_ROLE,
        language: DEFAULT_LANGUAGE,
        createdAt: now,
        updatedAt: now,
      });
      if (passwordHash) {
        await tx
          .insert(account)
          .values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: passwordHash, createdAt: now, updatedAt: now });
      }
      await recordAudit(tx, {
        at: now,
        actorId: null,
        action: 'user.admin_created',
        targetType: 'user',
        targetId: id,
        details: { role: GIVEN_ROLE, by: 'admin:create' },
      });
      return { userId: id, email, outcome: 'created', previousRole: null, reactivated: false };
    }

    const previousRole = existing.role;
    const reactivated = Boolean(existing.banned);
    const audits: { action: AuditAction; details: Record<string, unknown> }[] = [];
    if (previousRole !== GIVEN_ROLE) audits.push({ action: 'user.role_changed', details: { from: previousRole, to: GIVEN_ROLE, by: 'admin:create' } });
    // Administrators work for the vendor: they belong to no customer organization.
    if (existing.organizationId) audits.push({ action: 'user.organization_changed', details: { from: existing.organizationId, to: null, by: 'admin:create' } });
    if (reactivated) audits.push({ action: 'user.reactivated', details: { by: 'admin:create' } });
    if (audits.length === 0 && existing.emailVerified) {
      return { userId: existing.id, email, outcome: 'already_admin', previousRole, reactivated: false };
    }
    await tx
      .update(user)
      .set({
        role: GIVEN_ROLE,
        organizationId: null,
        // Whoever runs the command on the server vouches for the address.
        emailVerified: true,
        ...(reactivated ? { banned: false, banReason: null, banExpires: null } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        updatedAt: now,
      })
      .where(eq(user.id, existing.id));
    for (const audit of audits) {
      await recordAudit(tx, { at: now, actorId: null, action: audit.action, targetType: 'user', targetId: existing.id, details: audit.details });
    }
    return { userId: existing.id, email, outcome: 'promoted', previousRole, reactivated };
  });

  const wantsLink = input.link === true || (result.outcome === 'created' && !passwordHash);
  return { ...result, setPasswordLink: wantsLink ? await createSetPasswordLink(ctx, result.userId) : null };
}

/**
 * The same link as a forgotten password's e-mail (a better-auth reset token, single use), valid
 * SET_PASSWORD_LINK_HOURS: opening it leads to the page where the administrator chooses a password.
 */
async function createSetPasswordLink(ctx: Pick<AppContext, 'clock' | 'auth' | 'config'>, userId: string): Promise<{ url: string; expiresAt: Date }> {
  const authContext = await ctx.auth.$context;
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(ctx.clock.now().getTime() + SET_PASSWORD_LINK_HOURS * 3600_000);
  await authContext.internalAdapter.createVerificationValue({ identifier: `reset-password:${token}`, value: userId, expiresAt });
  return { url: `${ctx.config.baseUrl}/api/auth/reset-password/${token}?callbackURL=${encodeURIComponent(SET_PASSWORD_PAGE)}`, expiresAt };
}
