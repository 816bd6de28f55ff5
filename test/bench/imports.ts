import { addDays, format } from 'date-fns';
import {
  checkImport,
  createIds,
  csvRows,
  drainImport,
  runCallbacksJob,
  siteDay,
  startImport,
  type Clock,
  type Context,
  type Principal,
  type SheetRow,
} from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import type { DynamoProxy } from '../support/dynamo-proxy.ts';
import { createBenchApi, createBenchTable, type BenchTable, type Suite } from './harness.ts';

const SITE = 'bench-imp';
const ROWS = 5_000;
const AGENTS = 4;
/** The days after the import the callbacks job is run for: long enough to see the list's calls spread. */
const DAYS_FOLLOWED = 30;
const ZONE = 'Asia/Shanghai';
const IMPORT_DAY = '2026-06-10';

const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };
const service: Principal = { sub: 'bench-svc-0', role: 'service', sites: [SITE] };

/** A handover list as a developer sends it: units handed over across the last 13 months, so some plan entries are past. */
export function handoverList(rows: number, importDay: string): SheetRow[] {
  const lines = [['姓名', '手机号', '房号', '交付日期']];
  const start = new Date(`${importDay}T00:00:00Z`);
  for (let i = 0; i < rows; i++) {
    const delivered = format(addDays(start, -((i * 7) % 395)), 'yyyy-MM-dd');
    lines.push([`业主${i}`, `139${String(10_000_000 + i).padStart(8, '0')}`, `${1 + (i % 40)}栋${100 + i}`, delivered]);
  }
  return csvRows(lines.map((l) => l.join(',')).join('\r\n'));
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const perRow = (n: number) => (n / ROWS).toFixed(2);

async function counted<T>(proxy: DynamoProxy, work: () => Promise<T>): Promise<{ value: T; requests: number; seconds: number }> {
  proxy.reset();
  const started = performance.now();
  const value = await work();
  return { value, requests: total(proxy.counts()), seconds: (performance.now() - started) / 1000 };
}

export const importsSuite: Suite = {
  name: 'imports',
  async run(ctx) {
    const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_imports');
    const direct = createBenchApi(ctx.dynamoEndpoint, tableName);
    const doc = createDocumentClient({ endpoint: ctx.proxy.endpoint, region: 'local' });
    let now = new Date(`${IMPORT_DAY}T02:00:00Z`);
    const clock: Clock = { now: () => new Date(now) };
    const core: Context = { store: new DynamoStore(doc, tableName), clock, ids: createIds() };
    try {
      await direct.call(admin, 'POST', '/v1/sites', { id: SITE, name: 'Bench imports', kind: 'real_estate', smsSignature: '管家' }, 201);
      for (let i = 0; i < AGENTS; i++) {
        await direct.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id: `bench-svc-${i}`, name: `客服${i}`, role: 'service' }, 201);
      }
      const sheet = handoverList(ROWS, IMPORT_DAY);
      const input = { siteId: SITE, kind: 'deliveries' as const, sheet };

      const check = await counted(ctx.proxy, () => checkImport(core, service, input));
      const run = await counted(ctx.proxy, async () => {
        const started = await startImport(core, service, input);
        return drainImport(core, started.id);
      });
      const again = await counted(ctx.proxy, async () => {
        const started = await startImport(core, service, input);
        return drainImport(core, started.id);
      });

      // The list's callbacks as the job gives them out, day by day: what reaches the outbox, and when.
      const queuedPerDay: number[] = [];
      for (let day = 0; day < DAYS_FOLLOWED; day++) {
        now = new Date(new Date(`${IMPORT_DAY}T01:30:00Z`).getTime() + day * 86_400_000);
        const report = await runCallbacksJob(core, siteDay(now, ZONE));
        queuedPerDay.push(report.announced);
      }
      const peakDay = Math.max(...queuedPerDay);
      const callbacksInMonth = queuedPerDay.reduce((a, b) => a + b, 0);

      const done = run.value!;
      const table: BenchTable = {
        title: `a ${ROWS}-row handover list (交付名单) into one site with ${AGENTS} service agents`,
        columns: ['step', 'seconds', 'rows/s', 'DynamoDB requests', 'requests/row'],
        rightAligned: [1, 2, 3, 4],
        rows: [
          ['check (the dry run)', check.seconds.toFixed(1), (ROWS / check.seconds).toFixed(0), String(check.requests), perRow(check.requests)],
          ['run (check, queue, work)', run.seconds.toFixed(1), (ROWS / run.seconds).toFixed(0), String(run.requests), perRow(run.requests)],
          ['the same list again', again.seconds.toFixed(1), (ROWS / again.seconds).toFixed(0), String(again.requests), perRow(again.requests)],
        ],
        notes: [
          `first run: created ${done.counts.created}, updated ${done.counts.updated}, skipped ${done.counts.skipped}, refused ${done.counts.invalid}; again: created ${again.value!.counts.created}, skipped ${again.value!.counts.skipped}`,
          `callbacks given out (and SMS queued) over the ${DAYS_FOLLOWED} days after the import: ${callbacksInMonth}; peak in one day ${peakDay}, all queued by the one 09:30 run, so the peak per minute is the same figure, sent at the dispatcher's cap`,
          'plan entries already past on the import day are recorded as skipped: they queue nothing',
        ],
      };
      return {
        suite: 'imports',
        setup: `${ROWS} rows, deliveries spread over the 13 months before ${IMPORT_DAY}, worked in process chunk by chunk as the worker does; requests counted by the proxy`,
        ops: [],
        comparisons: [],
        tables: [table],
        figures: {
          rows: ROWS,
          check: { seconds: check.seconds, requests: check.requests },
          run: { seconds: run.seconds, requests: run.requests, counts: done.counts },
          again: { seconds: again.seconds, requests: again.requests, counts: again.value!.counts },
          callbacksQueuedPerDay: queuedPerDay,
        },
      };
    } finally {
      direct.close();
      doc.destroy();
    }
  },
};
