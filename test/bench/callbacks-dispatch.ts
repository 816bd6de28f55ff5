import { performance } from 'node:perf_hooks';
import { cachedSites, composeMessage, createIds, dispatchMessage, type Context, type OutboxMessage, type Site, type SmsSender } from '@guanjia/core';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoStore, createDocumentClient, dispatchStreamBatch, type StreamRecordLike } from '@guanjia/dynamo';
import { RateLimiter, SEND_GUARD_MS, sendWithRetry, type DepartingSender, type Limiter } from '@guanjia/sms';
import { byOperation } from '../support/dynamo-proxy.ts';
import type { BenchContext } from './harness.ts';
import { benchClock, DAY_1, REGION, WRITERS, type Owner, type Seeded } from './callbacks-seed.ts';

/** The SMS dispatcher under its send cap, on the callbacks bench's seed. */
export const DISPATCH_MESSAGES = 200;
export const CAP_PER_SECOND = 20;
export const DISPATCH_WORKERS = 8;
export const COUNTED_MESSAGES = 20;

/** Answers at once and remembers when, telling the limiter as it stamps: the limiter alone decides the rate. */
function zeroLatencySms(): DepartingSender & { stamps: number[] } {
  const stamps: number[] = [];
  return {
    stamps,
    send: async (_message, departing) => {
      stamps.push(performance.now());
      departing?.();
      return { providerId: `bench-${stamps.length}` };
    },
  };
}

