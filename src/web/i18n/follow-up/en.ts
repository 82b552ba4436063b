import { lifecycleEn } from '../lifecycle/en.ts';
import { slaEn } from '../sla/en.ts';

/**
 * The texts of a request's follow-up (its SLA clocks, automatic closure, the satisfaction survey,
 * the escalation matrix): downloaded with the pages that show them, not with the log-in page or home.
 */
export const followUpEn = {
  sla: slaEn,
  lifecycle: lifecycleEn,
};
