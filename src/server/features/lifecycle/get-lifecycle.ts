import { eq } from 'drizzle-orm';
import type { RequestLifecycle } from '#shared/lifecycle-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { satisfactionSurvey, ticketLifecycle } from '../../db/schema.ts';
import { alias } from 'drizzle-orm/pg-core';
import { loadTicketFor, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';

const original = alias(ticket, 'original');

/** What the request page says about automatic steps, follow-ups and the survey, for this viewer. */
export async function getLifecycle(db: DbOrTx, viewer: Viewer, key: string): Promise<RequestLifecycle> {
  const access = await loadTicketFor(db, viewer, key);
  const [row] = await db
    .select({
      nextAction: ticketLifecycle.nextAction,
      dueAt: ticketLifecycle.dueAt,
      autoResolvedAt: ticketLifecycle.autoResolvedAt,
      closedAt: ticket.closedAt,
      followUpOfKey: original.key,
      surveyRating: satisfactionSurvey.rating,
      surveyAsked: satisfactionSurvey.askedAt,
    })
    .from(ticket)
    .leftJoin(ticketLifecycle, eq(ticketLifecycle.ticketId, ticket.id))
    .leftJoin(original, eq(original.id, ticket.followUpOfId))
    .leftJoin(satisfactionSurvey, eq(satisfactionSurvey.ticketId, ticket.id))
    .where(eq(ticket.id, access.id));
  const closed = access.status === 'closed';
  const reporter = access.reporterId === viewer.id;
  return {
    next: row?.nextAction && row.dueAt ? { action: row.nextAction, at: row.dueAt.toISOString() } : null,
    autoResolvedAt: row?.autoResolvedAt && (access.status === 'resolved' || closed) ? row.autoResolvedAt.toISOString() : null,
    closedAt: closed && row?.closedAt ? row.closedAt.toISOString() : null,
    followUpOf: row?.followUpOfKey ? { key: row.followUpOfKey } : null,
    canOpenFollowUp: can(viewer, 'openFollowUp', access),
    survey: row?.surveyAsked
      ? {
          canAnswer: reporter && row.surveyRating === null,
          answered: row.surveyRating !== null,
          rating: can(viewer, 'readSurveyRating', access) ? row.surveyRating : null,
        }
      : null,
  };
}
