/** What a viewer reads of a request: the status in their words, and the history entries and reasons meant for them (the policy of reading; tickets/policies decide who sees the request at all). */
import { AGENT_STATUS_LABELS, CUSTOMER_STATUS_LABELS, customerStatusOf, STATUSES, type Status } from '#shared/tickets.ts';
import type { Language } from '#shared/domain.ts';
import type { Role } from '#shared/domain.ts';

/** Customers read the status in their words; agents read the precise internal status. */
export const statusLabelFor = (viewer: { role: Role; language: Language }, status: Status) =>
  (viewer.role === 'customer' ? CUSTOMER_STATUS_LABELS : AGENT_STATUS_LABELS)[status][viewer.language];

/**
 * The status a viewer gets: customers their customer status (waiting for a third party is "in
 * progress" to them, in every answer: the request, lists, search, history, project pages), staff the internal one.
 */
export const statusFor = (viewer: { role: Role }, status: Status): Status => (viewer.role === 'customer' ? customerStatusOf(status) : status);

/**
 * Whether a customer reads the reason of a history entry: a criticality change's reason is written
 * for the customer (a lowered level's reason is mailed to them and shown on the page); any other
 * reason only when a customer wrote it (cancelling, confirming a resolution). Customer Services'
 * own reasons for a status ("waiting on vendor ticket") stay theirs.
 */
export const customerReadsReason = (field: string, actorRole: string | null) => field === 'criticality' || actorRole === 'customer';

type HistoryValues = { field: string; fromValue: string | null; toValue: string | null; reason: string | null };

/**
 * A history entry as a customer reads it, or null when there is nothing for them in it: statuses are
 * their customer statuses, so a change between two statuses they read the same (in progress ↔ waiting
 * for a third party) is left out; reasons only as customerReadsReason says. (Entries that are
 * Customer Services' alone — assignment, SLA — are left out by the query, on `customer_visible`.)
 */
export function historyAsCustomerReads(entry: HistoryValues, actorRole: string | null): Omit<HistoryValues, 'field'> | null {
  let { fromValue, toValue } = entry;
  if (entry.field === 'status' && isStatus(fromValue) && isStatus(toValue)) {
    fromValue = customerStatusOf(fromValue);
    toValue = customerStatusOf(toValue);
    if (fromValue === toValue) return null;
  }
  return { fromValue, toValue, reason: customerReadsReason(entry.field, actorRole) ? entry.reason : null };
}

const isStatus = (value: string | null): value is Status => value !== null && (STATUSES as readonly string[]).includes(value);
