import { performance } from 'node:perf_hooks';
import { createIds, siteDay, systemClock, type Context, type Principal } from '@guanjia/core';
import { DynamoStore, createDocumentClient } from '@guanjia/dynamo';
import { batchWrite } from './callbacks-seed.ts';
import { countRequests, createBenchApi, createBenchTable, type BenchApi, type BenchContext, type BenchTable, type Suite } from './harness.ts';
import { sample } from './measure.ts';
import { breakdown } from './report.ts';
import { CUSTOMERS, HISTORY_DAYS, REPS, seedReports, shift, TIMEZONE, type ReportsSeed } from './reports-seed.ts';

const REGION = 'local';
const COUNTED = 3;
const TIMED = 10;
/** Operations counted now and before the figures, each on customers of its own. */
const OPS_COUNTED = 20;
const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };

const fmt = (n: number, digits = 2) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
const monthsFrom = (month: string, last: string) =>
  (Number(last.slice(0, 4)) - Number(month.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(month.slice(5, 7)) + 1;

/**
 * The writes the reports added to a fact's transaction, left out: the store as it was before
 * the figures, so that the same run can hold an operation's cost now against its cost then.
 * There is no switch for the figures in the product, and there should be none.
 */
function withoutFigures(store: DynamoStore): DynamoStore {
  const strip = (fact: Record<string, unknown>) => {
    const { figures: _f, registrations: _r, history: _h, customerWas: _c, ...rest } = fact;
    return rest;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'saveTask') return (task: unknown, expectedVersion: number) => (value as (...a: unknown[]) => unknown).call(target, task, expectedVersion);
      return (...args: unknown[]) => {
        const [first, ...others] = args;
        const isFact = first !== null && typeof first === 'object' && ('figures' in first || 'history' in first || 'registrations' in first);
        return (value as (...a: unknown[]) => unknown).call(target, isFact ? strip(first as Record<string, unknown>) : first, ...others);
      };
    },
  });
}

/** Items per transaction, counted as the document client sends them. */
function countTransactionItems(api: BenchApi): { reset(): void; items(): number } {
  let items = 0;
  const send = api.doc.send.bind(api.doc) as (command: { input?: { TransactItems?: unknown[] } }) => Promise<unknown>;
  (api.doc as unknown as { send: typeof send }).send = (command) => {
    items += command.input?.TransactItems?.length ?? 0;
    return send(command);
  };
  return { reset: () => (items = 0), items: () => items };
}

interface ReportRun {
  name: string;
  path: string;
  /** Staff × days (× months read, for a month's report): the rows the report's cost may grow with. */
  rows: number;
}

function reportRuns(s: ReportsSeed, today: string): ReportRun[] {
  const past = shift(today, -30);
  const pastMonth = shift(today, -60).slice(0, 7);
  const q = `siteId=${s.site.id}`;
  return [
    { name: 'daily-activity, a past day', path: `/v1/reports/daily-activity?${q}&date=${past}`, rows: s.staff },
    { name: 'daily-activity, today', path: `/v1/reports/daily-activity?${q}`, rows: s.staff },
    {
      name: 'intent-levels, 2 months back',
      path: `/v1/reports/intent-levels?${q}&month=${pastMonth}`,
      rows: s.staff * monthsFrom(pastMonth, today.slice(0, 7)),
    },
    { name: 'intent-levels, this month', path: `/v1/reports/intent-levels?${q}`, rows: s.staff },
    { name: 'service, 30 days', path: `/v1/reports/service?${q}&from=${shift(today, -29)}&to=${today}`, rows: s.staff * 30 },
    { name: 'service, 90 days', path: `/v1/reports/service?${q}&from=${shift(today, -89)}&to=${today}`, rows: s.staff * 90 },
    { name: 'registrations, 30 days', path: `/v1/reports/registrations?${q}&from=${shift(today, -29)}&to=${today}`, rows: s.staff * 30 },
  ];
}

