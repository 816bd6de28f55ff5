import { performance } from 'node:perf_hooks';
import { createIds, runCallbacksJob, type CallbacksReport, type Context } from '@guanjia/core';
import { DynamoStore, createDocumentClient } from '@guanjia/dynamo';
import { byOperation, type ItemsRead } from '../support/dynamo-proxy.ts';
import { createBenchTable, type BenchContext, type BenchTable, type Suite } from './harness.ts';
import { breakdown } from './report.ts';
import {
  AGENTS_PER_SITE,
  benchClock,
  DAY_1,
  DAY_2,
  DAY_3,
  EXTRA_DUE,
  fmt,
  HISTORY_DAYS,
  OWNERS,
  REGION,
  round,
  SITES,
  seed,
  shiftDay,
  WORKED_AFTER_DAYS,
  WRITERS,
} from './callbacks-seed.ts';
import { SEND_GUARD_MS } from '@guanjia/sms';
import { benchDispatcher, CAP_PER_SECOND, COUNTED_MESSAGES, DISPATCH_WORKERS, type DispatchRun } from './callbacks-dispatch.ts';

interface JobRun {
  label: string;
  day: string;
  counted: boolean;
  report: CallbacksReport;
  ms: number;
  requests: Record<string, number> | null;
  reads: Record<string, ItemsRead> | null;
}

async function timeJob(bench: BenchContext, tableName: string, label: string, day: string, counted: boolean): Promise<JobRun> {
  const doc = createDocumentClient({ endpoint: counted ? bench.proxy.endpoint : bench.dynamoEndpoint, region: REGION });
  const ctx: Context = { store: new DynamoStore(doc, tableName), clock: benchClock(day, '09:30'), ids: createIds() };
  try {
    bench.proxy.reset();
    const started = performance.now();
    const report = await runCallbacksJob(ctx, day);
    const ms = performance.now() - started;
    return {
      label,
      day,
      counted,
      report,
      ms,
      requests: counted ? byOperation(bench.proxy.counts()) : null,
      reads: counted ? byOperation(bench.proxy.itemsRead()) : null,
    };
  } finally {
    doc.destroy();
  }
}

function check(run: JobRun, expected: number): void {
  const { report } = run;
  // A run that announced the wrong callbacks would time the wrong work.
  if (report.due !== expected || report.announced !== expected || report.sitesWithoutAgents.length) {
    throw new Error(`callbacks ${run.label}: expected ${expected} due and announced, got ${JSON.stringify(report)}`);
  }
}

const total = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

function jobRow(run: JobRun): string[] {
  const due = run.report.due;
  const per = (n: number) => (due ? fmt(n / due) : '-');
  const requests = run.requests ? total(run.requests) : null;
  const read = run.reads ? Object.values(run.reads).reduce((a, r) => a + r.scanned, 0) : null;
  return [
    run.label,
    run.day,
    String(due),
    String(run.report.announced),
    requests === null ? '-' : String(requests),
    requests === null ? '-' : per(requests),
    read === null ? '-' : String(read),
    read === null ? '-' : per(read),
    run.ms.toFixed(0),
    due ? ((run.ms / due) * 1000).toFixed(0) : '-',
  ];
}

function perDue(run: JobRun): string {
  if (!run.requests || !run.reads || !run.report.due) return `${run.label}: -`;
  const due = run.report.due;
  const requests = Object.fromEntries(Object.entries(run.requests).map(([op, n]) => [op, n / due]));
  const reads = Object.entries(run.reads)
    .filter(([, r]) => r.scanned)
    .map(([op, r]) => `${op} ${fmt(r.scanned / due)}`)
    .join(', ');
  return `${run.label}: requests ${breakdown(requests)}; items read ${reads}`;
}

// ---- suite ---------------------------------------------------------------------------

