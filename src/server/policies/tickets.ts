/**
 * Who may see a request — the one place where it is decided (DESIGN.md §1); what they may do with
 * it is asked of `can` (policies/can.ts). Customers see their organization's requests (only their own and those they take part in when the
 * organization is set to "own requests only"); agents the requests of their desks; administrators all.
 * A request the viewer may not see does not exist for them: 404, never 403.
 */
import { and, eq, exists, inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../db/client.ts';
import { deskMember, organization, ticket, ticketParticipant, user } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { SessionUser } from '../http/access.ts';
import { activeUser } from '../features/users/user-rules.ts';
import { customerAccount, isStaffRole } from './accounts.ts';

export type Viewer = SessionUser & {
  /** Desks of an agent; administrators act on every desk. */
  deskIds: string[];
  ownRequestsOnly: boolean;
};

/** Customer Services (agents and administrators), for the policies' own rules; features ask `can` (policies/can.ts). */
export const isStaff = (viewer: Pick<SessionUser, 'role'>) => isStaffRole(viewer.role);

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

/** Reporter or participant: may confirm, cancel, and receives the e-mails. */
export const isInvolved = (viewer: Viewer, t: TicketAccess) => t.reporterId === viewer.id || t.isParticipant;

/** A term of the read rule: a value known here (bound as a parameter), or a column or expression. */
type Term<T> = T | SQLWrapper;

/**
 * Who reads: one viewer (their own values, bound as parameters, so the lists keep their indexes),
 * or every row of `user` (the recipients of a mail about a request).
 */
type Reader = { id: Term<string>; organizationId: Term<string> | null; ownRequestsOnly: Term<boolean> };

/** The request read: a row of `ticket`, or one being created (its organization, and whether the reader takes part). */
type RequestTerms = { organizationId: Term<string>; involves: (readerId: Term<string>) => SQL };

const TICKET_ROW: RequestTerms = { organizationId: ticket.organizationId, involves: (readerId) => involvedCondition(readerId) };

/**
 * The customers' read rule (DESIGN.md §1), the one place it is written: a customer reads the
 * requests of their organization; with the organization set to "own requests only", those they
 * reported or take part in. In SQL, so that the same rule decides what one viewer sees (lists, the
 * request page, every change) and who receives the e-mails and in-app notifications about a request.
 */
function customerMayRead(reader: Reader, request: RequestTerms = TICKET_ROW): SQL {
  if (reader.organizationId === null) return sql`false`;
  const sameOrganization = sql`${request.organizationId} = ${reader.organizationId}`;
  if (reader.ownRequestsOnly === false) return sameOrganization;
  const involved = request.involves(reader.id);
  if (reader.ownRequestsOnly === true) return and(sameOrganization, involved)!;
  return and(sameOrganization, or(sql`not ${reader.ownRequestsOnly}`, involved))!;
}

/** Every customer account as a reader: their organization's "own requests only" setting read beside them. */
const USER_READER: Reader = {
  id: user.id,
  organizationId: user.organizationId,
  ownRequestsOnly: sql`coalesce((select ${organization.ownRequestsOnly} from ${organization} where ${organization.id} = ${user.organizationId}), false)`,
};

/**
 * The accounts (rows of `user`) that may receive customer e-mails about a request: active customers
 * who pass the request page's read check. Someone moved to another organization, detached from
 * theirs, made staff or deactivated is told nothing more about the old organization's requests.
 * Over `ticket` (the request's row) or over a request being created.
 */
export function customerRecipientCondition(request: RequestTerms = TICKET_ROW): SQL {
  return and(customerAccount(), activeUser(), customerMayRead(USER_READER, request))!;
}

/** The request read rule for one viewer, in SQL over `ticket` (undefined: every request). */
export function visibleTicketsCondition(viewer: Viewer): SQL | undefined {
  if (viewer.role === 'admin') return undefined;
  if (viewer.role === 'agent') {
    return viewer.deskIds.length ? inArray(ticket.deskId, viewer.deskIds) : sql`false`;
  }
  return customerMayRead({ id: viewer.id, organizationId: viewer.organizationId, ownRequestsOnly: viewer.ownRequestsOnly });
}

/**
 * The e-mails held for triage a viewer handles (can 'triageMail', in SQL over the desk the mail was
 * sent to): agents those of their desks and those naming no desk; administrators all (undefined).
 */
export function triageCondition(viewer: Viewer, deskColumn: SQLWrapper): SQL | undefined {
  if (viewer.role !== 'agent') return undefined;
  const unaddressed = sql`${deskColumn} is null`;
  return viewer.deskIds.length ? or(unaddressed, inArray(deskColumn as never, viewer.deskIds)) : unaddressed;
}

/** Whether the viewer may see the request of the selected `ticket` row, as a selectable boolean. */
export const canSeeSql = (viewer: Viewer): SQL<boolean> => sql<boolean>`coalesce(${visibleTicketsCondition(viewer) ?? sql`true`}, false)`;

export const involvedCondition = (userId: Term<string>) =>
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
      visible: canSeeSql(viewer),
    })
    .from(ticket)
    .where(eq(ticket.key, key));
  const [row] = options.forUpdate ? await query.for('update', { of: ticket }) : await query;
  if (!row?.visible) throw ticketNotFound();
  const { visible: _visible, ...access } = row;
  return { ...access, status: row.status };
}
