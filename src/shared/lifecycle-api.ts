/**
 * Automatic closure (DESIGN.md §2 "Automatic closure"), follow-up requests and the satisfaction
 * survey: request and response shapes shared by the server and the web app.
 */
import { z } from 'zod';
import { bodySchema, summarySchema } from './tickets-api.ts';
import { criticalitySchema } from './enums.ts';

const isoDate = z.iso.datetime({ offset: true });
const days = (max: number) => z.number().int().min(1).max(max);

/** The longest survey comment; the form checks the same limit. */
export const SURVEY_COMMENT_MAX = 4000;

/** The longest delays of automatic closure: business days of waiting, calendar days before closing. */
export const LIFECYCLE_WAIT_DAYS_MAX = 250;
export const LIFECYCLE_CLOSE_DAYS_MAX = 365;

export const lifecycleRulesInputSchema = z
  .strictObject({
    /** Business days of waiting for the customer. */
    firstReminderDays: days(LIFECYCLE_WAIT_DAYS_MAX),
    secondReminderDays: days(LIFECYCLE_WAIT_DAYS_MAX),
    resolveDays: days(LIFECYCLE_WAIT_DAYS_MAX),
    /** Calendar days after resolution. */
    closeDays: days(LIFECYCLE_CLOSE_DAYS_MAX),
  })
  .meta({ id: 'LifecycleRulesInput' });
export type LifecycleRulesInput = z.infer<typeof lifecycleRulesInputSchema>;

export const deskLifecycleRulesSchema = z
  .object({
    deskId: z.uuid(),
    deskName: z.string(),
    isDefault: z.boolean(),
    firstReminderDays: z.number().int(),
    secondReminderDays: z.number().int(),
    resolveDays: z.number().int(),
    closeDays: z.number().int(),
  })
  .meta({ id: 'DeskLifecycleRules' });
export type DeskLifecycleRules = z.infer<typeof deskLifecycleRulesSchema>;

export const deskParamsSchema = z.object({ deskId: z.uuid() });

export const LIFECYCLE_ACTIONS = ['reminder_1', 'reminder_2', 'resolve', 'close'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export const requestLifecycleSchema = z
  .object({
    /** The next automatic step and when it will happen; null when none is pending. */
    next: z.object({ action: z.enum(LIFECYCLE_ACTIONS), at: isoDate }).nullable(),
    /** When the request was resolved automatically (no reply while waiting), if it was. */
    autoResolvedAt: isoDate.nullable(),
    closedAt: isoDate.nullable(),
    followUpOf: z.object({ key: z.string() }).nullable(),
    canOpenFollowUp: z.boolean(),
    survey: z
      .object({
        /** The caller is the reporter and may still answer. */
        canAnswer: z.boolean(),
        answered: z.boolean(),
        rating: z.number().int().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'RequestLifecycle' });
export type RequestLifecycle = z.infer<typeof requestLifecycleSchema>;

export const openFollowUpSchema = z.strictObject({
  summary: summarySchema,
  description: bodySchema,
  criticality: criticalitySchema,
});
export type OpenFollowUpInput = z.infer<typeof openFollowUpSchema>;

export const surveyAnswerSchema = z
  .strictObject({
    rating: z.number().int().min(1).max(5),
    comment: z.string().trim().max(SURVEY_COMMENT_MAX).default(''),
  })
  .meta({ id: 'SurveyAnswer' });
export type SurveyAnswerInput = z.input<typeof surveyAnswerSchema>;

export const surveyTokenParamsSchema = z.object({ token: z.string().min(10).max(100) });

export const surveyByLinkSchema = z
  .object({ key: z.string(), summary: z.string(), answered: z.boolean(), rating: z.number().int().nullable() })
  .meta({ id: 'SurveyByLink' });

export const surveyResultsQuerySchema = z.object({
  from: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  to: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  deskId: z.uuid().optional(),
});

export const surveyResultRowSchema = z.object({
  deskId: z.uuid(),
  deskName: z.string(),
  /** YYYY-MM, in the business calendar's time zone. */
  month: z.string(),
  answers: z.number().int(),
  /** Sum of the ratings: the average is ratingSum / answers. */
  ratingSum: z.number().int(),
  /** Number of answers per rating, 1 to 5. */
  counts: z.array(z.number().int()).length(5),
});
export const surveyResultsSchema = z.object({ rows: z.array(surveyResultRowSchema) }).meta({ id: 'SurveyResults' });
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
