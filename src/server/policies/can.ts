/**
 * What a viewer may do — the one place where it is decided (DESIGN.md §1, issue 15): `can(viewer,
 * action, resource)` answers both the permissions the request page receives (`permissionsFor`) and
 * the checks in the commands, so the UI never offers what a command refuses, nor the reverse.
 * Who sees a request at all is the read rule of policies/tickets.ts: a request the viewer may not
 * see does not exist for them (404, never 403), so every action on a request takes it as loaded
 * for the viewer (`loadTicketFor`, `inTicketTransaction`). The commands say why they refuse
 * (their error codes); `can` says whether.
 */
import { AGENT_TRANSITIONS, canTransition, CUSTOMER_TRANSITIONS, isFinal, type Status } from '#shared/tickets.ts';
import { AppError } from '../errors.ts';
import type { SessionUser } from '../http/access.ts';
import { customerStatusOf } from '#shared/tickets.ts';
import { isInvolved, isStaff, type TicketAccess, type Viewer } from './tickets.ts';

/** Who asks, when the action needs nothing of their desks or organization settings (a session's user is one). */
export type Actor = Pick<SessionUser, 'id' | 'role' | 'organizationId'>;

/** The actions on one request the viewer sees; the resource is the request as loaded for them. */
type TicketAction =
  | 'reply'
  | 'addInternalNote'
  | 'qualify'
  | 'changeCriticality'
  | 'changeRequestType'
  | 'assign'
  | 'move'
  | 'addParticipant'
  | 'removeParticipants'
  | 'leave'
  | 'openFollowUp'
  | 'readSurveyRating';

/** Each action → who asks and about what (`undefined`: the action is about no resource). */
export type Actions = { [A in TicketAction]: { viewer: Viewer; resource: TicketAccess } } & {
  /** Customer Services' work on requests: qualify, update, move, bulk changes, time entries. */
  workOnRequests: { viewer: Actor; resource: undefined };
  /** Read what is Customer Services' alone: internal notes and their files, internal statuses and history, SLA details, staff filters. */
  readInternal: { viewer: Actor; resource: undefined };
  /** Open a request on a customer's behalf (choosing its reporter). */
  actForCustomer: { viewer: Actor; resource: undefined };
  /** Open a request at a desk (agents at their own desks only). */
  createInDesk: { viewer: Viewer; resource: { deskId: string } };
  /** Name any organization (its catalogue, its members, its projects, its Flex account). */
  readAllOrganizations: { viewer: Actor; resource: undefined };
  /** Read an organization's Flex balance, purchases and ledger. */
  readFlex: { viewer: Actor; resource: { organizationId: string } };
  /** Read a project and its requests' list. */
  readProject: { viewer: Actor; resource: { organizationId: string } };
  /** Open a request by writing to a desk's address: customers of an organization (Customer Services opens one for a customer in the workspace). */
  openByEmail: { viewer: Actor; resource: undefined };
  /** Handle an e-mail held for triage: Customer Services of the desk it was sent to (any of them when it names no desk). */
  triageMail: { viewer: Viewer; resource: { deskId: string | null } };
  /** Send a file (a customer's counts against their organization, so they need one). */
  upload: { viewer: Actor; resource: undefined };
  /** Move the request to status `to`. */
  transition: { viewer: Viewer; resource: { ticket: TicketAccess; to: Status } };
  /** Remove `userId` from the request's participants (oneself: leaving). */
  removeParticipant: { viewer: Viewer; resource: { ticket: TicketAccess; userId: string } };
};
export type Action = keyof Actions;

type Rules = { [A in Action]: (viewer: Actions[A]['viewer'], resource: Actions[A]['resource']) => boolean };

const staffAndOpen = (viewer: Viewer, t: TicketAccess) => isStaff(viewer) && !isFinal(t.status);
const ownOrAnyOrganization = (viewer: Actor, o: { organizationId: string }) => isStaff(viewer) || viewer.organizationId === o.organizationId;