export const callbacksSuite: Suite = {
  name: 'callbacks',
  async run(bench) {
    const tableName = await createBenchTable(bench.dynamoEndpoint, 'bench_callbacks');
    const doc = createDocumentClient({ endpoint: bench.dynamoEndpoint, region: REGION });
    try {
      const seedCtx: Context = { store: new DynamoStore(doc, tableName), clock: benchClock(shiftDay(DAY_1, -1), '12:00'), ids: createIds() };
      const seeded = await seed(seedCtx, doc, tableName);
      const due = (day: string) => seeded.dueOn.get(day) ?? 0;

      const runs: JobRun[] = [];
      const day1 = await timeJob(bench, tableName, 'day 1 (natural)', DAY_1, true);
      check(day1, due(DAY_1));
      const day2 = await timeJob(bench, tableName, `day 2 (+${EXTRA_DUE})`, DAY_2, true);
      check(day2, due(DAY_2));
      const day3 = await timeJob(bench, tableName, `day 3 (+${EXTRA_DUE}), not counted`, DAY_3, false);
      check(day3, due(DAY_3));
      const again = await timeJob(bench, tableName, 'day 3 again', DAY_3, true);
      check(again, 0);
      runs.push(day1, day2, day3, again);

      const dispatch = await benchDispatcher(bench, tableName, seeded);
      const [free, capped] = dispatch.runs as [DispatchRun, DispatchRun];

      const perThousand = (day3.ms / day3.report.due) * 1000;
      const tables: BenchTable[] = [
        {
          title: 'seeding (BatchWriteItem, direct to DynamoDB Local)',
          columns: ['owners', 'items', 'batches', 'writers', 'seconds', 'items/s'],
          rows: [
            [
              String(seeded.owners.length),
              String(seeded.items),
              String(seeded.batches),
              String(WRITERS),
              (seeded.ms / 1000).toFixed(1),
              ((seeded.items / seeded.ms) * 1000).toFixed(0),
            ],
          ],
          rightAligned: [0, 1, 2, 3, 4, 5],
        },
        {
          title: `callbacks job (runCallbacksJob), ${seeded.owners.length} owners in the table`,
          columns: ['run', 'day', 'due', 'announced', 'ddb req', 'req/due', 'items read', 'read/due', 'wall ms', 'ms per 1,000 due'],
          rows: runs.map(jobRow),
          rightAligned: [2, 3, 4, 5, 6, 7, 8, 9],
          notes: [
            'per due callback:',
            ...runs.filter((r) => r.requests && r.report.due).map((r) => `  ${perDue(r)}`),
            `fixed cost of a run with nothing due: ${again.requests ? `${total(again.requests)} requests (${breakdown(again.requests)}), ${Object.values(again.reads ?? {}).reduce((a, r) => a + r.scanned, 0)} items read` : '-'}`,
            'items read = Query ScannedCount + GetItem hits, summed by the proxy from the answers; counted runs go through the proxy (its hop is in their wall time)',
            `each site with some due also costs its staff, the site, its turn and the agents' figures of the day: the same for 50 due as for 1,000, so read/due is quoted at ${EXTRA_DUE}+ due`,
            `ms per 1,000 due = wall ms / due × 1000; day 3 runs direct, the figure to quote: ${perThousand.toFixed(0)} ms per 1,000 callbacks`,
          ],
        },
        {
          title: `dispatcher (dispatchMessage in ${DISPATCH_WORKERS} workers, or dispatchStreamBatch over one batch; zero-latency SMS transport, direct to DynamoDB Local)`,
          columns: [
            'run',
            'messages',
            'sent',
            'wall s',
            'msgs/s',
            'sends/s',
            'steady sends/s',
            'cap/s',
            'max in 1 s (sends)',
            'max in 1 s (grants)',
            'grant→send max ms',
            'late ms p50/p90',
          ],
          rows: dispatch.runs.map((r) => [
            r.label,
            String(r.messages),
            String(r.sent),
            (r.ms / 1000).toFixed(2),
            ((r.sent / r.ms) * 1000).toFixed(1),
            r.rate.toFixed(1),
            r.steadyRate === null ? '-' : r.steadyRate.toFixed(2),
            r.cap === null ? '-' : String(r.cap),
            String(r.maxInSecond),
            r.maxGrantsInSecond === null ? '-' : String(r.maxGrantsInSecond),
            r.maxLagMs === null ? '-' : r.maxLagMs.toFixed(2),
            r.lateMs === null ? '-' : `${r.lateMs[0].toFixed(1)}/${r.lateMs[1].toFixed(1)}`,
          ]),
          rightAligned: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
          notes: [
            `DynamoDB requests per message (${COUNTED_MESSAGES} counted, one at a time): ${fmt(total(dispatch.requests))} (${breakdown(dispatch.requests)})`,
            'msgs/s = sent / wall time of the whole dispatch (DynamoDB-bound without a cap)',
            `every capped run keeps the dispatchers' ${SEND_GUARD_MS} ms margin on the window (SEND_GUARD_MS, as cappedSender does): the steady rate can reach cap × 1000 / ${1000 + SEND_GUARD_MS}`,
            'sends/s = sends / (last send − first send); a sliding-window cap lets one full window through at once, so this reads above the cap for a short run',
            'steady sends/s = (sends − cap) / (last send − first send): the rate once that first window is spent',
            'max in 1 s = most sends (at the transport) / limiter grants in any window shorter than 1000 ms; the cap promises ≤ cap/s, and the run fails if the transport saw more',
            'grant→send = from the limiter letting a send go to the transport stamping it; the limiter counts the stamp, so this lag costs rate, never the cap',
            `late = how far past 1000 ms after the send ${CAP_PER_SECOND} before it each send went: 0 is the cap exactly; the median is timers waking late, the tail the limiter left idle`,
          ],
        },
      ];
      return {
        suite: 'callbacks',
        setup: [
          `${SITES} sites x ${AGENTS_PER_SITE} service agents; ${OWNERS} owners delivered uniformly over the ${HISTORY_DAYS} days before ${DAY_1} (default plan P3M + P1Y), plus ${EXTRA_DUE} owners`,
          `with a callback due on ${DAY_2} and ${EXTRA_DUE} on ${DAY_3}; items built by core (callbackTasks) and the store's item builders; callbacks due before ${DAY_1}`,
          `already announced (worked if older than ${WORKED_AFTER_DAYS} days). Each job run is once, sequential, as the scheduler runs it.`,
        ].join('\n'),
        ops: [],
        comparisons: [],
        tables,
        figures: {
          owners: seeded.owners.length,
          seed: { items: seeded.items, batches: seeded.batches, ms: round(seeded.ms) },
          jobRuns: runs.map((r) => ({
            label: r.label,
            day: r.day,
            due: r.report.due,
            announced: r.report.announced,
            ms: round(r.ms),
            msPer1000Due: r.report.due ? round((r.ms / r.report.due) * 1000) : null,
            requests: r.requests,
            itemsRead: r.reads,
          })),
          msPer1000Callbacks: round(perThousand),
          dispatch: {
            requestsPerMessage: dispatch.requests,
            runs: dispatch.runs.map((r) => ({ ...r, ms: round(r.ms), rate: round(r.rate), steadyRate: r.steadyRate === null ? null : round(r.steadyRate) })),
          },
          capHeldAtTransport: capped.maxInSecond <= CAP_PER_SECOND,
          capHeldByGrants: capped.maxGrantsInSecond === null ? null : capped.maxGrantsInSecond <= CAP_PER_SECOND,
          unlimitedMsgsPerSec: round((free.sent / free.ms) * 1000),
        },
      };
    } finally {
      doc.destroy();
    }
  },
};
