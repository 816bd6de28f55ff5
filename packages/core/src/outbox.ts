import { quietUntil } from './calendar.ts';
import { careCapReached } from './care-cap.ts';
import { careConsentRefusal } from './consent.ts';
import type { Context } from './context.ts';
import { VersionConflictError } from './errors.ts';
import type { Customer, OutboxMessage, Site, SmsState, Staff } from './model.ts';
import { defaultTemplate, kindOf, renderTemplate, smsParts, type SmsPurpose } from './sms-text.ts';
import { loadSite } from './sites.ts';
import { SmsError, type SmsSender } from './sms-port.ts';
import type { Versioned } from './write-shapes.ts';

export const messageId = (purpose: string, ref: string) => `sms:${purpose}:${ref}`;

/**
 * A message for the customer, rendered from the site's text for the purpose (or the default)
 * and ready to be written in the same transaction as the fact that causes it. `text` is a
 * text of its own (a campaign's), rendered with the same values.
 */
export function composeMessage(
  site: Site,
  customer: Pick<Customer, 'id' | 'name' | 'phone'>,
  purpose: SmsPurpose,
  ref: string,
  values: Record<string, string>,
  at: string,
  text?: string,
): OutboxMessage {
  const template = text ?? site.smsTemplates[purpose] ?? defaultTemplate(purpose);
  const body = renderTemplate(template, { signature: site.smsSignature, name: customer.name, site: site.name, ...values });
  return {
    id: messageId(purpose, ref),
    purpose,
    kind: kindOf(purpose),
    state: 'queued',
    siteId: site.id,
    customerId: customer.id,
    to: customer.phone,
    body,
    parts: smsParts(body).parts,
    createdAt: at,
    updatedAt: at,
    sendAfter: null,
    sentAt: null,
    reason: null,
    providerId: null,
    history: [{ state: 'queued', at }],
    version: 1,
  };
}

/**
 * A notice to a staff member's phone about a customer's matter (an SLA warning or escalation).
 * It lists with that customer's messages, where whoever follows the matter looks, and
 * `staffId` tells it apart from what the customer was sent. Consent and caps are the
 * customer's business and notices skip them, so the dispatcher needs no rule of its own.
 */
export function composeStaffMessage(
  site: Site,
  staff: Staff & { phone: string },
  customerId: string,
  purpose: SmsPurpose,
  ref: string,
  values: Record<string, string>,
  at: string,
): OutboxMessage {
  return { ...composeMessage(site, { id: customerId, name: staff.name, phone: staff.phone }, purpose, ref, values, at), staffId: staff.id };
}

function moved(message: OutboxMessage, state: SmsState, at: string, changes: Partial<OutboxMessage> = {}): OutboxMessage {
  const reason = changes.reason ?? null;
  return {
    ...message,
    ...changes,
    state,
    reason,
    updatedAt: at,
    history: [...message.history, { state, at, ...(reason ? { reason } : {}) }],
    version: message.version + 1,
  };
}

/**
 * A message withdrawn because it has become false before it left (the callback it announces
 * closed): `suppressed` with the reason, written under the version read so that a dispatcher
 * claiming it meanwhile wins and the withdrawal is read again. Null once it has left (or is gone).
 */
export function withdrawn(message: OutboxMessage | null, reason: string, at: string): Versioned<{ message: OutboxMessage }> | null {
  if (message?.state !== 'queued' && message?.state !== 'deferred') return null;
  return { message: moved(message, 'suppressed', at, { reason, sendAfter: null }), expectedVersion: message.version };
}

/**
 * Saves the next state unless another dispatcher moved the message first, in which case
 * theirs stands and this one steps back: losing the race is not an error.
 */
async function advance(ctx: Context, next: OutboxMessage, expectedVersion: number): Promise<boolean> {
  try {
    await ctx.store.saveMessage(next, expectedVersion);
    return true;
  } catch (error) {
    if (error instanceof VersionConflictError) return false;
    throw error;
  }
}

/** Why a care message may not go now, if it may not: consent is the phone's, company-wide. */
async function careRefusal(ctx: Context, site: Site, message: OutboxMessage, now: Date): Promise<string | null> {
  const refusal = await careConsentRefusal(ctx, message.to);
  if (refusal) return refusal;
  if (await careCapReached(ctx, site, message.customerId, now)) return 'care_cap_reached';
  return null;
}

/** What dispatching a message reads before it decides anything: the message, and its site if it is still queued. */
export interface DispatchRead {
  message: OutboxMessage | null;
  site: Site | null;
}

