import type { SmsSender } from '@guanjia/core';
import { RateLimiter } from './rate-limit.ts';
import { sendWithRetry } from './retry.ts';

/** An adapter behind a send cap, with throttling retried: how every dispatcher sends. */
export function cappedSender(sms: SmsSender, perSecond = 20): SmsSender {
  const limiter = new RateLimiter({ perSecond });
  return { send: async (message) => ({ providerId: (await sendWithRetry(sms, message, { limiter })).providerId }) };
}
