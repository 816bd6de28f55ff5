import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JOB_SCHEDULES, type JobSchedule } from '@guanjia/core';
import { MAX_TIMER_MS, startScheduler, waitUntil, type Timers } from '@guanjia/local/scheduler';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const only = (job: JobSchedule['job']): JobSchedule[] => JOB_SCHEDULES.filter((s) => s.job === job);
// Read through Date.now so that the fake timers move it.
const clock = { now: () => new Date(Date.now()) };
const runFn = () => vi.fn<(job: JobSchedule['job'], firedAt: Date) => Promise<void>>(async () => {});

/** A run that stays in flight until the test lets it finish. */
function held(): { promise: Promise<void>; finish: () => void } {
  let finish!: () => void;
  const promise = new Promise<void>((resolve) => (finish = resolve));
  return { promise, finish };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('startScheduler', () => {
  it('fires the callbacks job at 09:30 in Shanghai, and again the next day', async () => {
    vi.setSystemTime(new Date('2026-03-10T00:00:00Z'));
    const run = runFn();
    const scheduler = startScheduler({ schedules: only('callbacks'), run, clock });
    expect(scheduler.nextRuns()).toEqual([{ job: 'callbacks', at: new Date('2026-03-10T01:30:00Z') }]);

    await vi.advanceTimersByTimeAsync(90 * MINUTE - 1);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run.mock.calls).toEqual([['callbacks', new Date('2026-03-10T01:30:00Z')]]);
    expect(scheduler.nextRuns()).toEqual([{ job: 'callbacks', at: new Date('2026-03-11T01:30:00Z') }]);

    await vi.advanceTimersByTimeAsync(DAY);
    expect(run.mock.calls.map(([, at]) => at)).toEqual([new Date('2026-03-10T01:30:00Z'), new Date('2026-03-11T01:30:00Z')]);
    await scheduler.stop();
  });

  it('fires the outbox job every minute, on the minute', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:20.500Z'));
    const seenAt: number[] = [];
    const run = vi.fn(async () => void seenAt.push(Date.now()));
    const scheduler = startScheduler({ schedules: only('outbox'), run, clock });

    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    const fired = ['2026-03-10T12:01:00Z', '2026-03-10T12:02:00Z', '2026-03-10T12:03:00Z'].map((at) => new Date(at));
    expect(run.mock.calls).toEqual(fired.map((at) => ['outbox', at]));
    expect(seenAt).toEqual(fired.map((at) => at.getTime()));
    await scheduler.stop();
  });

  it('arms every job of JOB_SCHEDULES by default', async () => {
    vi.setSystemTime(new Date('2026-03-10T01:31:00Z'));
    const scheduler = startScheduler({ run: async () => {}, clock });
    expect(scheduler.nextRuns()).toEqual([
      { job: 'callbacks', at: new Date('2026-03-11T01:30:00Z') },
      { job: 'care', at: new Date('2026-03-10T02:00:00Z') },
      { job: 'outbox', at: new Date('2026-03-10T01:32:00Z') },
      { job: 'sla', at: new Date('2026-03-10T01:45:00Z') },
      { job: 'day-close', at: new Date('2026-03-10T01:45:00Z') },
    ]);
    await scheduler.stop();
  });

  it('skips a firing while the previous run of the job is still going, and keeps the schedule', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const slow = held();
    const run = vi.fn().mockReturnValueOnce(slow.promise).mockResolvedValue(undefined);
    const log = vi.fn();
    const scheduler = startScheduler({ schedules: only('outbox'), run, clock, log });

    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    expect(log.mock.calls).toEqual([['outbox: skipped the run for 2026-03-10T12:02:00.000Z; the previous run is still going']]);

    slow.finish();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run.mock.calls.map(([, at]) => at)).toEqual([new Date('2026-03-10T12:01:00Z'), new Date('2026-03-10T12:03:00Z')]);
    await scheduler.stop();
  });

  it('logs a failed run on one line and fires again at the next slot', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const run = vi
      .fn()
      .mockRejectedValueOnce(new Error('table missing\nfor +8613800138000'))
      .mockImplementationOnce(() => {
        throw new Error('not even a promise');
      })
      .mockResolvedValue(undefined);
    const log = vi.fn();
    const scheduler = startScheduler({ schedules: only('outbox'), run, clock, log });

    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    expect(run).toHaveBeenCalledTimes(3);
    const lines = log.mock.calls.map(([line]) => line as string);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^outbox: the run for 2026-03-10T12:01:00.000Z failed: table missing for /);
    expect(lines[0]).not.toContain('13800138000');
    expect(lines[1]).toBe('outbox: the run for 2026-03-10T12:02:00.000Z failed: not even a promise');
    await scheduler.stop();
  });

  it('stop() waits for the run in flight, and nothing fires after it', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const slow = held();
    const run = vi.fn().mockReturnValueOnce(slow.promise).mockResolvedValue(undefined);
    const scheduler = startScheduler({ run, clock });
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(stopped).toBe(false);
    slow.finish();
    await stopping;
    expect(stopped).toBe(true);

    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.nextRuns()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect(run).toHaveBeenCalledTimes(1);
    await scheduler.stop();
  });

  it('after the machine sleeps through many slots, fires once and then keeps to the schedule', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const run = runFn();
    const scheduler = startScheduler({ schedules: only('outbox'), run, clock });
    // The wall clock moves on an hour while no timer runs, as it does across a laptop's sleep.
    vi.setSystemTime(new Date('2026-03-10T13:00:00Z'));

    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run.mock.calls).toEqual([['outbox', new Date('2026-03-10T12:01:00Z')]]);
    expect(scheduler.nextRuns()).toEqual([{ job: 'outbox', at: new Date('2026-03-10T13:02:00Z') }]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenLastCalledWith('outbox', new Date('2026-03-10T13:02:00Z'));
    expect(run).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });

  it('does not run early when a timer wakes before its time', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const hasty: Timers = {
      setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms - 700)),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const seenAt: number[] = [];
    const scheduler = startScheduler({ schedules: only('outbox'), run: async () => void seenAt.push(Date.now()), clock, timers: hasty });

    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(seenAt).toEqual([Date.parse('2026-03-10T12:01:00Z'), Date.parse('2026-03-10T12:02:00Z')]);
    await scheduler.stop();
  });
});

describe('waitUntil', () => {
  it('honours a wait longer than one Node timer can hold', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const wait = 40 * DAY;
    expect(wait).toBeGreaterThan(MAX_TIMER_MS);
    const delays: number[] = [];
    const recording: Timers = {
      setTimeout: (callback, ms) => (delays.push(ms), setTimeout(callback, ms)),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const then = vi.fn();
    waitUntil(new Date(Date.now() + wait), then, { clock, timers: recording });

    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(then).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(then).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([MAX_TIMER_MS, wait - MAX_TIMER_MS]);
  });

  it('can be cancelled', async () => {
    vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
    const then = vi.fn();
    const cancel = waitUntil(new Date(Date.now() + 30 * DAY), then, { clock, timers: { setTimeout, clearTimeout } as Timers });
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1);
    cancel();
    await vi.advanceTimersByTimeAsync(30 * DAY);
    expect(then).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
