import { describe, expect, it } from 'vitest';
import { SmsRejectedError, SmsThrottledError, type SmsMessage, type SmsSender } from '@guanjia/core';
import { sendWithRetry } from '@guanjia/sms';

const message: SmsMessage = { to: '+8613800138000', body: '【安居】您好', kind: 'notice' };

/** An SmsSender that fails with the given errors in turn, then succeeds. */
function scripted(...failures: Error[]): SmsSender & { calls: number } {
  return {
    calls: 0,
    async send() {
      this.calls += 1;
      const failure = failures[this.calls - 1];
      if (failure) throw failure;
      return { providerId: `p-${this.calls}` };
    },
  };
}

function harness() {
  const events: string[] = [];
  const limiter = { acquire: async () => void events.push('acquire') };
  const sleep = async (ms: number) => void events.push(`sleep ${ms}`);
  return { events, limiter, sleep, random: () => 0.5 };
}

const throttled = () => new SmsThrottledError('busy');

describe('sendWithRetry', () => {
  it('retries throttling with growing jittered waits, taking a rate slot before every attempt', async () => {
    const h = harness();
    const sms = scripted(throttled(), throttled());
    await expect(sendWithRetry(sms, message, h)).resolves.toEqual({ providerId: 'p-3', attempts: 3 });
    expect(h.events).toEqual(['acquire', 'sleep 100', 'acquire', 'sleep 200', 'acquire']);
  });

  it('gives up after maxAttempts with the last error, saying how many attempts it made', async () => {
    const h = harness();
    const errors = [throttled(), throttled(), throttled(), throttled(), throttled(), throttled()];
    const sms = scripted(...errors);
    const failure = await sendWithRetry(sms, message, h).catch((e: unknown) => e);
    expect(failure).toBe(errors[4]);
    expect((failure as SmsThrottledError).attempts).toBe(5);
    expect(sms.calls).toBe(5);
    expect(h.events.filter((e) => e === 'acquire')).toHaveLength(5);
  });

  it('never retries a rejection or an unexpected error', async () => {
    for (const error of [new SmsRejectedError('OptedOut', 'opted out'), new TypeError('bug')]) {
      const h = harness();
      const sms = scripted(error);
      await expect(sendWithRetry(sms, message, h)).rejects.toBe(error);
      expect(sms.calls).toBe(1);
      expect(h.events).toEqual(['acquire']);
    }
  });

  it('uses full jitter under a ceiling', async () => {
    const waits: number[] = [];
    const sms = scripted(...Array.from({ length: 7 }, throttled));
    await sendWithRetry(sms, message, {
      limiter: { acquire: async () => undefined },
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 5000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.999,
    });
    expect(waits.map(Math.round)).toEqual([999, 1998, 3996, 4995, 4995, 4995, 4995]);
    const zero: number[] = [];
    await sendWithRetry(scripted(throttled()), message, {
      limiter: { acquire: async () => undefined },
      sleep: async (ms) => void zero.push(ms),
      random: () => 0,
    });
    expect(zero).toEqual([0]);
  });
});
