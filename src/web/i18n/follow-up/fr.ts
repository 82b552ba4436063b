import type { FollowUpMessages } from '../en.ts';
import { lifecycleFr } from '../lifecycle/fr.ts';
import { slaFr } from '../sla/fr.ts';

/**
 * The texts of a request's follow-up (its SLA clocks, automatic closure, the satisfaction survey,
 * the escalation matrix): downloaded with the pages that show them, not with the log-in page or home.
 */
export const followUpFr: FollowUpMessages = {
  sla: slaFr,
  lifecycle: lifecycleFr,
};
