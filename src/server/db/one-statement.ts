import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Several writes as one statement (data-modifying CTEs): one round trip instead of one per write
 * and, without a transaction, all or nothing. PostgreSQL runs every data-modifying CTE to
 * completion whether or not it is read, and checks foreign keys at the end of the statement, so
 * the writes may refer to each other's rows (their ids are chosen by the caller).
 */
export function asOneStatement(writes: SQLWrapper[]): SQL {
  if (writes.length === 0) throw new Error('asOneStatement needs at least one write');
  if (writes.length === 1) return writes[0]!.getSQL();
  // getSQL(): a query builder placed in sql`` directly would be wrapped in a second pair of parentheses.
  const parts = writes.map((write, i) => sql`${sql.raw(`w${i}`)} as (${write.getSQL()})`);
  return sql`with ${sql.join(parts, sql`, `)} select 1`;
}
