import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = join(ROOT, 'packages');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module each source file imports or re-exports from, type-only imports included: a cycle of types still ties two modules together. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(PACKAGES)) {
    const targets: string[] = [];
    for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const spec = match[1]!;
      const target = spec.startsWith('.')
        ? resolve(dirname(file), spec)
        : spec.startsWith('@guanjia/')
          ? join(PACKAGES, spec.slice('@guanjia/'.length), 'src/index.ts')
          : null;
      if (target && existsSync(target)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** One path that comes back to where it started, for each start that has one. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const seen = path.indexOf(file);
    if (seen >= 0) return void found.push([...path.slice(seen), file]);
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found.map((cycle) => cycle.map((file) => relative(ROOT, file)));
}

describe('the imports of packages/', () => {
  it('never come back to the module they started from', () => {
    expect(cycles(importGraph()).map((c) => c.join(' -> '))).toEqual([]);
  });
});
