import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import type { z } from 'zod';
import type { createTicketSchema } from '#shared/tickets-api.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { asOneStatement } from '../../db/one-statement.ts';
import { desk, deskMember, project, requestType, ticket, ticketEvent, ticketParticipant, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { prepareCreation } from '../../events/publish.ts';
import { linkAttachments } from '../attachments/link-attachments.ts';
import { attachFilesInTransaction } from '../attachments/storage.ts';
import { isFlexContractActive } from '../organizations/flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';
import { assertRequestAllowedByContracts } from '../flex/assert-request-allowed.ts';
import type { Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { belongsToOrganization, customerAccount, isCustomerServices } from '../../policies/accounts.ts';
import { ticketEventRows } from './record-event.ts';
import { newTicketVectors } from './search.ts';

type Input = z.infer<typeof createTicketSchema>;

const invalid = (code: string, message: string, field: string) => new AppError(400, code, message, field);

/**
 * Opens a request: by a customer for themself, or by an agent on a customer's behalf (the customer
 * is the reporter and is told). Everything is checked before anything is written; the request, its
 * participants, history, SLA clocks, attachments and acknowledgement e-mails are written together.
 */
export async function createTicket(
  ctx: AppContext,
  viewer: Viewer,
  input: Input,
  options: {
    followUpOfId?: string;
    /** The key of the closed request it follows up (its acknowledgement names it). */
    followUpOfKey?: string;
    /** Opened from an e-mail (its acknowledgement says how to change the criticality it was given). */
    channel?: 'portal' | 'email';
    /** Runs in the creation's transaction, after its writes (the caller stores its answer there). */
    onCreated?: ((tx: Tx, created: { id: string; key: string }) => Promise<void>) | undefined;
  } = {},
): Promise<{ id: string; key: string }> {
  const { db, clock } = ctx;
  const now = clock.now();

  const [type] = await db
    .select({
      id: requestType.id,
      deskId: requestType.deskId,
      active: requestType.active,
      requiresFlexContract: requestType.requiresFlexContract,
      requiresProject: requestType.requiresProject,
      underSla: requestType.underSla,
      deskActive: desk.active,
    })
    .from(requestType)
    .innerJoin(desk, eq(desk.id, requestType.deskId))
    .where(eq(requestType.id, input.requestTypeId));
  if (!type?.active || !type.deskActive) throw invalid('ticket.unknown_request_type', 'This request type does not exist.', 'requestTypeId');

  // Who reports it.
  let reporter: { id: string; organizationId: string; name: string };
  if (can(viewer, 'actForCustomer')) {
    if (!input.reporterId) throw invalid('ticket.reporter_required', 'Choose the customer this request is for.', 'reporterId');
    const [found] = await db
      .select({ id: user.id, name: user.name, organizationId: user.organizationId, role: user.role, banned: user.banned })
      .from(user)
      .where(eq(user.id, input.reporterId));
    if (!found || !belongsToOrganization(found.role) || !found.organizationId || found.banned) {
      throw invalid('ticket.unknown_reporter', 'The reporter must be an active customer of an organization.', 'reporterId');
    }
    if (!can(viewer, 'createInDesk', { deskId: type.deskId })) {
      throw invalid('ticket.desk_not_allowed', 'You can only open requests at your own desks.', 'requestTypeId');
    }
    reporter = { id: found.id, name: found.name, organizationId: found.organizationId };
  } else {
    if (input.reporterId !== undefined && input.reporterId !== viewer.id) {
      throw invalid('ticket.reporter_not_allowed', 'Customers open requests for themselves.', 'reporterId');
    }
    if (!viewer.organizationId) throw new AppError(403, 'organization.required', 'An administrator must attach your account to your organization first.');
    reporter = { id: viewer.id, name: viewer.name, organizationId: viewer.organizationId };
  }

  const today = await businessToday(db, clock);
  if (type.requiresFlexContract && !(await isFlexContractActive(db, reporter.organizationId, today))) {
    throw invalid('ticket.flex_contract_required', 'Solva Flex requests need an active Flex contract.', 'requestTypeId');
  }
  await assertRequestAllowedByContracts(db, {
    organizationId: reporter.organizationId,
    deskId: type.deskId,
    requiresFlexContract: type.requiresFlexContract,
    today,
  });

  if (type.requiresProject && !input.projectId) throw invalid('ticket.project_required', 'Choose the project this request belongs to.', 'projectId');
  if (input.projectId) {
    const [p] = await db.select({ organizationId: project.organizationId, status: project.status }).from(project).where(eq(project.id, input.projectId));
    // Another organization's project does not exist for this customer.
    if (!p || p.organizationId !== reporter.organizationId) throw invalid('ticket.unknown_project', 'This project does not exist.', 'projectId');
    if (p.status !== 'active') throw invalid('ticket.project_closed', 'This project is closed.', 'projectId');
  }

  const participantIds = [...new Set(input.participantIds)].filter((id) => id !== reporter.id);
  if (participantIds.length) {
    const found = await db
      .select({ id: user.id })
      .from(user)
      .where(
        and(
          inArray(user.id, participantIds),
          eq(user.organizationId, reporter.organizationId),
          customerAccount(),
          sql`coalesce(${user.banned}, false) = false`,
        ),
      );
    if (found.length !== participantIds.length) {
      throw invalid('ticket.participant_not_in_organization', 'Participants must be colleagues of the same organization.', 'participantIds');
    }
  }

  // The number is taken in its own short statement: the desk row is locked for that statement only,
  // not for the whole creation, so creations at one desk don't queue behind each other. Each number
  // is handed out once; a creation that fails after this point (a lost connection) leaves a gap.
  const [counter] = await db
    .update(desk)
    .set({ nextNumber: sql`${desk.nextNumber} + 1` })
    .where(eq(desk.id, type.deskId))
    .returning({ number: sql<number>`${desk.nextNumber} - 1`, prefix: desk.keyPrefix });
  const key = `${counter!.prefix}-${counter!.number}`;

  // Everything else is read first, then written in one statement (one round trip, all or nothing):
  // the request, its participants and history, its SLA clocks, the acknowledgements and the
  // in-app notifications. Attachments to link, delivery jobs to queue, or an answer to store with the
  // creation (an Idempotency-Key) need a transaction around it.
  const ticketId = randomUUID();
  const writes: SQLWrapper[] = [
    db.insert(ticket).values({
      id: ticketId,
      key,
      deskId: type.deskId,
      requestTypeId: type.id,
      organizationId: reporter.organizationId,
      reporterId: reporter.id,
      createdById: viewer.id,
      projectId: input.projectId,
      followUpOfId: options.followUpOfId ?? null,
      summary: input.summary,
      description: input.description,
      criticality: input.criticality,
      status: 'open',
      createdAt: now,
      updatedAt: now,
      customerUpdatedAt: now,
      statusChangedAt: now,
      // Written by the viewer: indexed in the viewer's language.
      ...newTicketVectors(viewer.language, input.summary, input.description),
    }),
    db
      .insert(ticketEvent)
      .values(
        ticketEventRows({ ticketId, at: now, actorId: viewer.id }, [
          { field: 'created', to: 'open' },
          ...participantIds.map((id) => ({ field: 'participant_added' as const, to: id })),
        ]),
      ),
  ];
  if (participantIds.length) {
    writes.push(db.insert(ticketParticipant).values(participantIds.map((userId) => ({ ticketId, userId, addedById: viewer.id, createdAt: now }))));
  }
  // The reactions to the creation (the SLA clocks, the acknowledgements) join its statement.
  const reactions = await prepareCreation(db, ctx, {
    type: 'request.created',
    ticketId,
    key,
    summary: input.summary,
    organizationId: reporter.organizationId,
    customerIds: [reporter.id, ...participantIds],
    openedBy: isCustomerServices(viewer) ? viewer.name : null,
    requestTypeId: type.id,
    underSla: type.underSla,
    criticality: input.criticality,
    at: now,
    channel: options.channel ?? 'portal',
    followUpOfKey: options.followUpOfKey ?? null,
  });
  writes.push(...reactions.writes);

  const statement = asOneStatement(writes);
  if (input.attachmentIds.length || reactions.needsTransaction || options.onCreated) {
    // The files are placed inside the transaction: a file that cannot be placed fails the creation, and nothing is written.
    await attachFilesInTransaction(ctx.config.dataDir, input.attachmentIds, (placeFiles) =>
      db.transaction(async (tx) => {
        await tx.execute(statement);
        await linkAttachments(tx, { ids: input.attachmentIds, uploaderId: viewer.id, ticketId });
        if (input.attachmentIds.length) await placeFiles(ticketId);
        await reactions.afterWrites(tx);
        await options.onCreated?.(tx, { id: ticketId, key });
      }),
    );
  } else {
    await db.execute(statement);
    await reactions.afterWrites(db);
  }
  return { id: ticketId, key };
}

/** Agents of a desk, for assignment checks. */
export async function isDeskMember(db: AppContext['db'], deskId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: deskMember.userId })
    .from(deskMember)
    .where(and(eq(deskMember.deskId, deskId), eq(deskMember.userId, userId)));
  return Boolean(row);
}
