import type { SuiteResult } from './harness.ts';
import type { Stats } from './measure.ts';
import type { MemoryFigures } from './peers-run.ts';
import { breakdown } from './report.ts';

/** One handler's figures in the `peers` suite. */
export interface PeerFigures {
  name: string;
  bytes: number;
  sha256: string;
  /** Bytes in the bundle by package, largest first (the first few). */
  packages: Array<[string, number]>;
  importMs: number;
  answerMs: number;
  warm: Stats;
  cpuMicros: number;
  /** DynamoDB requests per invocation, by operation. */
  requests: Record<string, number>;
  memory: MemoryFigures;
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

/** The per-handler tables, Guanjia's ratios to each peer, and the rows of issue 14's table. */
export function peersReport(figures: PeerFigures[], info: { setup: string; counted: number }): SuiteResult {
  const [floor, express, guanjia] = figures as [PeerFigures, PeerFigures, PeerFigures];
  const byFigure: Array<[string, (f: PeerFigures) => number, (n: number) => string]> = [
    ['bundle bytes', (f) => f.bytes, (n) => `${n} (${kib(n)})`],
    ['cold import ms (median)', (f) => f.importMs, (n) => n.toFixed(1)],
    ['cold import + first answer ms (median)', (f) => f.answerMs, (n) => n.toFixed(1)],
    ['warm median ms', (f) => f.warm.medianMs, (n) => n.toFixed(3)],
    ['warm p99 ms', (f) => f.warm.p99Ms, (n) => n.toFixed(3)],
    ['warm CPU µs per invocation', (f) => f.cpuMicros, (n) => n.toFixed(0)],
    ['RSS after 10k MiB', (f) => f.memory.after.rss, mib],
    ['heap after GC, after 10k MiB', (f) => f.memory.after.heapUsed, mib],
  ];
  const targets: Array<[string, number, number, string]> = [
    ['get customer, warm (median) ÷ floor', guanjia.warm.medianMs, floor.warm.medianMs, '≤ 1.15'],
    ['get customer, warm (median) ÷ Express', guanjia.warm.medianMs, express.warm.medianMs, '≤ 0.85'],
    ['cold import + first answer ÷ floor', guanjia.answerMs, floor.answerMs, '≤ 1.2'],
    ['API bundle ÷ floor bundle', guanjia.bytes, floor.bytes, '≤ 1.2'],
  ];
  return {
    suite: 'peers',
    setup: info.setup,
    ops: [],
    comparisons: [],
    tables: [
      {
        title: 'Each handler (floor: no framework; express: Express 5 + serverless-http; guanjia: functions/api.ts as deployed)',
        columns: ['figure', ...figures.map((f) => f.name), 'guanjia ÷ floor', 'guanjia ÷ express'],
        rows: byFigure.map(([name, of, show]) => [name, ...figures.map((f) => show(of(f))), ratio(of(guanjia), of(floor)), ratio(of(guanjia), of(express))]),
        rightAligned: [1, 2, 3, 4, 5],
        notes: [
          `DynamoDB requests per invocation (${info.counted} warm invocations, the first one's leaver check included): ${figures.map((f) => `${f.name} ${breakdown(f.requests)}`).join('; ')}`,
          `API bundle sha256 ${guanjia.sha256} (the same as cdk synth's asset when the build options match)`,
        ],
      },
      {
        title: 'Memory, after a full GC (MiB): before and after 10,000 warm invocations',
        columns: ['handler', 'RSS before', 'RSS after', 'RSS growth', 'heap before', 'heap after', 'heap growth'],
        rows: figures.map((f) => [
          f.name,
          mib(f.memory.before.rss),
          mib(f.memory.after.rss),
          mib(f.memory.after.rss - f.memory.before.rss),
          mib(f.memory.before.heapUsed),
          mib(f.memory.after.heapUsed),
          mib(f.memory.after.heapUsed - f.memory.before.heapUsed),
        ]),
        rightAligned: [1, 2, 3, 4, 5, 6],
      },
      {
        title: "Issue 14's rows",
        columns: ['figure', 'now', 'target'],
        rows: targets.map(([name, a, b, target]) => [name, ratio(a, b), target]),
        rightAligned: [1],
      },
      {
        title: 'Largest packages in each bundle (KiB in the output)',
        columns: ['handler', 'packages'],
        rows: figures.map((f) => [f.name, f.packages.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`).join(', ')]),
        rightAligned: [],
      },
    ],
    figures: { peers: figures },
  };
}
