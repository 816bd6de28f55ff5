import type { Departure, Limiter } from './rate-limit.ts';
import { SmsThrottledError, type SmsMessage } from '@guanjia/core';
import { delay } from './time.ts';

/**
 * A sender that may say when its request leaves, by calling `departing` (at most once
 * matters). Any `SmsSender` is one: if it never calls it, the departure is taken when its
 * send settles, which is later than the request left and so errs on the side of the cap.
 */
export interface DepartingSender {
  send(message: SmsMessage, departing?: Departure): Promise<{ providerId: string }>;
}

export interface RetryOptions {
  /** Every attempt, first and retries alike, takes a slot: the cap counts requests, not messages. */
  limiter: Limiter;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

/**
 * Sends once, retrying only `SmsThrottledError` with exponential backoff and full jitter
 * (a random wait up to base·2^(n−1)), so that many throttled senders do not return in step.
 * Anything else (a rejection, a bug) is thrown at once. When attempts run out the last error
 * is thrown with `attempts` set.
 */
export async function sendWithRetry(sms: DepartingSender, message: SmsMessage, options: RetryOptions): Promise<{ providerId: string; attempts: number }> {
  const { limiter, maxAttempts = 5, baseDelayMs = 200, maxDelayMs = 10_000, sleep = delay, random = Math.random } = options;
  for (let attempt = 1; ; attempt += 1) {
    const departing = (await limiter.acquire()) ?? undefined;
    try {
      const { providerId } = await settled(() => sms.send(message, departing), departing);
      return { providerId, attempts: attempt };
    } catch (error) {
      if (!(error instanceof SmsThrottledError)) throw error;
      if (attempt >= maxAttempts) {
        error.attempts = attempt;
        throw error;
      }
      await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** The limiter holds a slot until it is stamped: a sender that did not stamp it is stamped as it answers. */
async function settled<T>(send: () => Promise<T>, departing: Departure | undefined): Promise<T> {
  try {
    return await send();
  } finally {
    departing?.();
  }
}
