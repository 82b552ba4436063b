import { AGENT_STATUS_LABELS, CUSTOMER_STATUS_LABELS, type Status } from '#shared/tickets.ts';
import type { Language } from '#shared/domain.ts';
import type { Role } from '#shared/domain.ts';

/** Customers read the status in their words; agents read the precise internal status. */
export const statusLabelFor = (viewer: { role: Role; language: Language }, status: Status) =>
  (viewer.role === 'customer' ? CUSTOMER_STATUS_LABELS : AGENT_STATUS_LABELS)[status][viewer.language];
