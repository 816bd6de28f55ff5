import { JOB_SCHEDULES, maskPhonesIn, nextRun, systemClock, type Clock, type JobSchedule } from '@guanjia/core';

type Job = JobSchedule['job'];

/** Node stores a timer's delay in a signed 32-bit int; anything longer fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  schedules?: readonly JobSchedule[];
  /** Runs one job; `firedAt` is the planned instant, as EventBridge passes its scheduled time. */
  run: (job: Job, firedAt: Date) => Promise<unknown>;
  clock?: Clock;
  timers?: Timers;
  log?: (line: string) => void;
}

export interface Scheduler {
  /** Clears every timer, then waits for the runs in flight; safe to call more than once. */
  stop(): Promise<void>;
  nextRuns(): { job: Job; at: Date }[];
}

// Read the globals at call time, so that fake timers installed after import still apply.
const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `then` once the clock reads `at` or later; returns a cancel. The clock is read again
 * on every wake, so a wait longer than one timer can hold goes in pieces, and a timer that
 * fires early waits out the remainder instead of running early.
 */
export function waitUntil(at: Date, then: () => void, { clock, timers }: { clock: Clock; timers: Timers }): () => void {
  let handle: unknown;
  const arm = (): void => {
    const remaining = at.getTime() - clock.now().getTime();
    handle = timers.setTimeout(() => (clock.now().getTime() >= at.getTime() ? then() : arm()), Math.max(0, Math.min(remaining, MAX_TIMER_MS)));
  };
  arm();
  return () => timers.clearTimeout(handle);
}

const oneLine = (error: unknown): string => maskPhonesIn(String(error instanceof Error ? error.message : error).replace(/\s*\n\s*/g, ' '));

/**
 * Fires the jobs in process on the schedules EventBridge uses in the cloud. A firing that
 * finds the same job still running is dropped rather than queued: jobs catch up on their
 * next run, so nothing is lost, and a local machine should not stack up slow runs.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { schedules = JOB_SCHEDULES, run, clock = systemClock, timers = globalTimers, log = () => {} } = options;
  // By position, not job name: a custom list may repeat a job, and each entry keeps its own timer.
  const planned = new Map<number, Date>();
  const cancels = new Map<number, () => void>();
  const running = new Map<Job, Promise<void>>();
  let stopped = false;

  // Every schedule is checked before any timer is armed, so a bad one leaves nothing running.
  const first = schedules.map((s) => nextRun(s, clock.now()));

  function arm(slot: number, at: Date): void {
    if (stopped) return;
    planned.set(slot, at);
    cancels.set(
      slot,
      waitUntil(at, () => fire(slot, at), { clock, timers }),
    );
  }

  async function execute(job: Job, at: Date): Promise<void> {
    try {
      await run(job, at);
    } catch (error) {
      log(`${job}: the run for ${at.toISOString()} failed: ${oneLine(error)}`);
    }
  }

  function fire(slot: number, at: Date): void {
    const schedule = schedules[slot]!;
    const { job } = schedule;
    // From the clock at firing, not the end of the run, so a slow run does not push the
    // schedule; and not from `at`, so waking from sleep does not replay every missed slot.
    arm(slot, nextRun(schedule, clock.now()));
    if (running.has(job)) {
      log(`${job}: skipped the run for ${at.toISOString()}; the previous run is still going`);
      return;
    }
    const done = execute(job, at).finally(() => running.delete(job));
    running.set(job, done);
  }

  for (const [slot, at] of first.entries()) arm(slot, at);

  return {
    async stop() {
      stopped = true;
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
      planned.clear();
      await Promise.all(running.values());
    },
    nextRuns() {
      return [...planned].map(([slot, at]) => ({ job: schedules[slot]!.job, at }));
    },
  };
}