/** Most sends that fall in any 1000 ms window: what the cap promises to keep at or under `perSecond`. */
function maxInAnySecond(stamps: number[]): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let most = 0;
  for (let from = 0, to = 0; to < sorted.length; to++) {
    while (sorted[to]! - sorted[from]! >= 1000) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/**
 * When the limiter let each send go (its grant, taken as `acquire` resolves): set beside the
 * transport's stamps it shows how long a granted send takes to leave, which the limiter must
 * not count on being short.
 */
function recordGrants(limiter: RateLimiter): { limiter: Limiter; grants: number[] } {
  const grants: number[] = [];
  return {
    grants,
    limiter: {
      acquire: async () => {
        const departing = await limiter.acquire();
        grants.push(performance.now());
        return departing;
      },
    },
  };
}

async function enqueue(ctx: Context, owners: Owner[], sites: Map<string, Site>, tag: string, count: number): Promise<string[]> {
  const at = ctx.clock.now().toISOString();
  const messages: OutboxMessage[] = owners
    .slice(0, count)
    .map((o, i) => composeMessage(sites.get(o.customer.siteId)!, o.customer, 'callback_P3M', `${tag}-${i}`, { asset: o.delivery.asset.label }, at));
  const slices = Array.from({ length: WRITERS }, (_, w) => messages.filter((_, i) => i % WRITERS === w));
  await Promise.all(slices.map((slice) => ctx.store.enqueueMessages(slice)));
  return messages.map((m) => m.id);
}

async function dispatchAll(ctx: Context, sender: SmsSender, ids: string[], workers: number): Promise<{ ms: number; sent: number }> {
  const queue = [...ids];
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      if ((await dispatchMessage(ctx, sender, id))?.state === 'sent') sent++;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { ms: performance.now() - started, sent };
}

/** One stream batch holding every message, as the Lambda is handed them: one at a time, in order. */
async function dispatchAsBatch(ctx: Context, sender: SmsSender, ids: string[]): Promise<{ ms: number; sent: number }> {
  const records: StreamRecordLike[] = ids.map((id, i) => ({
    eventName: 'INSERT',
    dynamodb: { NewImage: marshall({ type: 'sms', state: 'queued', id }), SequenceNumber: String(i + 1) },
  }));
  let sent = 0;
  const started = performance.now();
  const answer = await dispatchStreamBatch(records, ctx, sender, { dispatched: (_id, outcome) => void (outcome?.state === 'sent' && sent++) });
  if (answer.batchItemFailures.length) throw new Error(`stream batch stopped at record ${answer.batchItemFailures[0]!.itemIdentifier}`);
  return { ms: performance.now() - started, sent };
}

const throughLimiter = (sms: DepartingSender, limiter: Limiter): SmsSender => ({
  send: async (message) => ({ providerId: (await sendWithRetry(sms, message, { limiter })).providerId }),
});

const unlimited: Limiter = { acquire: async () => undefined };

export interface DispatchRun {
  label: string;
  messages: number;
  sent: number;
  ms: number;
  /** sends / (last send − first send) */
  rate: number;
  /** (sends − cap) / (last send − first send): the first window's burst left out. */
  steadyRate: number | null;
  maxInSecond: number;
  /** The same count over the limiter's grants, and the longest wait from a grant to its send. */
  maxGrantsInSecond: number | null;
  maxLagMs: number | null;
  /**
   * For each send after the first window: how far past a full second after the send `cap`
   * earlier it went (p50, p90). The limiter allows 0; a small median is timers waking late,
   * a long tail is the limiter left without a send to let go (DynamoDB work).
   */
  lateMs: [number, number] | null;
  cap: number | null;
}

function lateness(sorted: number[], cap: number): [number, number] {
  const late = sorted
    .slice(cap)
    .map((t, i) => t - sorted[i]! - 1000)
    .sort((a, b) => a - b);
  return [late[Math.floor(late.length / 2)] ?? 0, late[Math.floor(late.length * 0.9)] ?? 0];
}

function dispatchRun(
  label: string,
  messages: number,
  got: { ms: number; sent: number },
  stamps: number[],
  cap: number | null,
  grants: number[] | null = null,
): DispatchRun {
  const span = (Math.max(...stamps) - Math.min(...stamps)) / 1000;
  // Paired in time order: sends keep grant order but for sub-millisecond overtaking, which this smooths over.
  const sortedStamps = [...stamps].sort((a, b) => a - b);
  const lags = grants?.length === stamps.length ? [...grants].sort((a, b) => a - b).map((g, i) => sortedStamps[i]! - g) : null;
  return {
    label,
    messages,
    sent: got.sent,
    ms: got.ms,
    rate: stamps.length / span,
    steadyRate: cap === null ? null : (stamps.length - cap) / span,
    maxInSecond: maxInAnySecond(stamps),
    maxGrantsInSecond: grants ? maxInAnySecond(grants) : null,
    maxLagMs: lags ? Math.max(...lags) : null,
    lateMs: cap === null ? null : lateness(sortedStamps, cap),
    cap,
  };
}

export async function benchDispatcher(bench: BenchContext, tableName: string, seeded: Seeded) {
  const sites = new Map(seeded.sites.map((s) => [s.site.id, s.site]));
  const direct = createDocumentClient({ endpoint: bench.dynamoEndpoint, region: REGION });
  const counted = createDocumentClient({ endpoint: bench.proxy.endpoint, region: REGION });
  // 10:00 site time, outside quiet hours: every message goes now rather than being deferred.
  const clock = benchClock(DAY_1, '10:00');
  // The site cache the SMS Lambda keeps (functions/sms.ts): a message reads its site once per SITE_CACHE_MS.
  const ctx: Context = { store: cachedSites(new DynamoStore(direct, tableName)), clock, ids: createIds() };
  const countedCtx: Context = { ...ctx, store: cachedSites(new DynamoStore(counted, tableName)) };
  try {
    const owners = seeded.owners;
    const countedIds = await enqueue(ctx, owners, sites, 'counted', COUNTED_MESSAGES);
    bench.proxy.reset();
    await dispatchAll(countedCtx, throughLimiter(zeroLatencySms(), unlimited), countedIds, 1);
    const requests = Object.fromEntries(Object.entries(byOperation(bench.proxy.counts())).map(([op, n]) => [op, n / COUNTED_MESSAGES]));

    const freeIds = await enqueue(ctx, owners.slice(COUNTED_MESSAGES), sites, 'free', DISPATCH_MESSAGES);
    const freeSms = zeroLatencySms();
    const free = dispatchRun(
      'no cap (no-op limiter)',
      DISPATCH_MESSAGES,
      await dispatchAll(ctx, throughLimiter(freeSms, unlimited), freeIds, DISPATCH_WORKERS),
      freeSms.stamps,
      null,
    );

    const cappedIds = await enqueue(ctx, owners.slice(COUNTED_MESSAGES + DISPATCH_MESSAGES), sites, 'capped', DISPATCH_MESSAGES);
    const cappedSms = zeroLatencySms();
    const { limiter, grants } = recordGrants(new RateLimiter({ perSecond: CAP_PER_SECOND, guardMs: SEND_GUARD_MS }));
    const got = await dispatchAll(ctx, throughLimiter(cappedSms, limiter), cappedIds, DISPATCH_WORKERS);
    const capped = dispatchRun(`cap ${CAP_PER_SECOND}/s (RateLimiter)`, DISPATCH_MESSAGES, got, cappedSms.stamps, CAP_PER_SECOND, grants);

    const streamIds = await enqueue(ctx, owners.slice(COUNTED_MESSAGES + 2 * DISPATCH_MESSAGES), sites, 'stream', DISPATCH_MESSAGES);
    const streamSms = zeroLatencySms();
    const streamGrants = recordGrants(new RateLimiter({ perSecond: CAP_PER_SECOND, guardMs: SEND_GUARD_MS }));
    const stream = dispatchRun(
      `cap ${CAP_PER_SECOND}/s, one stream batch`,
      DISPATCH_MESSAGES,
      await dispatchAsBatch(ctx, throughLimiter(streamSms, streamGrants.limiter), streamIds),
      streamSms.stamps,
      CAP_PER_SECOND,
      streamGrants.grants,
    );

    // The same callers with no DynamoDB work between sends: the limiter's own ceiling, which
    // the runs above reach only when DynamoDB keeps a send waiting for every slot.
    const aloneSms = zeroLatencySms();
    const aloneLimiter = throughLimiter(aloneSms, new RateLimiter({ perSecond: CAP_PER_SECOND, guardMs: SEND_GUARD_MS }));
    const aloneQueue = Array.from({ length: DISPATCH_MESSAGES }, (_, i) => i);
    const aloneStarted = performance.now();
    await Promise.all(
      Array.from({ length: DISPATCH_WORKERS }, async () => {
        for (let i = aloneQueue.shift(); i !== undefined; i = aloneQueue.shift())
          await aloneLimiter.send({ to: '+8613800138000', body: `${i}`, kind: 'notice' });
      }),
    );
    const alone = dispatchRun(
      `cap ${CAP_PER_SECOND}/s, limiter alone`,
      DISPATCH_MESSAGES,
      { ms: performance.now() - aloneStarted, sent: aloneSms.stamps.length },
      aloneSms.stamps,
      CAP_PER_SECOND,
    );

    for (const run of [free, capped, stream, alone])
      if (run.sent !== run.messages) throw new Error(`dispatch ${run.label}: ${run.sent} of ${run.messages} sent`);
    // Not a figure to read but a promise broken: the run fails rather than print a number.
    for (const run of [capped, stream, alone])
      if (run.maxInSecond > CAP_PER_SECOND) throw new Error(`dispatch ${run.label}: ${run.maxInSecond} sends at the transport within 1000 ms`);
    return { requests, runs: [free, capped, stream, alone] };
  } finally {
    direct.destroy();
    counted.destroy();
  }
}
