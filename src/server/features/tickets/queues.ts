/**
 * The queues of the agent workspace and their counts. Every queue but "recently resolved" reads only
 * open requests, through partial indexes over the open statuses; "recently resolved" reads the last
 * days of resolutions and closures. So counting costs what is open, never what is closed — which is
 * nearly everything at a million requests. The SLA queues start from the running clocks
 * (sla_clock_running_warn_idx, sla_clock_running_deadline_idx) and reach each request by its key.
 */
import { and, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { QUEUES, RECENTLY_RESOLVED_DAYS, type Queue, type QueueCounts } from '#shared/tickets-api.ts';
import { OPEN_STATUSES } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { slaClock, ticket } from '../../db/schema.ts';
import { visibleTicketsCondition, type Viewer } from '../../policies/tickets.ts';

const DAY = 86_400_000;
export const recentlyResolvedSince = (now: Date) => new Date(now.getTime() - RECENTLY_RESOLVED_DAYS * DAY);

const isOpen = () => inArray(ticket.status, [...OPEN_STATUSES]);

/*
 * The SLA queues start from the clocks' thresholds. A stopped clock has none (sla/clocks.ts), so a
 * threshold that is set belongs to a clock that runs — or is paused after reaching it.
 */

/** A running (not paused) clock of the request has passed 75 % of its target, not yet its deadline: the request page's "at risk". */
export const slaAtRisk = (now: Date): SQL =>
  sql`${ticket.id} in (select ${slaClock.ticketId} from ${slaClock} where ${slaClock.warnAt} is not null and ${slaClock.warnAt} <= ${now} and ${slaClock.deadline} > ${now} and ${slaClock.pausedAt} is null)`;

/** A clock of the request that is not stopped is past its deadline. */
export const slaBreached = (now: Date): SQL =>
  sql`${ticket.id} in (select ${slaClock.ticketId} from ${slaClock} where ${slaClock.deadline} is not null and ${slaClock.deadline} <= ${now})`;

/** The requests of a queue. `now` comes from the injected clock. */
export function queueCondition(queue: Queue, viewer: Viewer, now: Date): SQL {
  switch (queue) {
    case 'to_qualify':
      return eq(ticket.status, 'open');
    case 'mine':
      return and(eq(ticket.assigneeId, viewer.id), isOpen())!;
    case 'unassigned':
      return and(isNull(ticket.assigneeId), isOpen())!;
    case 'waiting_customer':
      return eq(ticket.status, 'waiting_customer');
    case 'waiting_third_party':
      return eq(ticket.status, 'waiting_third_party');
    case 'all_open':
      return isOpen();
    case 'sla_at_risk':
      return slaAtRisk(now);
    case 'sla_breached':
      return slaBreached(now);
    case 'recently_resolved': {
      const since = recentlyResolvedSince(now);
      // A resolved request has no closedAt; a closed one is judged by its closure. Resolving or
      // closing changes the request, so updatedAt ≥ since too: written out, it lets the planner walk
      // the "last change" index from the newest instead of gathering and sorting every match.
      return and(
        inArray(ticket.status, ['resolved', 'closed']),
        gte(ticket.updatedAt, since),
        sql`coalesce(${ticket.closedAt}, ${ticket.resolvedAt}) >= ${since}`,
      )!;
    }
  }
}

const count = (condition: SQL) => sql<number>`(count(*) filter (where ${condition}))::int`;

/** Each queue with its count, within the viewer's desks (administrators: every desk), optionally one desk. */
export async function countQueues(db: DbOrTx, viewer: Viewer, options: { deskId?: string | undefined; now: Date }): Promise<QueueCounts> {
  const scope = and(visibleTicketsCondition(viewer), options.deskId ? eq(ticket.deskId, options.deskId) : undefined);
  const since = recentlyResolvedSince(options.now);
  const [[open], [resolved], [closed], [atRisk], [breached]] = await Promise.all([
    // One index-only scan of the open requests (ticket_open_queue_idx) gives every open queue.
    db
      .select({
        to_qualify: count(eq(ticket.status, 'open')),
        mine: count(eq(ticket.assigneeId, viewer.id)),
        unassigned: count(isNull(ticket.assigneeId)),
        waiting_customer: count(eq(ticket.status, 'waiting_customer')),
        waiting_third_party: count(eq(ticket.status, 'waiting_third_party')),
        all_open: sql<number>`count(*)::int`,
      })
      .from(ticket)
      .where(and(isOpen(), scope)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticket)
      .where(and(eq(ticket.status, 'resolved'), gte(ticket.resolvedAt, since), scope)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticket)
      .where(and(eq(ticket.status, 'closed'), gte(ticket.closedAt, since), scope)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticket)
      .where(and(slaAtRisk(options.now), scope)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(ticket)
      .where(and(slaBreached(options.now), scope)),
  ]);
  const counts: Record<Queue, number> = {
    ...open!,
    recently_resolved: resolved!.n + closed!.n,
    sla_at_risk: atRisk!.n,
    sla_breached: breached!.n,
  };
  return { items: QUEUES.map((queue) => ({ queue, count: counts[queue] })) };
}
