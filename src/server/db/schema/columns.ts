/**
 * Column helpers shared by the tables of every feature.
 */
import { sql } from 'drizzle-orm';
import { check, customType, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => ts('created_at').notNull().defaultNow();

/**
 * A CHECK that a text column holds one of a shared list of values (the column is declared with the
 * same list, so its type follows). Preferred to a PostgreSQL enum: adding a value is a new migration
 * that replaces the constraint, with no ALTER TYPE. Null passes, as for any CHECK.
 */
export const oneOf = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`);

/** A PostgreSQL text-search vector; read back as its text form (lists never select it). */
export const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

/** Text in each interface language. */
export type Localized = { fr: string; de: string; en: string };
