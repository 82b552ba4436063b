/**
 * Flex (DESIGN.md §2): contracts, purchases, time logging, billing runs, the ledger and statements.
 * Every amount is whole minutes (integers); purchases are entered in whole hours.
 */
import { z } from 'zod';
import { viewerStatusSchema } from './tickets-api.ts';

const day = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
const minutes = z.int();

export const ZERO_BALANCE_POLICIES = ['refuse', 'warn'] as const;
export const zeroBalancePolicySchema = z.enum(ZERO_BALANCE_POLICIES);
export type ZeroBalancePolicy = z.infer<typeof zeroBalancePolicySchema>;

export const orgParamsSchema = z.object({ id: z.uuid() });

export const contractSettingsSchema = z
  .object({
    organizationId: z.uuid(),
    lowBalanceThresholdMinutes: minutes,
    zeroBalancePolicy: zeroBalancePolicySchema,
    maintenanceStartsOn: day.nullable(),
    maintenanceEndsOn: day.nullable(),
    maintenanceRequiredForSupport: z.boolean(),
    maintenanceActive: z.boolean(),
  })
  .meta({ id: 'ContractSettings' });
export type ContractSettings = z.infer<typeof contractSettingsSchema>;

export const LOW_BALANCE_THRESHOLD_MAX_MINUTES = 10_000_000;
export const PURCHASE_MAX_HOURS = 100_000;
export const PURCHASE_REFERENCE_MAX = 120;

export const updateContractSettingsSchema = z.strictObject({
  lowBalanceThresholdMinutes: z.int().min(0).max(LOW_BALANCE_THRESHOLD_MAX_MINUTES).optional(),
  zeroBalancePolicy: zeroBalancePolicySchema.optional(),
  maintenanceStartsOn: day.nullable().optional(),
  maintenanceEndsOn: day.nullable().optional(),
  maintenanceRequiredForSupport: z.boolean().optional(),
});

export const flexSummarySchema = z
  .object({
    organizationId: z.uuid(),
    organizationName: z.string(),
    contractActive: z.boolean(),
    purchasedMinutes: minutes,
    /** Sum of the ledger: charges minus reversals. */
    billedMinutes: minutes,
    /** purchased − billed: what the customer has left. */
    balanceMinutes: minutes,
    /** Billable time logged on Solva Flex requests and not billed yet. */
    unbilledMinutes: minutes,
    lowBalanceThresholdMinutes: minutes,
    belowThreshold: z.boolean(),
    zeroBalancePolicy: zeroBalancePolicySchema,
  })
  .meta({ id: 'FlexSummary' });
export type FlexSummary = z.infer<typeof flexSummarySchema>;

export const purchaseSchema = z.object({ id: z.uuid(), purchasedOn: day, minutes, reference: z.string(), createdAt: isoDateTime }).meta({ id: 'FlexPurchase' });
export type Purchase = z.infer<typeof purchaseSchema>;

export const createPurchaseSchema = z.strictObject({
  purchasedOn: day,
  /** Whole hours bought; stored as minutes. */
  hours: z.int().max(PURCHASE_MAX_HOURS),
  reference: z.string().trim().min(1).max(PURCHASE_REFERENCE_MAX),
});

export const LEDGER_KINDS = ['charge', 'reversal'] as const;
export const ledgerKindSchema = z.enum(LEDGER_KINDS);
export const ledgerEntrySchema = z
  .object({
    id: z.uuid(),
    kind: ledgerKindSchema,
    /** Positive for a charge, negative for a reversal. */
    minutes,
    postedAt: isoDateTime,
    request: z.object({ key: z.string(), summary: z.string().nullable() }),
    billingRunId: z.uuid().nullable(),
    /** Staff only: a reversal's reason as the administrator gave it; never sent to customers. */
    note: z.string().nullable().optional().meta({ description: 'Staff only (absent for customers): a reversal’s reason as the administrator gave it.' }),
    /** What customers read about the entry: a reversal's note written for them, or null. */
    customerNote: z
      .string()
      .nullable()
      .meta({ description: 'What customers read about the entry: a reversal’s note written for them (`customerNote` of the reversal), or null.' }),
    timeEntryIds: z.array(z.uuid()),
  })
  .meta({ id: 'FlexLedgerEntry' });
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const periodQuerySchema = z.object({ from: day.optional(), to: day.optional() });

