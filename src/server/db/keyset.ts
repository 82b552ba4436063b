import { desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../errors.ts';

/**
 * Keyset pagination, newest first: rows are ordered by (timestamp desc, id desc) and a cursor is the
 * base64url of `timestamp ISO|id` of the last row of a page.
 *
 * The timestamp goes through the cursor with PostgreSQL's microsecond precision (read with
 * `cursorAt`): a JavaScript Date keeps only milliseconds, and rows stamped by `now()` would be
 * skipped or repeated between pages.
 */
export type Keyset = { at: string; id: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEXT_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const encodeCursor = (key: Keyset): string => Buffer.from(`${key.at}|${key.id}`, 'utf8').toString('base64url');

const malformed = () => new AppError(400, 'validation.invalid', 'cursor: malformed cursor', 'cursor');

export function decodeCursor(cursor: string, idKind: 'uuid' | 'text' = 'text'): Keyset {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = decoded.indexOf('|');
  if (bar < 0) throw malformed();
  const at = decoded.slice(0, bar);
  const id = decoded.slice(bar + 1);
  if (!ISO.test(at)) throw malformed();
  // Reject dates that do not exist (2026-02-30) rather than let the database refuse them.
  const parsed = new Date(at);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== at.slice(0, 19)) throw malformed();
  if (!(idKind === 'uuid' ? UUID : TEXT_ID).test(id)) throw malformed();
  return { at, id };
}

/** The ordering column read as an ISO instant with microseconds, to put in the cursor. */
export const cursorAt = (at: PgColumn) =>
  sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The ordering of every list: newest first, id as the tie-breaker. */
export const keysetOrder = (at: PgColumn, id: PgColumn) => [desc(at), desc(id)];

/** The condition selecting the rows after the cursor, or undefined on the first page; a malformed cursor is a 400. */
export function afterCursor(cursor: string | undefined, at: PgColumn, id: PgColumn): SQL | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor, id.columnType === 'PgUUID' ? 'uuid' : 'text');
  return sql`(${at}, ${id}) < (${key.at}::timestamptz, ${key.id})`;
}

/** Turns `limit + 1` fetched rows into a page; each row carries its keyset as `cursorAt` and `id`. */
export function toPage<R extends { cursorAt: string; id: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(present),
    nextCursor: hasMore && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
  };
}
