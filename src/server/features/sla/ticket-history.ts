import type { DbOrTx } from '../../db/client.ts';
import { ticketEvent } from '../../db/schema.ts';

/**
 * SLA entries of a request's history, for agents only (never customer-visible): a re-target, named
 * by its cause (`sla_retarget_criticality`, `sla_retarget_request_type`; from/to
 * "kind:targetMinutes"; `sla_retarget` without a cause on rows written before the cause was kept),
 * a clock stopped because the request left SLA (`sla_stopped`, to = kind), and the sweep's notices
 * (`sla_warning`, `sla_breach`, `sla_level3`, to = kind).
 */
export type SlaHistoryField = 'sla_retarget_criticality' | 'sla_retarget_request_type' | 'sla_stopped' | 'sla_warning' | 'sla_breach' | 'sla_level3';

export async function recordSlaHistory(
  tx: DbOrTx,
  base: { ticketId: string; at: Date; actorId: string | null },
  entries: { field: SlaHistoryField; from?: string | null; to: string }[],
): Promise<void> {
  if (!entries.length) return;
  await tx
    .insert(ticketEvent)
    .values(entries.map((e) => ({ ...base, field: e.field, fromValue: e.from ?? null, toValue: e.to, reason: null, customerVisible: false })));
}
