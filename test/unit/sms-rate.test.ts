import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '@guanjia/sms';

/**
 * Time that moves only when every pending promise has settled. Timers may be told to wake
 * early, as real ones do, though never before a millisecond has passed.
 */
class FakeTime {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  constructor(private readonly earlyWakeMs = 0) {}
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.timers.push({ at: this.t + Math.max(1, ms - this.earlyWakeMs), resolve }));
  /** Runs timers in order until `done`; setImmediate lets every microtask chain finish first. */
  async runUntil(done: () => boolean): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done()) return;
      this.timers.sort((x, y) => x.at - y.at);
      const next = this.timers.shift();
      if (!next) throw new Error('nothing left to wake, yet not done');
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** The most starts that fall in any half-open window [s, s + 1000). */
function busiestWindow(starts: number[]): number {
  const sorted = [...starts].sort((x, y) => x - y);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j += 1) {
    while (sorted[j]! - sorted[i]! >= 1000) i += 1;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Each send leaves `lagOf(i)` ms after its grant (0: at once) and is stamped as it leaves, as a transport would. */
async function burst(count: number, perSecond: number, earlyWakeMs = 0, lagOf: (i: number) => number = () => 0): Promise<number[]> {
  const time = new FakeTime(earlyWakeMs);
  const limiter = new RateLimiter({ perSecond, now: time.now, sleep: time.sleep });
  const starts: number[] = [];
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(async (departing) => {
      if (lagOf(i) > 0) await time.sleep(lagOf(i));
      departing();
      starts.push(time.t);
    });
  }
  await time.runUntil(() => starts.length === count);
  return starts;
}

describe('RateLimiter', () => {
  it('lets a burst of 500 through at 20 per second, no window ever over, in 24 s', async () => {
    const starts = await burst(500, 20);
    expect(starts).toHaveLength(500);
    expect(busiestWindow(starts)).toBe(20);
    // 25 batches of 20: the first at 0, the last 24 windows of exactly 1000 ms later; anything slower wastes the cap.
    expect(Math.max(...starts)).toBe(24 * 1000);
  });

  it('keeps a send that leaves late inside the cap, counting it from when it left', async () => {
    // The first send of every other batch leaves 40 ms after its grant and the next batch is
    // granted on time: counted from its grant, that is 21 in one of the provider's seconds.
    const starts = await burst(100, 20, 0, (i) => (i % 40 === 0 ? 40 : 0));
    expect(busiestWindow(starts)).toBeLessThanOrEqual(20);
    expect(starts).toHaveLength(100);
  });

  it('holds back the next grant while a granted send has not left', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ perSecond: 1, now: time.now, sleep: time.sleep });
    const first = await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => {
      second = true;
    });
    time.t = 5_000;
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    first();
    await time.runUntil(() => second);
    expect(time.t).toBe(6_000);
  });

  it('holds the cap when timers wake early', async () => {
    const starts = await burst(500, 20, 7);
    expect(busiestWindow(starts)).toBeLessThanOrEqual(20);
    expect(Math.max(...starts)).toBeLessThan(26_300);
  });

  it('never lets more than the cap leave in any 1000 ms, for arrivals and departure lags at random', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 5_000 }), lag: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })) }), {
          minLength: 1,
          maxLength: 200,
        }),
        async (perSecond, arrivals) => {
          const time = new FakeTime();
          const limiter = new RateLimiter({ perSecond, now: time.now, sleep: time.sleep });
          const starts: number[] = [];
          for (const { at, lag } of arrivals) {
            void time.sleep(at).then(async () => {
              const departing = await limiter.acquire();
              expect(time.t).toBeGreaterThanOrEqual(at);
              // A sender that is slow to leave: scheduling, a pause, its SDK's own steps.
              if (lag > 0) await time.sleep(lag);
              departing();
              starts.push(time.t);
            });
          }
          await time.runUntil(() => starts.length === arrivals.length);
          expect(busiestWindow(starts)).toBeLessThanOrEqual(perSecond);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('serves callers in arrival order and refuses a meaningless cap', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ perSecond: 2, now: time.now, sleep: time.sleep });
    const order: number[] = [];
    for (let i = 0; i < 6; i += 1) void limiter.acquire().then((departing) => (departing(), order.push(i)));
    await time.runUntil(() => order.length === 6);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ perSecond: 2.5 })).toThrow(RangeError);
  });
});
