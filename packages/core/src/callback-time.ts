import { addOffset, atSiteTime, siteDay } from './calendar.ts';
import { JOB_SCHEDULES } from './schedules.ts';

const announced = JOB_SCHEDULES.find((s) => s.job === 'callbacks')?.at;
if (!announced) throw new Error('the callbacks job has no time of day');

/**
 * Callbacks fall due when the callbacks job hands them out (09:30 in the site's day), so an
 * agent's list is complete when it is read. Taken from the schedule, not written again.
 */
export const CALLBACK_DUE_TIME = `${String(announced.hour).padStart(2, '0')}:${String(announced.minute).padStart(2, '0')}`;

/** A callback's due instant on a site day. */
export const callbackDueAt = (dueOn: string, timezone: string): Date => atSiteTime(dueOn, CALLBACK_DUE_TIME, timezone);

/** The site day after `now`, and its callback time: when a retried or follow-on call falls due. */
export function nextCallbackSlot(now: Date, timezone: string): { dueOn: string; dueAt: Date } {
  const dueOn = addOffset(siteDay(now, timezone), 'P1D');
  return { dueOn, dueAt: callbackDueAt(dueOn, timezone) };
}
