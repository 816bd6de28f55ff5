import type { Limiter } from './rate-limit.ts';
import { SmsThrottledError, type SmsSender, type SmsMessage } from '@guanjia/core';
import { delay } from './time.ts';

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
export async function sendWithRetry(sms: SmsSender, message: SmsMessage, options: RetryOptions): Promise<{ providerId: string; attempts: number }> {
  const { limiter, maxAttempts = 5, baseDelayMs = 200, maxDelayMs = 10_000, sleep = delay, random = Math.random } = options;
  for (let attempt = 1; ; attempt += 1) {
    await limiter.acquire();
    try {
      const { providerId } = await sms.send(message);
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
