import { eq } from 'drizzle-orm';
import type { Criticality } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { requestType } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import { loadCalendar } from '../calendar/calendar-store.ts';
import { MINUTE_MS } from './clock-math.ts';
import { DEFAULT_SLA_TARGETS, currentPolicy } from './policies.ts';

/** The deadlines a request of this type and criticality, created at `start`, would get from the current policy and calendar. */
export async function previewDeadlines(db: DbOrTx, input: { start: string; requestTypeId: string; criticality: Criticality }) {
  const [type] = await db.select({ underSla: requestType.underSla }).from(requestType).where(eq(requestType.id, input.requestTypeId));
  if (!type) throw badRequest('sla.unknown_request_type', 'requestTypeId: this request type does not exist', 'requestTypeId');
  if (!type.underSla) throw badRequest('sla.not_under_sla', 'requestTypeId: this request type is not under SLA', 'requestTypeId');
  const calendar = await loadCalendar(db);
  const policy = await currentPolicy(db, input.requestTypeId);
  const targets = (policy?.targets ?? DEFAULT_SLA_TARGETS)[input.criticality];
  const start = new Date(input.start);
  return {
    start: start.toISOString(),
    countingFrom: calendar.nextOpening(start).toISOString(),
    policyVersion: policy?.version ?? 0,
    engagementMinutes: targets.engagement,
    resolutionMinutes: targets.resolution,
    engagementDeadline: calendar.addBusinessTime(start, targets.engagement * MINUTE_MS).toISOString(),
    resolutionDeadline: calendar.addBusinessTime(start, targets.resolution * MINUTE_MS).toISOString(),
  };
}