const RULES: Rules = {
  workOnRequests: isStaff,
  readInternal: isStaff,
  actForCustomer: isStaff,
  readAllOrganizations: isStaff,
  // Customers open requests at the desks their catalogue offers them; administrators at every desk.
  createInDesk: (viewer, { deskId }) => viewer.role !== 'agent' || viewer.deskIds.includes(deskId),
  readFlex: ownOrAnyOrganization,
  readProject: ownOrAnyOrganization,
  upload: (viewer) => isStaff(viewer) || viewer.organizationId !== null,
  openByEmail: (viewer) => !isStaff(viewer) && viewer.organizationId !== null,
  triageMail: (viewer, { deskId }) => isStaff(viewer) && (viewer.role !== 'agent' || deskId === null || viewer.deskIds.includes(deskId)),

  reply: (_viewer, t) => !isFinal(t.status),
  addInternalNote: staffAndOpen,
  transition: (viewer, { ticket, to }) =>
    isStaff(viewer) ? canTransition('agent', ticket.status, to) : isInvolved(viewer, ticket) && canTransition('customer', ticket.status, to),
  qualify: (viewer, t) => isStaff(viewer) && t.status === 'open',
  changeCriticality: staffAndOpen,
  changeRequestType: staffAndOpen,
  assign: staffAndOpen,
  move: staffAndOpen,
  addParticipant: (viewer, t) => !isFinal(t.status) && (isStaff(viewer) || isInvolved(viewer, t) || !viewer.ownRequestsOnly),
  removeParticipants: (viewer, t) => !isFinal(t.status) && (isStaff(viewer) || t.reporterId === viewer.id),
  leave: (_viewer, t) => !isFinal(t.status) && t.isParticipant,
  removeParticipant: (viewer, { ticket, userId }) => can(viewer, 'removeParticipants', ticket) || (viewer.id === userId && can(viewer, 'leave', ticket)),
  openFollowUp: (viewer, t) => t.status === 'closed' && (isStaff(viewer) || isInvolved(viewer, t) || !viewer.ownRequestsOnly),
  readSurveyRating: (viewer, t) => isStaff(viewer) || t.reporterId === viewer.id,
};

/** Whether `viewer` may do `action` (on `resource`, for the actions about one). */
export function can<A extends Action>(
  viewer: Actions[A]['viewer'],
  action: A,
  ...[resource]: Actions[A]['resource'] extends undefined ? [] : [resource: Actions[A]['resource']]
): boolean {
  return (RULES[action] as (viewer: Actions[A]['viewer'], resource: Actions[A]['resource']) => boolean)(viewer, resource as Actions[A]['resource']);
}

/** The permissions the request page receives: the same decisions as the commands', from `can`. */
export function permissionsFor(viewer: Viewer, t: TicketAccess) {
  const candidates = (isStaff(viewer) ? AGENT_TRANSITIONS : CUSTOMER_TRANSITIONS)[t.status];
  return {
    reply: can(viewer, 'reply', t),
    addInternalNote: can(viewer, 'addInternalNote', t),
    transitions: candidates.filter((to) => can(viewer, 'transition', { ticket: t, to })),
    qualify: can(viewer, 'qualify', t),
    changeCriticality: can(viewer, 'changeCriticality', t),
    assign: can(viewer, 'assign', t),
    move: can(viewer, 'move', t),
    addParticipant: can(viewer, 'addParticipant', t),
    removeParticipants: can(viewer, 'removeParticipants', t),
    leave: can(viewer, 'leave', t),
  };
}

/** Throws unless this viewer may move the request from its status to `to`: 403 to a customer not involved, 409 otherwise. */
export function assertTransition(viewer: Viewer, t: TicketAccess, to: Status): void {
  if (can(viewer, 'transition', { ticket: t, to })) return;
  const staff = isStaff(viewer);
  if (!staff && !isInvolved(viewer, t)) {
    throw new AppError(403, 'ticket.not_involved', 'Only the reporter and the participants may do this.');
  }
  // A customer is told the status as they know it.
  throw new AppError(409, 'ticket.transition_not_allowed', `A request cannot go from ${staff ? t.status : customerStatusOf(t.status)} to ${to}.`, 'to');
}

/** Throws 403 unless the viewer works on requests (Customer Services): checked before the request is looked up. */
export function assertStaff(viewer: Actor): void {
  if (!can(viewer, 'workOnRequests')) throw new AppError(403, 'auth.forbidden', 'Only Customer Services may do this.');
}
