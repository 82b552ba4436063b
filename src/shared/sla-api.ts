/** SLA and escalation-matrix shapes of the API (DESIGN.md §2 "SLA", "Business calendar", "Escalation matrix"). */
import { z } from 'zod';
import { criticalitySchema } from './enums.ts';

const isoDate = z.iso.datetime({ offset: true });
/** Limits of the escalation matrix's texts; the admin form checks the same ones. */
export const ESCALATION_TEXT_MAX = 500;
export const CONTACT_NAME_MAX = 200;
export const CONTACT_EMAIL_MAX = 320;
export const CONTACT_PHONE_MAX = 50;

const localized = z.strictObject({
  fr: z.string().trim().max(ESCALATION_TEXT_MAX),
  de: z.string().trim().max(ESCALATION_TEXT_MAX),
  en: z.string().trim().max(ESCALATION_TEXT_MAX),
});

/* ---- Policies ---- */

/** The longest SLA target, in business minutes. */
export const SLA_TARGET_MAX_MINUTES = 1_000_000;

const minutes = (field: string) =>
  z
    .number({ error: `${field} must be a number of business minutes` })
    .int(`${field} must be a whole number of business minutes`)
    .positive(`${field} must be more than zero business minutes`)
    .max(SLA_TARGET_MAX_MINUTES);
const targetPairSchema = z.strictObject({ engagement: minutes('engagement'), resolution: minutes('resolution') });
export const slaTargetsSchema = z
  .strictObject({ critical: targetPairSchema, high: targetPairSchema, medium: targetPairSchema, low: targetPairSchema })
  .meta({ id: 'SlaTargets' });
export type SlaTargetsInput = z.infer<typeof slaTargetsSchema>;

export const slaPolicySchema = z
  .object({
    requestTypeId: z.uuid(),
    requestTypeName: z.string(),
    deskId: z.uuid(),
    underSla: z.boolean(),
    /** The version new requests get; earlier versions stay with the requests created under them. */
    version: z.number().int(),
    targets: slaTargetsSchema,
    createdAt: isoDate,
    history: z.array(z.object({ version: z.number().int(), targets: slaTargetsSchema, createdAt: isoDate })),
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export const slaPolicyParamsSchema = z.object({ requestTypeId: z.uuid() });
export const updateSlaPolicySchema = z.strictObject({ targets: slaTargetsSchema });

/* ---- Calendar ---- */

export const closureDayParamsSchema = z.object({ day: z.string() });

export const slaPreviewRequestSchema = z.strictObject({
  start: isoDate,
  requestTypeId: z.uuid(),
  criticality: criticalitySchema,
});
export const slaPreviewSchema = z
  .object({
    start: isoDate,
    /** When counting starts: the start itself if open, otherwise the next opening. */
    countingFrom: isoDate,
    policyVersion: z.number().int(),
    engagementMinutes: z.number().int(),
    resolutionMinutes: z.number().int(),
    engagementDeadline: isoDate,
    resolutionDeadline: isoDate,
  })
  .meta({ id: 'SlaPreview' });

/* ---- On a request ---- */

export const CLOCK_KINDS = ['engagement', 'resolution'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];
/** How a stopped clock ended; null while it runs. */
export const CLOCK_OUTCOMES = ['met', 'breached', 'canceled'] as const;
export type ClockOutcome = (typeof CLOCK_OUTCOMES)[number];
/** The entries of a clock's append-only history. */
export const CLOCK_EVENT_KINDS = ['start', 'new_cycle', 'pause', 'resume', 'stop', 'retarget'] as const;
export type ClockEventKind = (typeof CLOCK_EVENT_KINDS)[number];

export const SLA_CLOCK_STATES = ['running', 'at_risk', 'paused', 'met', 'breached', 'canceled'] as const;
export const slaClockViewSchema = z
  .object({
    kind: z.enum(CLOCK_KINDS),
    cycle: z.number().int(),
    criticality: criticalitySchema,
    policyVersion: z.number().int(),
    targetMinutes: z.number().int(),
    elapsedMinutes: z.number().int(),
    pausedMinutes: z.number().int(),
    /** Negative once breached. */
    remainingMinutes: z.number().int(),
    startedAt: isoDate,
    stoppedAt: isoDate.nullable(),
    /** Null while paused or stopped. */
    deadline: isoDate.nullable(),
    /** at_risk: running at 75 % of the target or more, not yet breached. */
    state: z.enum(SLA_CLOCK_STATES),
    /** Met or breached, once stopped (canceled requests are not judged). */
    outcome: z.enum(CLOCK_OUTCOMES).nullable(),
  })
  .meta({ id: 'SlaClock' });
export type SlaClockView = z.infer<typeof slaClockViewSchema>;

export const ticketSlaSchema = z
  .object({
    /** Agents: the engagement clock and every resolution cycle, the current one last. */
    clocks: z.array(slaClockViewSchema).optional(),
    engagement: slaClockViewSchema.nullable().optional(),
    resolution: slaClockViewSchema.nullable().optional(),
    /** Customers (and agents, to see what the customer sees): the commitments in their words. */
    customer: z.object({
      /** When they can expect an answer; null once answered. */
      answerExpectedBy: isoDate.nullable(),
      answeredAt: isoDate.nullable(),
      /** The targeted resolution; null while paused or once resolved. */
      resolutionTargetedBy: isoDate.nullable(),
      /** The resolution clock waits for the customer's reply. */
      pausedWaitingForYou: z.boolean(),
    }),
  })
  .meta({ id: 'TicketSla' });
export type TicketSla = z.infer<typeof ticketSlaSchema>;

/* ---- Escalation matrix ---- */

export const ESCALATION_LEVELS = [1, 2, 3] as const;
export const escalationContactSchema = z.strictObject({
  name: z.string().trim().min(1).max(CONTACT_NAME_MAX),
  role: z.string().trim().min(1).max(CONTACT_NAME_MAX),
  email: z.email().max(CONTACT_EMAIL_MAX),
  phone: z
    .string()
    .trim()
    .min(3)
    .max(CONTACT_PHONE_MAX)
    .regex(/^[+\d\s().-]+$/, 'must be a phone number'),
  language: z.enum(['fr', 'de', 'en']).default('fr'),
});
export const escalationLevelSchema = z.strictObject({
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  whenToCall: localized,
  contacts: z.array(escalationContactSchema).max(20),
});
export const escalationMatrixInputSchema = z.strictObject({ levels: z.array(escalationLevelSchema).length(3) }).superRefine((value, ctx) => {
  value.levels.forEach((level, index) => {
    if (level.level !== index + 1)
      ctx.addIssue({ code: 'custom', path: ['levels', index, 'level'], message: `must be ${index + 1}: levels are listed 1, 2, 3` });
  });
});
export type EscalationMatrixInput = z.input<typeof escalationMatrixInputSchema>;

export const escalationMatrixSchema = z
  .object({
    deskId: z.uuid(),
    deskNames: z.object({ fr: z.string(), de: z.string(), en: z.string() }),
    levels: z.array(
      z.object({
        level: z.number().int(),
        whenToCall: z.object({ fr: z.string(), de: z.string(), en: z.string() }),
        contacts: z.array(z.object({ name: z.string(), role: z.string(), email: z.string(), phone: z.string(), language: z.string() })),
      }),
    ),
  })
  .meta({ id: 'EscalationMatrix' });
export type EscalationMatrix = z.infer<typeof escalationMatrixSchema>;
export const deskIdParamsSchema = z.object({ deskId: z.uuid() });
