import { delay } from './time.ts';

export interface Limiter {
  acquire(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Most starts allowed in any 1000 ms window. */
  perSecond?: number;
  /** Milliseconds from any origin; must not go backwards. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Extra width of the window. The time from a grant to the request reaching the provider
   * varies (scheduling, garbage collection), so grants exactly a second apart could land
   * 21 in one of the provider's seconds; measured lags were about a millisecond.
   */
  guardMs?: number;
}

/**
 * At most `perSecond` acquisitions in any sliding 1000 ms window, per limiter instance (one
 * dispatcher process). A token bucket would let a full bucket plus its refill through within
 * one second; remembering the last `perSecond` start times cannot: a start waits until the
 * oldest of them is a full window old.
 */
export class RateLimiter implements Limiter {
  readonly perSecond: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly starts: number[] = [];
  private readonly windowMs: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions = {}) {
    this.perSecond = options.perSecond ?? 20;
    if (!Number.isInteger(this.perSecond) || this.perSecond < 1) throw new RangeError('perSecond must be a positive integer');
    // performance.now, not Date.now: a wall clock stepped back by NTP would open the gate early.
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? delay;
    this.windowMs = 1000 + (options.guardMs ?? 50);
  }

  /** Resolves when the caller may start one send; callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.perSecond) {
        this.starts.push(now);
        return;
      }
      // Timers may wake a little early (and cannot wait a fraction of a millisecond); the loop
      // checks again rather than trusting them.
      await this.sleep(Math.max(1, Math.ceil(this.starts[0]! + this.windowMs - now)));
    }
  }
}