/**
 * The reads of `dispatchMessage`, which a dispatcher may do ahead for the next message while
 * this one waits for its send slot. A read that is stale by the time it is used is safe: the
 * claim is conditional on the version read, so a message that moved meanwhile is not sent.
 * Consent and the care cap are not read ahead: an earlier message of the batch may count.
 */
export async function readForDispatch(ctx: Context, id: string): Promise<DispatchRead> {
  const message = await ctx.store.getMessage(id);
  if (message?.state !== 'queued') return { message, site: null };
  return { message, site: await loadSite(ctx, message.siteId) };
}

/**
 * Sends one queued message, once. Quiet hours defer it to their end; a care message without
 * consent, or over the cap, is suppressed; otherwise the message is claimed (`sending`, a
 * conditional write that only one dispatcher can win) before the provider is called, so a
 * second delivery of the same stream record, or a crash after sending, never sends it twice.
 */
export async function dispatchMessage(ctx: Context, sender: SmsSender, id: string, read?: DispatchRead): Promise<OutboxMessage | null> {
  const { message, site } = read ?? (await readForDispatch(ctx, id));
  if (message?.state !== 'queued' || !site) return message;
  const now = ctx.clock.now();
  const at = now.toISOString();

  const until = quietUntil(now, site.quietHours, site.timezone);
  if (until) {
    const deferred = moved(message, 'deferred', at, { sendAfter: until.toISOString(), reason: 'quiet_hours' });
    return (await advance(ctx, deferred, message.version)) ? deferred : ctx.store.getMessage(id);
  }
  if (message.kind === 'care') {
    const refusal = await careRefusal(ctx, site, message, now);
    if (refusal) {
      const suppressed = moved(message, 'suppressed', at, { reason: refusal });
      return (await advance(ctx, suppressed, message.version)) ? suppressed : ctx.store.getMessage(id);
    }
  }
  const sending = moved(message, 'sending', at);
  if (!(await advance(ctx, sending, message.version))) return ctx.store.getMessage(id);
  let done: OutboxMessage;
  try {
    const { providerId } = await sender.send({ to: message.to, body: message.body, kind: message.kind });
    done = moved(sending, 'sent', ctx.clock.now().toISOString(), { providerId, sentAt: ctx.clock.now().toISOString() });
  } catch (error) {
    // A provider's failure says why; anything else is a fault of ours, named by its kind.
    const reason = error instanceof SmsError ? error.reason : error instanceof Error ? error.name : 'send_failed';
    done = moved(sending, 'failed', ctx.clock.now().toISOString(), { reason });
  }
  await ctx.store.saveMessage(done, sending.version);
  return done;
}

/** How long a queued message may wait for the dispatcher before the outbox job queues it again. */
export const STALLED_AFTER_MINUTES = 30;
/** Times a stalled message is queued again before it is recorded as failed, about 3 hours. */
export const MAX_REQUEUES = 6;

/**
 * Queues again the messages the dispatcher never claimed: in AWS, a stream batch that
 * spent its retries goes to the dead-letter queue and its messages stay `queued` in the
 * table. Writing them again puts them back on the stream. The dispatcher's claim on the
 * version still lets only one send happen, so a message that was merely slow is not sent
 * twice. One that stalls MAX_REQUEUES times ends `failed`, reason `stalled`, for people to see.
 */
export async function requeueStalled(ctx: Context, limit = 500): Promise<{ requeued: number; failed: number }> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const stalled = await ctx.store.listQueuedSince(new Date(now.getTime() - STALLED_AFTER_MINUTES * 60_000).toISOString(), limit);
  const counts = { requeued: 0, failed: 0 };
  for (const message of stalled) {
    const requeues = message.history.filter((h) => h.reason === 'stalled').length;
    const next = requeues >= MAX_REQUEUES ? moved(message, 'failed', at, { reason: 'stalled' }) : moved(message, 'queued', at, { reason: 'stalled' });
    if (await advance(ctx, next, message.version)) counts[next.state === 'failed' ? 'failed' : 'requeued']++;
  }
  return counts;
}

/** Puts messages whose quiet hours are over back in the queue; the stream brings them to the dispatcher. */
export async function releaseDeferred(ctx: Context, limit = 500): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.store.listDeferredDue(now.toISOString(), limit);
  let released = 0;
  for (const message of due) {
    if (await advance(ctx, moved(message, 'queued', now.toISOString(), { sendAfter: null }), message.version)) released++;
  }
  return released;
}
