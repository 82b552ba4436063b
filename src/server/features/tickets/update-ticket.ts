import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { moveTicketSchema, qualifySchema, updateTicketSchema } from '#shared/tickets-api.ts';
import { CRITICALITY_RANK, type Criticality } from '#shared/tickets.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { deskMember, project, requestType, ticket, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { publish } from '../../events/publish.ts';
import { isFlexContractActive } from '../organizations/flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';
import { applyStatus } from './change-status.ts';
import { inTicketTransaction, type TicketRow } from './in-ticket-transaction.ts';
import type { TicketAccess, Viewer } from '../../policies/tickets.ts';
import { assertStaff, can } from '../../policies/can.ts';
import { mayBeAssignedAtDesk } from '../../policies/accounts.ts';
import { recordEvents } from './record-event.ts';

const invalid = (code: string, message: string, field: string) => new AppError(400, code, message, field);
const closed = () => new AppError(409, 'ticket.final', 'This request is closed; open a follow-up request instead.');

/** The policy's action for each field of an update. */
const UPDATE_ACTIONS = { criticality: 'changeCriticality', assigneeId: 'assign', requestTypeId: 'changeRequestType' } as const;

/**
 * Refuses an update the policy does not allow: each field given needs its action (an empty update,
 * every one). The viewer is known to be Customer Services here, so what is refused is a closed request.
 */
function assertMayUpdate(viewer: Viewer, access: TicketAccess, input: z.infer<typeof updateTicketSchema>) {
  const fields = (Object.keys(UPDATE_ACTIONS) as (keyof typeof UPDATE_ACTIONS)[]).filter((field) => input[field] !== undefined);
  const asked = fields.length ? fields : (Object.keys(UPDATE_ACTIONS) as (keyof typeof UPDATE_ACTIONS)[]);
  if (!asked.every((field) => can(viewer, UPDATE_ACTIONS[field], access))) throw closed();
}

/**
 * Changes the criticality. Lowering it needs a reason, which the reporter and participants are
 * told by e-mail and on the request page; raising it is told too.
 */
async function applyCriticality(
  tx: Tx,
  ctx: AppContext,
  current: TicketRow,
  change: { to: Criticality; reason?: string | undefined; actorId: string },
): Promise<void> {
  const from = current.criticality;
  if (change.to === from) return;
  const lowered = CRITICALITY_RANK[change.to] < CRITICALITY_RANK[from];
  if (lowered && !change.reason) throw invalid('ticket.reason_required', 'Say why the criticality is lowered: the customer is told.', 'reason');
  const now = ctx.clock.now();
  await tx.update(ticket).set({ criticality: change.to, updatedAt: now }).where(eq(ticket.id, current.id));
  await recordEvents(tx, { ticketId: current.id, at: now, actorId: change.actorId }, [
    { field: 'criticality', from, to: change.to, reason: change.reason ?? null },
  ]);
  await publish(tx, ctx, {
    type: 'request.criticality_changed',
    ticketId: current.id,
    from,
    to: change.to,
    reason: change.reason ?? null,
    actorId: change.actorId,
  });
}

async function assertTypeOfDesk(tx: Tx, requestTypeId: string, deskId: string) {
  const [type] = await tx.select().from(requestType).where(eq(requestType.id, requestTypeId));
  if (!type?.active) throw invalid('ticket.unknown_request_type', 'This request type does not exist.', 'requestTypeId');
  if (type.deskId !== deskId)
    throw invalid('ticket.request_type_other_desk', 'This request type belongs to another desk; move the request instead.', 'requestTypeId');
  return type;
}

async function applyRequestType(tx: Tx, ctx: AppContext, current: TicketRow, requestTypeId: string, actorId: string) {
  if (requestTypeId === current.requestTypeId) return;
  const type = await assertTypeOfDesk(tx, requestTypeId, current.deskId);
  await assertTypeFits(tx, ctx, current, type);
  const now = ctx.clock.now();
  await tx.update(ticket).set({ requestTypeId, updatedAt: now }).where(eq(ticket.id, current.id));
  await recordEvents(tx, { ticketId: current.id, at: now, actorId }, [{ field: 'request_type', from: current.requestTypeId, to: requestTypeId }]);
  await publish(tx, ctx, {
    type: 'request.type_changed',
    ticketId: current.id,
    toRequestTypeId: requestTypeId,
    criticality: current.criticality,
    status: current.status,
    actorId,
  });
}

/** A Solva Flex type needs an active Flex contract; a project type needs the request's project. */
async function assertTypeFits(tx: Tx, ctx: AppContext, current: TicketRow, type: typeof requestType.$inferSelect) {
  if (type.requiresFlexContract && !(await isFlexContractActive(tx, current.organizationId, await businessToday(tx, ctx.clock)))) {
    throw invalid('ticket.flex_contract_required', 'This organization has no active Flex contract.', 'requestTypeId');
  }
  if (type.requiresProject && !current.projectId) {
    throw invalid('ticket.project_required', 'This request type needs a project.', 'projectId');
  }
}

