import { writeFileSync } from 'node:fs';
import type { SuiteResult } from './harness.ts';

export interface RunInfo {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  loadAvg: number[];
  database: string;
}

const fmt = (n: number, digits = 2) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** `GetItem 2, TransactWriteItems 1`; fractions show when an op does not always do the same. */
export const breakdown = (requests: Record<string, number>) =>
  Object.entries(requests)
    .map(([op, n]) => `${op} ${fmt(n)}`)
    .join(', ') || 'none';

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function header(info: RunInfo): string {
  return [
    'Guanjia benchmarks',
    `date      ${info.date}`,
    `node      ${info.node}`,
    `cpus      ${info.cpus} x ${info.cpuModel} (load avg ${info.loadAvg.map((l) => l.toFixed(2)).join(' ')})`,
    `database  ${info.database}`,
    'figures, not pass/fail: a shared, noisy machine; compare ratios taken in one run',
  ].join('\n');
}

export function renderSuite(result: SuiteResult): string {
  const rows = [
    ['operation', 'ddb req/op', 'median ms', 'p99 ms', 'n', 'DynamoDB requests per op'],
    ...result.ops.map((op) => [
      op.name,
      fmt(op.requestsPerOp),
      op.latency.medianMs.toFixed(2),
      op.latency.p99Ms.toFixed(2),
      String(op.latency.n),
      breakdown(op.requests),
    ]),
  ];
  const opsTable = result.ops.length ? [table(rows, new Set([1, 2, 3, 4])), ''] : [];
  const tables = (result.tables ?? []).flatMap((t) => [
    `${t.title}:`,
    table([t.columns, ...t.rows], new Set(t.rightAligned)),
    ...(t.notes ?? []).map((note) => `  ${note}`),
    '',
  ]);
  const comparisons = result.comparisons.flatMap((c) => [
    `${c.name}:`,
    `  ${c.subjectLabel.padEnd(28)} ${c.subject.opsPerSec.toFixed(0).padStart(6)} ops/s  (${c.subject.ops} ops)`,
    `  ${c.baselineLabel.padEnd(28)} ${c.baseline.opsPerSec.toFixed(0).padStart(6)} ops/s  (${c.baseline.ops} ops)`,
    `  ratio (API/bare)             ${c.ratio.toFixed(2).padStart(6)}`,
  ]);
  return [`== ${result.suite} ==`, result.setup, '', ...opsTable, ...tables, ...comparisons].join('\n').trimEnd();
}

/** Only when BENCH_JSON names a file: the same figures, for a machine to compare runs. */
export function writeJson(info: RunInfo, results: SuiteResult[]): string | null {
  const path = process.env.BENCH_JSON;
  if (!path) return null;
  writeFileSync(path, `${JSON.stringify({ ...info, suites: results }, null, 2)}\n`);
  return path;
}
