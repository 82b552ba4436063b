/**
 * Proof that the hot paths use their indexes: the SQL one HTTP call sends is captured where the app
 * hands it to the driver (the pg pool, or PGlite), then each SELECT is run again under EXPLAIN
 * (ANALYZE) and every sequential scan of a table of more than a few thousand rows is reported.
 */

type Captured = { text: string; params: unknown[] };
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows'?: number; Plans?: PlanNode[] };

export type PlanReport = { statements: number; executionMs: number; indexes: string[]; seqScans: string[] };

/** What the app queries through: a pg.Pool or a PGlite instance. */
export type QueryTarget = { query(text: unknown, params?: unknown[], options?: unknown): Promise<unknown> };

export function captureQueries(target: QueryTarget) {
  let captured: Captured[] | null = null;
  const original = target.query.bind(target) as (text: unknown, params?: unknown[], options?: unknown) => Promise<unknown>;
  target.query = (config: unknown, params?: unknown[], options?: unknown) => {
    if (captured) captured.push({ text: typeof config === 'string' ? config : (config as { text: string }).text, params: params ?? [] });
    return original(config, params, options);
  };
  return {
    async during(run: () => Promise<unknown>): Promise<Captured[]> {
      captured = [];
      try {
        await run();
        return captured;
      } finally {
        captured = null;
      }
    },
    async explain(statements: Captured[], bigTables: Map<string, number>): Promise<PlanReport> {
      const report: PlanReport = { statements: statements.length, executionMs: 0, indexes: [], seqScans: [] };
      for (const s of statements) {
        if (!/^\s*(select|with)\b/i.test(s.text)) continue;
        const result = (await original(`explain (analyze, format json) ${s.text}`, s.params)) as {
          rows: { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }[];
        };
        const [plan] = result.rows[0]!['QUERY PLAN'];
        report.executionMs += plan['Execution Time'];
        const walk = (node: PlanNode) => {
          if (node['Index Name'] && !report.indexes.includes(node['Index Name'])) report.indexes.push(node['Index Name']);
          if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] && bigTables.has(node['Relation Name'])) {
            report.seqScans.push(`${node['Relation Name']} (${bigTables.get(node['Relation Name'])} rows): ${s.text.slice(0, 160)}`);
          }
          node.Plans?.forEach(walk);
        };
        walk(plan.Plan);
      }
      report.executionMs = Math.round(report.executionMs * 10) / 10;
      return report;
    },
  };
}

/** Tables big enough that a sequential scan of them would show at scale. */
export async function bigTables(target: QueryTarget, minRows = 5000): Promise<Map<string, number>> {
  const { rows } = (await target.query(
    `select relname, reltuples::bigint::text as n from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples >= $1`,
    [minRows],
  )) as { rows: { relname: string; n: string }[] };
  return new Map(rows.map((r) => [r.relname, Number(r.n)]));
}