export const statementSchema = z
  .object({
    summary: flexSummarySchema,
    from: day.nullable(),
    to: day.nullable(),
    purchases: z.array(purchaseSchema),
    ledger: z.array(ledgerEntrySchema),
    /** Billed minutes per month (YYYY-MM of the posting), oldest first. */
    byMonth: z.array(z.object({ month: z.string(), minutes })),
    byRequest: z.array(z.object({ key: z.string(), summary: z.string().nullable(), minutes })),
  })
  .meta({ id: 'FlexStatement' });
export type Statement = z.infer<typeof statementSchema>;

export const timeEntrySchema = z
  .object({
    id: z.uuid(),
    workedOn: day,
    minutes,
    description: z.string(),
    billable: z.boolean(),
    agent: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(['unbilled', 'billed', 'reversed']),
    /** The caller may still correct or delete it (own entry, not billed). */
    editable: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'TimeEntry' });
export type TimeEntry = z.infer<typeof timeEntrySchema>;

export const timeEntriesSchema = z.object({
  entries: z.array(timeEntrySchema),
  totalMinutes: minutes,
  billableMinutes: minutes,
  /** Time on this request is drawn from the Flex balance (a Solva Flex request). */
  flexBilled: z.boolean(),
});

/** The longest time entry: one day. Longer work is logged as several entries, never cut to this. */
export const TIME_ENTRY_MAX_MINUTES = 1440;
export const TIME_ENTRY_DESCRIPTION_MAX = 2000;
export const REVERSAL_REASON_MAX = 500;

export const createTimeEntrySchema = z.strictObject({
  minutes: z.int().max(TIME_ENTRY_MAX_MINUTES, { error: 'at most 24 hours (1,440 minutes) per entry' }),
  workedOn: day,
  description: z.string().trim().min(1).max(TIME_ENTRY_DESCRIPTION_MAX),
  billable: z.boolean(),
});
export const updateTimeEntrySchema = createTimeEntrySchema.partial();
export const reverseTimeEntrySchema = z.strictObject({
  /** For Customer Services: why the time is reversed. Never shown to the customer. */
  reason: z.string().trim().min(1).max(REVERSAL_REASON_MAX),
  /** Optional: what the customer reads on their statement and its CSV; without it they read no reason. */
  customerNote: z.string().trim().min(1).max(REVERSAL_REASON_MAX).optional(),
});

export const billingRunInputSchema = z.strictObject({
  periodStart: day,
  periodEnd: day,
  organizationId: z.uuid().optional(),
});
/** What started a billing run: the monthly schedule or an administrator. */
export const BILLING_TRIGGERS = ['schedule', 'admin'] as const;
export type BillingTrigger = (typeof BILLING_TRIGGERS)[number];

export const billingRunSchema = z
  .object({
    id: z.uuid(),
    periodStart: day,
    periodEnd: day,
    organizationId: z.uuid().nullable(),
    trigger: z.enum(BILLING_TRIGGERS),
    ranAt: isoDateTime,
    entries: z.int(),
    minutes,
  })
  .meta({ id: 'BillingRun' });
export type BillingRun = z.infer<typeof billingRunSchema>;

export const exportQuerySchema = z.object({ from: day, to: day, organizationId: z.uuid().optional() });

export const projectDetailSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    organizationName: z.string(),
    name: z.string(),
    code: z.string().nullable(),
    status: z.enum(['active', 'closed']),
    totalMinutes: minutes,
    requests: z.array(z.object({ key: z.string(), summary: z.string(), status: viewerStatusSchema, createdAt: isoDateTime, loggedMinutes: minutes })),
  })
  .meta({ id: 'ProjectDetail' });
export type ProjectDetail = z.infer<typeof projectDetailSchema>;
