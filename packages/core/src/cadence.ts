import { addDays } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { FollowUpCadence, IntentLevel } from './model.ts';

/** 000: first visit called back within 2 days, twice a week while undecided; levels per 003. */
export const DEFAULT_CADENCE: FollowUpCadence = { firstVisitDays: 2, undecidedDays: 3, H: 2, A: 7, B: 14, C: 30 };

/** Calendar days are counted in the site's zone, so "in 2 days" keeps the local time of day. */
export function addSiteDays(from: Date, days: number, timezone: string): Date {
  return new Date(addDays(new TZDate(from.getTime(), timezone), days).getTime());
}

export function firstFollowUpDue(now: Date, cadence: FollowUpCadence, timezone: string): Date {
  return addSiteDays(now, cadence.firstVisitDays, timezone);
}

export function nextFollowUpDue(now: Date, cadence: FollowUpCadence, level: IntentLevel | null, timezone: string): Date {
  return addSiteDays(now, level ? cadence[level] : cadence.undecidedDays, timezone);
}