/** An agent confirms the desk and type, may change the criticality, and marks the request qualified. */
export async function qualifyTicket(ctx: AppContext, viewer: Viewer, key: string, input: z.infer<typeof qualifySchema>) {
  assertStaff(viewer);
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    if (!can(viewer, 'qualify', access)) throw new AppError(409, 'ticket.already_qualified', 'Only a request that is still open can be qualified.');
    if (input.requestTypeId) await applyRequestType(tx, ctx, current, input.requestTypeId, viewer.id);
    if (input.criticality) await applyCriticality(tx, ctx, current, { to: input.criticality, reason: input.reason, actorId: viewer.id });
    await applyStatus(tx, ctx, current, { to: 'qualified', actorId: viewer.id });
  });
}

/** Criticality, assignee and request type (within the desk), by an agent. */
export async function updateTicket(ctx: AppContext, viewer: Viewer, key: string, input: z.infer<typeof updateTicketSchema>) {
  assertStaff(viewer);
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    assertMayUpdate(viewer, access, input);
    if (input.requestTypeId) await applyRequestType(tx, ctx, current, input.requestTypeId, viewer.id);
    if (input.criticality) await applyCriticality(tx, ctx, current, { to: input.criticality, reason: input.reason, actorId: viewer.id });
    if (input.assigneeId !== undefined && input.assigneeId !== current.assigneeId) {
      if (input.assigneeId !== null) await assertAssignable(tx, input.assigneeId, current.deskId);
      const now = ctx.clock.now();
      await tx.update(ticket).set({ assigneeId: input.assigneeId, updatedAt: now }).where(eq(ticket.id, current.id));
      await recordEvents(tx, { ticketId: current.id, at: now, actorId: viewer.id }, [{ field: 'assignee', from: current.assigneeId, to: input.assigneeId }]);
    }
  });
}

/** Only agents of the request's desk take it (administrators too). */
async function assertAssignable(tx: Tx, userId: string, deskId: string) {
  const [row] = await tx
    .select({ role: user.role, banned: user.banned, member: deskMember.userId })
    .from(user)
    .leftJoin(deskMember, and(eq(deskMember.userId, user.id), eq(deskMember.deskId, deskId)))
    .where(eq(user.id, userId));
  const ok = row && !row.banned && mayBeAssignedAtDesk(row.role, row.member !== null);
  if (!ok) throw invalid('ticket.assignee_not_in_desk', 'Assign the request to an agent of its desk.', 'assigneeId');
}

/** Moves a request to another desk; it keeps its key. The assignee stays only if they work at the new desk. */
export async function moveTicket(ctx: AppContext, viewer: Viewer, key: string, input: z.infer<typeof moveTicketSchema>) {
  assertStaff(viewer);
  return inTicketTransaction(ctx, viewer, key, async (tx, current, access) => {
    if (!can(viewer, 'move', access)) throw closed();
    if (input.deskId === current.deskId) throw invalid('ticket.same_desk', 'The request is already at this desk.', 'deskId');
    const type = await assertTypeOfDesk(tx, input.requestTypeId, input.deskId);
    let projectId = current.projectId;
    if (input.projectId !== undefined && input.projectId !== current.projectId) {
      const [p] = await tx
        .select()
        .from(project)
        .where(and(eq(project.id, input.projectId), eq(project.organizationId, current.organizationId)));
      if (!p) throw invalid('ticket.unknown_project', 'This project does not exist.', 'projectId');
      if (p.status !== 'active') throw invalid('ticket.project_closed', 'This project is closed.', 'projectId');
      projectId = p.id;
    }
    await assertTypeFits(tx, ctx, { ...current, projectId }, type);
    let assigneeId = current.assigneeId;
    if (assigneeId) {
      const [member] = await tx
        .select({ userId: deskMember.userId })
        .from(deskMember)
        .where(and(eq(deskMember.deskId, input.deskId), inArray(deskMember.userId, [assigneeId])));
      if (!member) assigneeId = null;
    }
    const now = ctx.clock.now();
    await tx.update(ticket).set({ deskId: input.deskId, requestTypeId: type.id, projectId, assigneeId, updatedAt: now }).where(eq(ticket.id, current.id));
    await recordEvents(tx, { ticketId: current.id, at: now, actorId: viewer.id }, [
      { field: 'desk', from: current.deskId, to: input.deskId },
      { field: 'request_type', from: current.requestTypeId, to: type.id },
      ...(projectId !== current.projectId ? [{ field: 'project' as const, from: current.projectId, to: projectId }] : []),
      ...(assigneeId !== current.assigneeId ? [{ field: 'assignee' as const, from: current.assigneeId, to: assigneeId }] : []),
    ]);
    if (type.id !== current.requestTypeId) {
      await publish(tx, ctx, {
        type: 'request.type_changed',
        ticketId: current.id,
        toRequestTypeId: type.id,
        criticality: current.criticality,
        status: current.status,
        actorId: viewer.id,
      });
    }
  });
}