async function measureReports(bench: BenchContext, counted: BenchApi, direct: BenchApi, runs: ReportRun[]) {
  const rows: string[][] = [];
  const figures: Record<string, unknown>[] = [];
  for (const run of runs) {
    const op = (api: BenchApi) => api.call(admin, 'GET', run.path, undefined, 200) as Promise<{ rows: unknown[] }>;
    const returned = (await op(direct)).rows.length;
    const requests = await countRequests(bench.proxy, COUNTED, () => op(counted));
    const read = Object.values(bench.proxy.itemsRead()).reduce((sum, r) => sum + r.scanned, 0) / COUNTED;
    const latency = await sample(() => op(direct), { warmup: 2, iterations: TIMED });
    rows.push([
      run.name,
      fmt(total(requests)),
      fmt(read, 1),
      String(run.rows),
      fmt(read / run.rows, 3),
      String(returned),
      latency.medianMs.toFixed(1),
      breakdown(requests),
    ]);
    figures.push({
      report: run.name,
      requests,
      itemsRead: read,
      staffTimesDays: run.rows,
      itemsPerRow: read / run.rows,
      rowsReturned: returned,
      medianMs: latency.medianMs,
    });
  }
  return { rows, figures };
}

/**
 * The seeded counters must say what the seeded records say, or the bench measures a fiction:
 * a day's receptions and the leads owned now, read through the reports, against the items.
 */
async function checkAgainstRecords(direct: BenchApi, s: ReportsSeed, today: string): Promise<void> {
  const day = shift(today, -30);
  const receptions = s.items.filter((item) => item.type === 'reception' && siteDay(new Date(String(item.at)), TIMEZONE) === day).length;
  const daily = await direct.call(admin, 'GET', `/v1/reports/daily-activity?siteId=${s.site.id}&date=${day}`, undefined, 200);
  const levels = await direct.call(admin, 'GET', `/v1/reports/intent-levels?siteId=${s.site.id}`, undefined, 200);
  if (daily.totals.receptions !== receptions || levels.totals.total !== s.leads.length) {
    throw new Error(
      `seeding: counters disagree with records (receptions ${daily.totals.receptions} vs ${receptions}, leads ${levels.totals.total} vs ${s.leads.length})`,
    );
  }
}

/** Intake, contact and follow-up completion through the app as it is, and through the same app with the figure writes left out. */
async function measureOperations(bench: BenchContext, now: BenchApi, before: BenchApi, s: ReportsSeed) {
  const items = { now: countTransactionItems(now), before: countTransactionItems(before) };
  let serial = 50_000_000;
  const lead = (side: number, i: number) => s.leads[side * OPS_COUNTED + i]!;
  const as = (ownerId: string): Principal => ({ sub: ownerId, role: 'sales', sites: [s.site.id] });
  const ops: [string, (api: BenchApi, side: number, i: number) => Promise<unknown>][] = [
    [
      'intake (new phone)',
      (api, _side, i) =>
        api.call(
          as(s.reps[i % REPS]!),
          'POST',
          '/v1/customers',
          { siteId: s.site.id, name: '李娜', phone: `139${++serial}`, channel: 'walk_in', intentLevel: 'B' },
          201,
        ),
    ],
    [
      'add interaction (re-rating)',
      (api, side, i) =>
        api.call(
          as(lead(side, i).ownerId),
          'POST',
          `/v1/customers/${lead(side, i).customerId}/interactions`,
          { channel: 'call', summary: '回访', intentLevel: 'A' },
          201,
        ),
    ],
    [
      'complete follow-up',
      (api, side, i) => api.call(as(lead(2 + side, i).ownerId), 'POST', `/v1/tasks/${lead(2 + side, i).followUpId}/complete`, { outcome: 'reached' }, 200),
    ],
  ];
  const rows: string[][] = [];
  const figures: Record<string, unknown>[] = [];
  for (const [name, op] of ops) {
    const measured = [];
    for (const [side, label, api] of [
      [0, 'now', now],
      [1, 'before', before],
    ] as const) {
      items[label].reset();
      const requests = await countRequests(bench.proxy, OPS_COUNTED, (i) => op(api, side, i));
      measured.push({ label, requests, transactionItems: items[label].items() / OPS_COUNTED });
    }
    const [is, was] = measured as [(typeof measured)[0], (typeof measured)[0]];
    rows.push([
      name,
      fmt(total(is.requests)),
      fmt(total(was.requests)),
      fmt(total(is.requests) - total(was.requests)),
      fmt(is.transactionItems),
      fmt(was.transactionItems),
      breakdown(is.requests),
    ]);
    figures.push({ op: name, now: is, before: was });
  }
  return { rows, figures };
}

