import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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

/** An instant as the cursor carries it; dates that do not exist (2026-02-30) are refused here rather than by the database. */
const isInstant = (at: string) => {
  if (!ISO.test(at)) return false;
  const parsed = new Date(at);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === at.slice(0, 19);
};
const isId = (id: string, idKind: 'uuid' | 'text') => (idKind === 'uuid' ? UUID : TEXT_ID).test(id);

export function decodeCursor(cursor: string, idKind: 'uuid' | 'text' = 'text'): Keyset {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = decoded.indexOf('|');
  if (bar < 0) throw malformed();
  const at = decoded.slice(0, bar);
  const id = decoded.slice(bar + 1);
  if (!isInstant(at) || !isId(id, idKind)) throw malformed();
  return { at, id };
}

/** The ordering column read as an ISO instant with microseconds, to put in the cursor. */
export const cursorAt = (at: PgColumn) => sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Descending, NULLS LAST: the way drizzle-kit writes a `.desc()` index column. A plain DESC means
 * NULLS FIRST, which such an index cannot serve: PostgreSQL would read every matching row and sort
 * them instead of reading the first page from the index. Keyset columns are NOT NULL, so the clause
 * changes no result.
 */
export const descending = (column: SQLWrapper) => sql`${column} desc nulls last`;

/** The ordering of every list: newest first, id as the tie-breaker. */
export const keysetOrder = (at: PgColumn, id: PgColumn) => [descending(at), descending(id)];

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

/* ---- Sorts on several columns ---- */

/**
 * A sort on several columns, all descending, with the row id as the last tie-breaker — for lists
 * that offer more than one order. Its cursor is the base64url of `name|value…|id`: the sort's name
 * travels with it, so a cursor of another sort (or of nothing) is refused as malformed instead of
 * silently skipping rows. Each sort needs an index on exactly these columns, in this order.
 */
export type SortKey = { column: PgColumn; kind: 'timestamp' | 'integer' };
export type MultiSort = { name: string; keys: readonly SortKey[]; id: PgColumn };

const INTEGER = /^-?\d{1,9}$/;

/** The sort's values of a row, to select as `cursorValues`: `value|value…`, timestamps with microseconds. */
export const sortCursorValues = (sort: MultiSort) =>
  sql<string>`concat_ws('|', ${sql.join(
    sort.keys.map((k) => (k.kind === 'timestamp' ? cursorAt(k.column) : sql`${k.column}::text`)),
    sql`, `,
  )})`;

export const encodeSortCursor = (sort: MultiSort, values: string, id: string) => Buffer.from(`${sort.name}|${values}|${id}`, 'utf8').toString('base64url');

/** The values and id a cursor of this sort carries; anything else (another sort's cursor included) is a 400 naming `cursor`. */
export function decodeSortCursor(cursor: string, sort: MultiSort): { values: string[]; id: string } {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== sort.keys.length + 2 || parts[0] !== sort.name) throw malformed();
  const values = parts.slice(1, -1);
  const id = parts.at(-1)!;
  sort.keys.forEach((k, i) => {
    if (!(k.kind === 'timestamp' ? isInstant(values[i]!) : INTEGER.test(values[i]!))) throw malformed();
  });
  if (!isId(id, sort.id.columnType === 'PgUUID' ? 'uuid' : 'text')) throw malformed();
  return { values, id };
}

/** The rows after the cursor in this sort, as one row comparison an index on the sort's columns serves; undefined on the first page. */
export function afterSortCursor(cursor: string | undefined, sort: MultiSort): SQL | undefined {
  if (cursor === undefined) return undefined;
  const { values, id } = decodeSortCursor(cursor, sort);
  const columns = sort.keys.map((k) => sql`${k.column}`);
  const bounds = sort.keys.map((k, i) => (k.kind === 'timestamp' ? sql`${values[i]}::timestamptz` : sql`${Number(values[i])}::int`));
  return sql`(${sql.join([...columns, sql`${sort.id}`], sql`, `)}) < (${sql.join([...bounds, sql`${id}`], sql`, `)})`;
}

export const sortOrder = (sort: MultiSort) => [...sort.keys.map((k) => descending(k.column)), descending(sort.id)];

/** Turns `limit + 1` fetched rows, each with its `cursorValues` and `id`, into a page of this sort. */
export function toSortedPage<R extends { cursorValues: string; id: string }, T>(
  rows: R[],
  limit: number,
  sort: MultiSort,
  present: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(present), nextCursor: hasMore && last ? encodeSortCursor(sort, last.cursorValues, last.id) : null };
}
