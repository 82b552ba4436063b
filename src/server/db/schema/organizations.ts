/**
 * Organizations, their e-mail domains and their contracts: the Flex contract's validity windows and the contract settings (low balance, zero-balance policy, maintenance).
 */
import { boolean, date, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ZERO_BALANCE_POLICIES } from '#shared/flex-api.ts';
import { createdAt, oneOf, ts } from './columns.ts';

export const organization = pgTable('organization', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** When set, members see only the requests they reported or take part in. */
  ownRequestsOnly: boolean('own_requests_only').notNull().default(false),
  /** Largest total of its members' uploads, in MiB; null: the installation's default (ORG_STORAGE_QUOTA_MB). */
  storageQuotaMb: integer('storage_quota_mb'),
  /** Its members must use two-factor authentication. */
  twoFactorRequired: boolean('two_factor_required').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A domain belongs to at most one organization: the primary key says so. */
export const organizationDomain = pgTable(
  'organization_domain',
  {
    domain: text('domain').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('organization_domain_org_idx').on(t.organizationId)],
);

/** An organization's contract settings: Flex thresholds and policy, and its maintenance contract. */
export const organizationContract = pgTable(
  'organization_contract',
  {
    organizationId: uuid('organization_id')
      .primaryKey()
      .references(() => organization.id, { onDelete: 'cascade' }),
    lowBalanceThresholdMinutes: integer('low_balance_threshold_minutes').notNull().default(0),
    /** refuse: no new Solva Flex request at a zero or negative balance; warn: allowed, with a warning. */
    zeroBalancePolicy: text('zero_balance_policy', { enum: ZERO_BALANCE_POLICIES }).notNull().default('warn'),
    maintenanceStartsOn: date('maintenance_starts_on', { mode: 'string' }),
    maintenanceEndsOn: date('maintenance_ends_on', { mode: 'string' }),
    maintenanceRequiredForSupport: boolean('maintenance_required_for_support').notNull().default(false),
    /** Set when the low-balance warning went out; cleared when a purchase lifts the balance again, so it goes out once per fall. */
    lowBalanceWarnedAt: ts('low_balance_warned_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [oneOf('organization_contract_zero_balance_policy_check', t.zeroBalancePolicy, ZERO_BALANCE_POLICIES)],
);

/** The Flex contract of an organization is a series of validity windows; it is active while today is inside one. */
export const flexContractWindow = pgTable(
  'flex_contract_window',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('flex_contract_window_org_idx').on(t.organizationId, t.startsOn)],
);
