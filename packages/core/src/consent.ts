import type { Context } from './context.ts';
import type { ConsentRecord, Principal } from './model.ts';
import { normalizePhone } from './phone.ts';
import { authorize } from './reach.ts';

/** Refusals the holder of the number made (回T, the owner's own preference), as against a consent never given. */
const OPT_OUT_SOURCES = ['opt_out', 'owner_preference'];

export type ConsentRefusal = 'no_consent' | 'opted_out';

/**
 * Whether care texts may go to a phone: consent is the phone's, company-wide, and its newest
 * record decides. Null when they may; else why not.
 */
export async function careConsentRefusal(ctx: Context, phone: string): Promise<ConsentRefusal | null> {
  const consent = await ctx.store.latestConsent(phone);
  if (!consent) return 'no_consent';
  if (!consent.granted) return OPT_OUT_SOURCES.includes(consent.source) ? 'opted_out' : 'no_consent';
  return null;
}

/** 回T退订 and its like: the number gets no care message again; notices still go. Kept as a record. */
export async function optOut(ctx: Context, principal: Principal, phone: string, source = 'opt_out'): Promise<ConsentRecord> {
  authorize(principal, 'sms.opt_out');
  const record: ConsentRecord = { phone: normalizePhone(phone), granted: false, source, by: principal.sub, at: ctx.clock.now().toISOString() };
  await ctx.store.recordConsent(record);
  return record;
}
