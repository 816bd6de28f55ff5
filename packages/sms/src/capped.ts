import type { SmsSender } from '@guanjia/core';
import { RateLimiter } from './rate-limit.ts';
import { sendWithRetry } from './retry.ts';

/**
 * The margin the dispatchers keep on the send cap's window. The limiter counts a send from
 * its stamp, taken as the SDK hands the signed request to HTTP; on a kept-alive socket the
 * bytes follow within a millisecond, and this covers a scheduling stall or a GC pause between.
 * A container's first sends also wait for a TLS handshake, which can take longer: a throttle
 * from the provider then is retried through the limiter, and never sends a text twice.
 */
export const SEND_GUARD_MS = 15;

/** An adapter behind a send cap, with throttling retried: how every dispatcher sends. */
export function cappedSender(sms: SmsSender, perSecond = 20): SmsSender {
  const limiter = new RateLimiter({ perSecond, guardMs: SEND_GUARD_MS });
  return { send: async (message) => ({ providerId: (await sendWithRetry(sms, message, { limiter })).providerId }) };
}
