import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

export interface SampleOptions {
  warmup?: number;
  iterations?: number;
}

/** Nearest-rank percentile of sorted values: an observed latency, never an interpolated one. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? NaN;
}

export function summarize(latencies: number[]): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median = n % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return {
    n,
    medianMs: median,
    p99Ms: percentile(sorted, 0.99),
    meanMs: sorted.reduce((sum, v) => sum + v, 0) / n,
    maxMs: sorted[n - 1] ?? NaN,
  };
}

/** Runs `op` sequentially: the warm-up lets the JIT, sockets and DynamoDB Local settle first. */
export async function sample(op: (i: number) => Promise<unknown>, options: SampleOptions = {}): Promise<Stats> {
  const warmup = options.warmup ?? 20;
  const iterations = options.iterations ?? 200;
  for (let i = 0; i < warmup; i++) await op(i);
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await op(warmup + i);
    latencies.push(performance.now() - start);
  }
  return summarize(latencies);
}

export interface Throughput {
  ops: number;
  ms: number;
  opsPerSec: number;
}

export interface Comparison {
  subject: Throughput;
  baseline: Throughput;
  /** subject / baseline */
  ratio: number;
}

async function loopFor(op: (i: number) => Promise<unknown>, ms: number, from: number): Promise<{ ops: number; ms: number }> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) await op(from + ops++);
  return { ops, ms: performance.now() - start };
}

/**
 * Sequential throughput of two loops, taken in alternating rounds so that a burst of load
 * from a neighbour on the shared machine falls on both sides rather than on one.
 */
export async function compareThroughput(
  subject: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
  { rounds = 3, msPerRound = 1500, warmup = 50 } = {},
): Promise<Comparison> {
  for (let i = 0; i < warmup; i++) {
    await subject(i);
    await baseline(i);
  }
  const totals = { subject: { ops: 0, ms: 0 }, baseline: { ops: 0, ms: 0 } };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const)) {
      const got = await loopFor(side === 'subject' ? subject : baseline, msPerRound, totals[side].ops);
      totals[side].ops += got.ops;
      totals[side].ms += got.ms;
    }
  }
  const rate = (t: { ops: number; ms: number }): Throughput => ({ ...t, opsPerSec: (t.ops * 1000) / t.ms });
  const s = rate(totals.subject);
  const b = rate(totals.baseline);
  return { subject: s, baseline: b, ratio: s.opsPerSec / b.opsPerSec };
}
