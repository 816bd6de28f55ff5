import type { Context } from './context.ts';
import type { ConsentRecord, Customer, Principal } from './model.ts';
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

/**
 * Shows each customer's `smsConsent` as the phone's newest consent record: the same fact the
 * owner reads as `smsCare`. The flag kept on a record is only what was said at that site, and
 * goes stale when the owner opts out or another site records consent; reading the phone's one
 * history keeps each change a single write, with no copies to fan out to every site's record.
 */
export async function withPhoneConsent(ctx: Context, customers: Customer[]): Promise<Customer[]> {
  const phones = [...new Set(customers.map((c) => c.phone))];
  const consents = new Map(await Promise.all(phones.map(async (phone) => [phone, (await careConsentRefusal(ctx, phone)) === null] as const)));
  return customers.map((c) => ({ ...c, smsConsent: consents.get(c.phone) ?? false }));
}
