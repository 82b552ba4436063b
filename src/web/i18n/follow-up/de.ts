import type { FollowUpMessages } from '../en.ts';
import { lifecycleDe } from '../lifecycle/de.ts';
import { slaDe } from '../sla/de.ts';

/**
 * The texts of a request's follow-up (its SLA clocks, automatic closure, the satisfaction survey,
 * the escalation matrix): downloaded with the pages that show them, not with the log-in page or home.
 */
export const followUpDe: FollowUpMessages = {
  sla: slaDe,
  lifecycle: lifecycleDe,
};