export const reportsSuite: Suite = {
  name: 'reports',
  async run(bench) {
    const tableName = await createBenchTable(bench.dynamoEndpoint, 'bench_reports');
    const doc = createDocumentClient({ endpoint: bench.dynamoEndpoint, region: REGION });
    const direct = createBenchApi(bench.dynamoEndpoint, tableName);
    const counted = createBenchApi(bench.proxy.endpoint, tableName);
    const before = createBenchApi(bench.proxy.endpoint, tableName, withoutFigures);
    try {
      // The reports read the real clock's today: the history is laid out up to it.
      const today = siteDay(systemClock.now(), TIMEZONE);
      const ctx: Context = { store: new DynamoStore(doc, tableName), clock: systemClock, ids: createIds() };
      const started = performance.now();
      const seeded = await seedReports(ctx, today);
      await batchWrite(doc, tableName, seeded.items);
      const seedMs = performance.now() - started;

      await checkAgainstRecords(direct, seeded, today);
      const reports = await measureReports(bench, counted, direct, reportRuns(seeded, today));
      const operations = await measureOperations(bench, counted, before, seeded);
      const tables: BenchTable[] = [
        {
          title: `reports of one site: ${REPS} reps + ${seeded.staff - REPS} other staff, ${CUSTOMERS} customers, ${HISTORY_DAYS} days of history`,
          columns: ['report', 'ddb req', 'items read', 'staff×days', 'items/row', 'rows', 'median ms', 'DynamoDB requests per report'],
          rows: reports.rows,
          rightAligned: [1, 2, 3, 4, 5, 6],
          notes: [
            "items read = Query ScannedCount + GetItem hits, summed by the proxy; staff×days = the site's staff × the days covered (a month's report: × the months it reads, its own and each since)",
            'items/row is the figure to quote: it stays near 1 or below when a report reads only its figures; it grows with customers where a report reads records',
            "daily-activity reads its four figures in one Query; the rest is followUpsOverdue, which reads every open task of the site due before the day's end (callbacks filtered out after the read)",
            'registrations: one row per (day, staff member, source), so items read = rows returned; up to 7 sources per staff day',
          ],
        },
        {
          title: `operations now and before the figures (${OPS_COUNTED} each, counted through the proxy)`,
          columns: ['operation', 'req now', 'req before', 'added req', 'txn items now', 'txn items before', 'DynamoDB requests now'],
          rows: operations.rows,
          rightAligned: [1, 2, 3, 4, 5],
          notes: [
            '"before" is the same app and store with the figure, registration and lead-history writes (and the level guard on a re-rating) left out of each fact: the product has no switch for them',
            "the figures ride in the fact's own transaction, so they add items to it (2 WCU each in a transaction), not requests",
          ],
        },
      ];
      return {
        suite: 'reports',
        setup: `site ${seeded.site.id} (${TIMEZONE}): ${seeded.items.length} items written with BatchWriteItem in ${(seedMs / 1000).toFixed(1)} s (records and counters built by core's figure functions and the store's item builders, not through the API: 20,000 intakes would take minutes); each report counted ${COUNTED} times, timed ${TIMED} times direct`,
        ops: [],
        comparisons: [],
        tables,
        figures: { items: seeded.items.length, seedMs, reports: reports.figures, operations: operations.figures },
      };
    } finally {
      doc.destroy();
      direct.close();
      counted.close();
      before.close();
    }
  },
};
