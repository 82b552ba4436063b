/**
 * Who may see and do what on a request — the one place where it is decided (DESIGN.md §1).
 * Customers see their organization's requests (only their own and those they take part in when the
 * organization is set to "own requests only"); agents the requests of their desks; administrators all.
 * A request the viewer may not see does not exist for them: 404, never 403.
 */
import { and, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Status } from '#shared/tickets.ts';
import { canTransition, AGENT_TRANSITIONS, CUSTOMER_TRANSITIONS } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { deskMember, organization, ticket, ticketParticipant } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../accounts/access.ts';

export type Viewer = SessionUser & {
  /** Desks of an agent; administrators act on every desk. */
  deskIds: string[];
  ownRequestsOnly: boolean;
};

export const isStaff = (viewer: Pick<SessionUser, 'role'>) => viewer.role === 'agent' || viewer.role === 'admin';

export async function loadViewer(db: DbOrTx, user: SessionUser): Promise<Viewer> {
  if (user.role === 'agent') {
    const rows = await db.select({ deskId: deskMember.deskId }).from(deskMember).where(eq(deskMember.userId, user.id));
    return { ...user, deskIds: rows.map((r) => r.deskId), ownRequestsOnly: false };
  }
  if (user.role === 'customer' && user.organizationId) {
    const [org] = await db.select({ own: organization.ownRequestsOnly }).from(organization).where(eq(organization.id, user.organizationId));
    return { ...user, deskIds: [], ownRequestsOnly: org?.own ?? false };
  }
  return { ...user, deskIds: [], ownRequestsOnly: false };
}

export type TicketAccess = {
  id: string;
  organizationId: string;
  reporterId: string;
  deskId: string;
  status: Status;
  /** The viewer takes part in the request. */
  isParticipant: boolean;
};

export const ticketNotFound = () => new AppError(404, 'ticket.not_found', 'This request does not exist.');

export function canSee(viewer: Viewer, t: TicketAccess): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'agent') return viewer.deskIds.includes(t.deskId);
  if (!viewer.organizationId || viewer.organizationId !== t.organizationId) return false;
  return !viewer.ownRequestsOnly || t.reporterId === viewer.id || t.isParticipant;
}

/** Reporter or participant: may confirm, cancel, and receives the e-mails. */
export const isInvolved = (viewer: Viewer, t: TicketAccess) => t.reporterId === viewer.id || t.isParticipant;

/** The SQL form of canSee, for lists. */
export function visibleTicketsCondition(viewer: Viewer): SQL | undefined {
  if (viewer.role === 'admin') return undefined;
  if (viewer.role === 'agent') {
    return viewer.deskIds.length ? inArray(ticket.deskId, viewer.deskIds) : sql`false`;
  }
  if (!viewer.organizationId) return sql`false`;
  const sameOrg = eq(ticket.organizationId, viewer.organizationId);
  if (!viewer.ownRequestsOnly) return sameOrg;
  return and(sameOrg, involvedCondition(viewer.id));
}

export const involvedCondition = (userId: string) =>
  or(
    eq(ticket.reporterId, userId),
    exists(sql`(select 1 from ${ticketParticipant} where ${ticketParticipant.ticketId} = ${ticket.id} and ${ticketParticipant.userId} = ${userId})`),
  )!;

/** Loads the access facts of a request by key, or 404 when the viewer may not see it. */
export async function loadTicketFor(db: DbOrTx, viewer: Viewer, key: string, options: { forUpdate?: boolean } = {}): Promise<TicketAccess> {
  const query = db
    .select({
      id: ticket.id,
      organizationId: ticket.organizationId,
      reporterId: ticket.reporterId,
      deskId: ticket.deskId,
      status: ticket.status,
      isParticipant: sql<boolean>`exists(select 1 from ${ticketParticipant} where ${ticketParticipant.ticketId} = ${ticket.id} and ${ticketParticipant.userId} = ${viewer.id})`,
    })
    .from(ticket)
    .where(eq(ticket.key, key));
  const [row] = options.forUpdate ? await query.for('update', { of: ticket }) : await query;
  if (!row) throw ticketNotFound();
  const access = { ...row, status: row.status as Status };
  if (!canSee(viewer, access)) throw ticketNotFound();
  return access;
}

export function permissionsFor(viewer: Viewer, t: TicketAccess) {
  const staff = isStaff(viewer);
  const final = t.status === 'closed' || t.status === 'canceled';
  const involved = isInvolved(viewer, t);
  const transitions: Status[] = staff
    ? [...AGENT_TRANSITIONS[t.status]]
    : involved
      ? [...CUSTOMER_TRANSITIONS[t.status]]
      : [];
  return {
    reply: !final,
    addInternalNote: staff && !final,
    transitions,
    qualify: staff && t.status === 'open',
    changeCriticality: staff && !final,
    assign: staff && !final,
    move: staff && !final,
    addParticipant: !final && (staff || involved || !viewer.ownRequestsOnly),
  };
}

/** Throws 409 unless this viewer may move the request from its status to `to`. */
export function assertTransition(viewer: Viewer, t: TicketAccess, to: Status): void {
  const actor = isStaff(viewer) ? 'agent' : 'customer';
  if (actor === 'customer' && !isInvolved(viewer, t)) {
    throw new AppError(403, 'ticket.not_involved', 'Only the reporter and the participants may do this.');
  }
  if (!canTransition(actor, t.status, to)) {
    throw new AppError(409, 'ticket.transition_not_allowed', `A request cannot go from ${t.status} to ${to}.`, 'to');
  }
}

export function assertStaff(viewer: Viewer): void {
  if (!isStaff(viewer)) throw new AppError(403, 'auth.forbidden', 'Only Customer Services may do this.');
}
