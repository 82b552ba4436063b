/**
 * The feature folders depend on each other in one direction: no import cycle between two of them
 * (src/server/features/<name>/, tests and command-line entry points left out; type-only imports
 * count, as they couple the folders all the same). A feature that must react to another's change
 * subscribes to its event (src/server/subscribers.ts) instead of importing it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const features = path.resolve(import.meta.dirname, '../src/server/features');

/** feature → the features its modules import, each with one example import. */
function featureGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const feature of readdirSync(features)) {
    const edges = new Map<string, string>();
    graph.set(feature, edges);
    const files = readdirSync(path.join(features, feature), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support') && !f.endsWith('-cli.ts'),
    );
    for (const file of files) {
      const full = path.join(features, feature, file);
      for (const match of readFileSync(full, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gm)) {
        const target = path.relative(features, path.resolve(path.dirname(full), match[1]!));
        const to = target.split(path.sep)[0]!;
        if (target.startsWith('..') || to === feature || edges.has(to)) continue;
        edges.set(to, `${feature}/${file} → ${match[1]}`);
      }
    }
  }
  return graph;
}

/** The groups of features that reach each other (Tarjan's strongly connected components), of two or more. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) === order.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe('imports between feature folders', () => {
  const graph = featureGraph();

  it('reads the imports (a scan that reads nothing proves nothing)', () => {
    expect(graph.get('tickets')?.has('attachments')).toBe(true);
    expect(graph.size).toBeGreaterThan(10);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([...graph].map(([k, v]) => [k, new Map(v)]));
    looped.get('attachments')!.set('tickets', 'a made-up import');
    expect(cycles(looped).some((group) => group.includes('attachments') && group.includes('tickets'))).toBe(true);
  });

  it('has no import cycle between two features', () => {
    const described = cycles(graph).map((group) => {
      const examples = group.flatMap((from) => group.filter((to) => graph.get(from)!.has(to)).map((to) => graph.get(from)!.get(to)!));
      return { cycle: group.join(' ↔ '), examples };
    });
    expect(
      described.map((c) => c.cycle),
      JSON.stringify(described, null, 2),
    ).toEqual([]);
  });
});
