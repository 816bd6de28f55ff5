import { siteDay } from '../calendar.ts';
import type { Customer } from '../model.ts';

/**
 * What a referred customer adds to their key person's referrals on the site day they came:
 * counted per key person, not per rep, since the report asks who brings buyers (004).
 */
export interface ReferralChange {
  siteId: string;
  day: string;
  keyPersonId: string;
  add: { referrals: number };
}

/** The stored referrals of one key person on one site day. */
export type ReferralFigures = { siteId: string; day: string; keyPersonId: string; referrals: number };

export const REFERRAL_FIGURES = ['referrals'] as const;

/** A new customer named as brought by a key person counts once for that key person, on the day of its intake. */
export function referralFigures(customer: Customer, timezone: string): ReferralChange[] {
  if (!customer.referredBy) return [];
  return [{ siteId: customer.siteId, day: siteDay(new Date(customer.createdAt), timezone), keyPersonId: customer.referredBy, add: { referrals: 1 } }];
}
