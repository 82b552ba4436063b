/** The SLA report of the administration (DESIGN.md §2 "SLA"): judged clocks per month, criticality and desk. */
import { z } from 'zod';
import { CRITICALITIES } from './tickets.ts';

export const REPORT_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The longest range one report covers, in months. */
export const REPORT_MAX_MONTHS = 36;

export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

const month = (field: string) => z.string({ error: `${field} must be a month YYYY-MM` }).regex(REPORT_MONTH, `${field} must be a month YYYY-MM`);

export const slaReportQuerySchema = z
  .object({
    /** First month, inclusive (months in the calendar's time zone). */
    from: month('from'),
    /** Last month, inclusive. */
    to: month('to'),
    deskId: z.uuid().optional(),
  })
  .superRefine((q, ctx) => {
    if (!REPORT_MONTH.test(q.from) || !REPORT_MONTH.test(q.to)) return;
    if (monthIndex(q.to) < monthIndex(q.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` });
    else if (monthIndex(q.to) - monthIndex(q.from) >= REPORT_MAX_MONTHS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may cover at most ${REPORT_MAX_MONTHS} months` });
  });
export type SlaReportQuery = z.infer<typeof slaReportQuerySchema>;

export const slaReportRowSchema = z.object({
  month: z.string(),
  deskId: z.uuid(),
  deskName: z.string(),
  criticality: z.enum(CRITICALITIES),
  engagementMet: z.number().int(),
  engagementBreached: z.number().int(),
  resolutionMet: z.number().int(),
  resolutionBreached: z.number().int(),
  /** Business minutes, rounded; null when no clock of that kind was judged. */
  averageEngagementMinutes: z.number().int().nullable(),
  averageResolutionMinutes: z.number().int().nullable(),
});
export type SlaReportRow = z.infer<typeof slaReportRowSchema>;

export const slaReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    deskId: z.uuid().nullable(),
    timeZone: z.string(),
    /** One row per month, desk and criticality with at least one judged clock; months in order. */
    rows: z.array(slaReportRowSchema),
  })
  .meta({ id: 'SlaReport' });
export type SlaReport = z.infer<typeof slaReportSchema>;
