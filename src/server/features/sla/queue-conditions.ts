import { sql, type SQL } from 'drizzle-orm';
import { slaClock, ticket } from '../../db/schema.ts';

/*
 * For the agent workspace's lists (features/tickets/list-tickets.ts, not wired yet): the "SLA at
 * risk" and "breached" queues and the sort by deadline, over the stored instants of the running
 * clocks (indexed: sla_clock_deadline_idx, the partial threshold indexes, and the unique
 * (ticket, kind, cycle) index for the per-request look-up).
 */

/** A running clock of the request has passed 75 % of its target and not yet its deadline. */
export const slaAtRiskCondition = (now: Date): SQL =>
  sql`exists (select 1 from ${slaClock} where ${slaClock.ticketId} = ${ticket.id} and ${slaClock.stoppedAt} is null and ${slaClock.warnAt} <= ${now} and (${slaClock.deadline} is null or ${slaClock.deadline} > ${now}))`;

/** A running clock of the request is past its deadline. */
export const slaBreachedCondition = (now: Date): SQL =>
  sql`exists (select 1 from ${slaClock} where ${slaClock.ticketId} = ${ticket.id} and ${slaClock.stoppedAt} is null and ${slaClock.deadline} <= ${now})`;

/** The request's earliest deadline among its running clocks (null when none runs): to sort by deadline. */
export const slaNextDeadline: SQL<Date | null> = sql<Date | null>`(select min(${slaClock.deadline}) from ${slaClock} where ${slaClock.ticketId} = ${ticket.id} and ${slaClock.stoppedAt} is null)`;
