import { delay } from './time.ts';

/** Called by the sender as its request leaves: that moment, not the grant, is what the cap counts. */
export type Departure = () => void;

export interface Limiter {
  /** A limiter that cannot tell a grant from a departure may resolve with nothing. */
  acquire(): Promise<Departure | undefined>;
}

export interface RateLimiterOptions {
  /** Most departures allowed in any 1000 ms window. */
  perSecond?: number;
  /** Milliseconds from any origin; must not go backwards. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Extra width of the window, for any lag after the sender records its departure (its
   * SDK's own steps before the socket). The grant-to-departure lag needs none: a slot
   * granted but not yet departed holds its place in the window until it is stamped.
   */
  guardMs?: number;
}

interface Slot {
  /** When the request left; Infinity while granted and not yet gone, so it never expires early. */
  at: number;
}

/**
 * At most `perSecond` departures in any sliding 1000 ms window, per limiter instance (one
 * dispatcher process). A token bucket would let a full bucket plus its refill through within
 * one second; remembering the last `perSecond` departures cannot: a grant waits until the
 * oldest of them left a full window ago, and its own departure is later still. Stamping the
 * departure rather than the grant is what lets the window be exactly 1000 ms: however long a
 * granted sender takes to leave (scheduling, garbage collection), it only makes the gap wider.
 */
export class RateLimiter implements Limiter {
  readonly perSecond: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly slots: Slot[] = [];
  private readonly windowMs: number;
  private tail: Promise<void> = Promise.resolve();
  /** Wakes the caller at the head of the queue when it waits on a departure, not on a time. */
  private departed: (() => void) | null = null;

  constructor(options: RateLimiterOptions = {}) {
    this.perSecond = options.perSecond ?? 20;
    if (!Number.isInteger(this.perSecond) || this.perSecond < 1) throw new RangeError('perSecond must be a positive integer');
    // performance.now, not Date.now: a wall clock stepped back by NTP would open the gate early.
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? delay;
    const guardMs = options.guardMs ?? 0;
    if (!(guardMs >= 0)) throw new RangeError('guardMs must not be negative');
    this.windowMs = 1000 + guardMs;
  }

  /**
   * Resolves when the caller may send one request, with the `Departure` to call as it
   * leaves; callers are served in arrival order. A caller that gives up without sending must
   * still call it: the slot then counts as a send, which errs on the side of the cap.
   */
  acquire(): Promise<Departure> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(): Promise<Departure> {
    for (;;) {
      const now = this.now();
      for (let i = this.slots.length - 1; i >= 0; i -= 1) if (this.slots[i]!.at <= now - this.windowMs) this.slots.splice(i, 1);
      if (this.slots.length < this.perSecond) return this.grant();
      let oldest = Number.POSITIVE_INFINITY;
      for (const slot of this.slots) oldest = Math.min(oldest, slot.at);
      if (oldest === Number.POSITIVE_INFINITY) {
        await new Promise<void>((resolve) => {
          this.departed = resolve;
        });
        continue;
      }
      // Timers may wake a little early (and cannot wait a fraction of a millisecond); the loop
      // checks again rather than trusting them.
      await this.sleep(Math.max(1, Math.ceil(oldest + this.windowMs - now)));
    }
  }

  private grant(): Departure {
    const slot: Slot = { at: Number.POSITIVE_INFINITY };
    this.slots.push(slot);
    return () => {
      if (slot.at !== Number.POSITIVE_INFINITY) return;
      slot.at = this.now();
      const wake = this.departed;
      this.departed = null;
      wake?.();
    };
  }
}
