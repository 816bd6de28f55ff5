import type { Sms, SmsMessage } from './port.ts';
import { RateLimiter } from './rate-limit.ts';
import { sendWithRetry } from './retry.ts';

/** An adapter behind a send cap, with throttling retried: how every dispatcher sends. */
export function cappedSender(sms: Sms, perSecond = 20): { send(message: SmsMessage): Promise<{ providerId: string }> } {
  const limiter = new RateLimiter({ perSecond });
  return { send: async (message) => ({ providerId: (await sendWithRetry(sms, message, { limiter })).providerId }) };
}
