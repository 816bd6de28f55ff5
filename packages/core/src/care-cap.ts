import type { Context } from './context.ts';
import type { OutboxMessage, Site } from './model.ts';

/**
 * A care text is queued at most a night before it goes (quiet hours defer it to their end),
 * so every one sent since a window began was created at most this long before it.
 */
const LONGEST_WAIT_TO_SEND_MS = 24 * 3600_000;

/** 关怀短信上限: what counts is a care text that went out within the window; a suppressed, failed or waiting one does not. */
const countsTowardCap = (message: OutboxMessage, since: string): boolean =>
  message.kind === 'care' && message.state === 'sent' && message.sentAt !== null && message.sentAt >= since;

/** Whether the customer has had as many care texts as the site allows within its window. */
export async function careCapReached(ctx: Pick<Context, 'store'>, site: Site, customerId: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - site.smsCareCap.days * 24 * 3600_000).toISOString();
  const createdFrom = new Date(Date.parse(since) - LONGEST_WAIT_TO_SEND_MS).toISOString();
  const recent = await ctx.store.listMessagesCreatedSince(customerId, createdFrom);
  return recent.filter((message) => countsTowardCap(message, since)).length >= site.smsCareCap.count;
}
