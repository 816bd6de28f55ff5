import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * The process the `peers` bench runs each measurement in, built to plain JavaScript and run
 * by a bare `node` (no TypeScript loader in the timings), with the handlers' environment:
 *
 * - `cold <out> <events> <answer:0|1> <bundle>`: imports the bundle and, if asked, answers
 *   the first event: the parent times the whole process;
 * - `warm <out> <events> <warmup> <rounds> <bundle>...`: the handlers side by side in this
 *   one process, each invoked in turn, each invocation timed (wall and CPU);
 * - `memory <out> <events> <warmup> <n> <bundle>`: one handler, memory after a full GC
 *   before and after `n` invocations (needs `--expose-gc`).
 *
 * Any answer but 200 stops the run: a bench of error answers measures the wrong thing.
 */

type Result = { statusCode?: number; body?: string };
type Handler = (event: unknown, context: unknown) => Promise<Result>;

const [mode, out, eventsFile, ...rest] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile!, 'utf8')) as unknown[];

const deadline = Date.now() + 15 * 60_000;
const context = {
  functionName: 'guanjia-bench-peers',
  functionVersion: '$LATEST',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  invokedFunctionArn: 'arn:aws:lambda:ap-east-1:123456789012:function:guanjia-bench-peers',
  memoryLimitInMB: '1024',
  logGroupName: '/aws/lambda/guanjia-bench-peers',
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};

async function load(bundle: string): Promise<Handler> {
  const handler = ((await import(pathToFileURL(bundle).href)) as { handler?: Handler }).handler;
  if (typeof handler !== 'function') throw new TypeError(`${bundle} exports no handler`);
  return handler;
}

async function invoke(handler: Handler, i: number): Promise<void> {
  const result = await handler(events[i % events.length], context);
  if (result?.statusCode !== 200) throw new Error(`answered ${result?.statusCode}: ${String(result?.body).slice(0, 300)}`);
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

let result: unknown;
if (mode === 'cold') {
  const [answer, bundle] = rest;
  const handler = await load(bundle!);
  if (answer === '1') await invoke(handler, 0);
  result = { ok: true };
} else if (mode === 'warm') {
  const [warmup, rounds, ...bundles] = rest;
  const handlers = await Promise.all(bundles.map(load));
  for (const handler of handlers) for (let i = 0; i < Number(warmup); i++) await invoke(handler, i);
  const ms = handlers.map(() => [] as number[]);
  const cpuMicros = handlers.map(() => 0);
  for (let round = 0; round < Number(rounds); round++) {
    // Each round in another order, so that no handler always runs right after the same one.
    for (let k = 0; k < handlers.length; k++) {
      const h = (round + k) % handlers.length;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await invoke(handlers[h]!, round);
      ms[h]!.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuMicros[h]! += used.user + used.system;
    }
  }
  result = { ms, cpuMicros };
} else if (mode === 'memory') {
  const [warmup, n, bundle] = rest;
  const handler = await load(bundle!);
  for (let i = 0; i < Number(warmup); i++) await invoke(handler, i);
  const before = memory();
  for (let i = 0; i < Number(n); i++) await invoke(handler, i);
  result = { before, after: memory() };
} else {
  throw new Error(`unknown mode ${mode}`);
}
writeFileSync(out!, JSON.stringify(result));
// Keep-alive sockets to DynamoDB would hold the process open.
process.exit(0);
