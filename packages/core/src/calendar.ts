import { tzOffset } from '@date-fns/tz';
import { ValidationError } from './errors.ts';
import type { QuietHours } from './model.ts';

/**
 * Site calendar rules. A day is a 'YYYY-MM-DD' string naming a calendar day in the site's
 * zone; an instant is a Date. Nothing here passes through the process's own zone, so the
 * rules hold the same on a laptop in Berlin and a Lambda in UTC: days are counted as UTC
 * midnights and zones are read as offsets. (date-fns's arithmetic and TZDate's constructor
 * use local-time setters, which move days the process's zone skips, such as Kiritimati's
 * 1994-12-31.)
 */

export interface Offset {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

const OFFSET = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
// Years from 1000 on: the Date constructor reads years 0-99 as 1900-1999.
const DAY = /^[1-9]\d{3}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Date-only ISO 8601 durations; time parts have no meaning for a calendar day. */
export function parseOffset(iso: string): Offset {
  const m = OFFSET.exec(iso);
  if (!m || iso === 'P') {
    throw new ValidationError('not an ISO 8601 date duration', [
      { path: 'offset', code: 'invalid_duration', message: `'${iso}' is not like P3M, P1Y or P2Y6M`, params: { value: iso } },
    ]);
  }
  const [years, months, weeks, days] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number];
  return { years, months, weeks, days };
}

/** A `YYYY-MM-DD` that names a real day from the year 1000 on: what every rule here can count from. */
export function isCalendarDay(day: string): boolean {
  const at = DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  // Date.parse rolls 2026-02-30 over to March; the round trip catches it.
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day;
}

function checkDay(day: string): number {
  if (!isCalendarDay(day))
    throw new ValidationError('not a calendar day', [
      { path: 'day', code: 'invalid_date', message: `'${day}' is not a YYYY-MM-DD day`, params: { value: day } },
    ]);
  return Date.parse(`${day}T00:00:00Z`);
}

const dayOfUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const daysInMonth = (year: number, monthIndex: number): number => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/**
 * Years and months go on in one step from the original day, clamped to the target month's
 * end, so 2024-02-29 + P1Y is 2025-02-28 and a plan's P3M and P1Y never inherit each other's
 * clamping. Weeks and days follow.
 */
export function addOffset(day: string, offset: string): string {
  const { years, months, weeks, days } = parseOffset(offset);
  const from = new Date(checkDay(day));
  const total = from.getUTCFullYear() * 12 + from.getUTCMonth() + years * 12 + months;
  const [year, monthIndex] = [Math.floor(total / 12), total % 12];
  if (year > 9999)
    throw new ValidationError('offset out of range', [{ path: 'offset', code: 'out_of_range', message: `${day} + ${offset} is past the year 9999` }]);
  const clamped = Date.UTC(year, monthIndex, Math.min(from.getUTCDate(), daysInMonth(year, monthIndex)));
  return dayOfUtc(clamped + (weeks * 7 + days) * DAY_MS);
}

/** The calendar day before: a day is a day in every zone. */
export function dayBefore(day: string): string {
  return dayOfUtc(checkDay(day) - DAY_MS);
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(at: number, timezone: string): number {
  const minutes = tzOffset(timezone, new Date(at));
  if (Number.isNaN(minutes)) throw new RangeError(`unknown time zone '${timezone}'`);
  return minutes * 60_000;
}

/** The site's wall clock at an instant, as the UTC fields of a shifted Date. */
const wall = (at: number, timezone: string): Date => new Date(at + offsetAt(at, timezone));

export function siteDay(instant: Date, timezone: string): string {
  return dayOfUtc(wall(instant.getTime(), timezone).getTime());
}

/** Minutes since midnight on the site's wall clock. */
export function siteMinuteOfDay(instant: Date, timezone: string): number {
  const w = wall(instant.getTime(), timezone);
  return w.getUTCHours() * 60 + w.getUTCMinutes();
}

function parseHhmm(hhmm: string): { hour: number; minute: number } {
  const m = HHMM.exec(hhmm);
  if (!m) throw new ValidationError('not a time of day', [{ path: 'time', code: 'invalid_time', message: `'${hhmm}' is not HH:MM`, params: { value: hhmm } }]);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The instant of a wall-clock time on a site day. A time skipped by a DST change moves on
 * by the length of the jump (02:30 → 03:30), as TZDate and Temporal do; a repeated time is
 * its first occurrence.
 */
export function atSiteTime(day: string, hhmm: string, timezone: string): Date {
  const { hour, minute } = parseHhmm(hhmm);
  const asUtc = checkDay(day) + (hour * 60 + minute) * 60_000;
  // The offsets half a day either side bracket any change near this wall time.
  const before = asUtc - offsetAt(asUtc - DAY_MS / 2, timezone);
  const after = asUtc - offsetAt(asUtc + DAY_MS / 2, timezone);
  const fits = (at: number): boolean => wall(at, timezone).getTime() === asUtc;
  if (fits(before) && fits(after)) return new Date(Math.min(before, after));
  if (fits(before) || fits(after)) return new Date(fits(before) ? before : after);
  // Skipped: read with the offset before the jump, it lands as far past it as it was into it.
  return new Date(before);
}

/**
 * The days a catching-up job owes: each day after the last one it finished, up to today.
 * Only the `maxDays` most recent are returned: a job that was down for months must not
 * flood owners with stale callback and birthday texts on its first run back. Older days are
 * dropped, not postponed.
 */
export function daysBetween(fromExclusive: string | null, toInclusive: string, maxDays = 31): string[] {
  if (!Number.isInteger(maxDays) || maxDays < 1) throw new RangeError(`maxDays must be a positive integer, not ${maxDays}`);
  const to = checkDay(toInclusive);
  if (fromExclusive === null) return [toInclusive];
  checkDay(fromExclusive);
  if (fromExclusive >= toInclusive) return [];
  const days: string[] = [];
  // Midnight UTC to midnight UTC is always a whole day, so plain milliseconds step exactly.
  for (let back = 0; back < maxDays; back++) {
    const day = dayOfUtc(to - back * DAY_MS);
    if (day <= fromExclusive) break;
    days.push(day);
  }
  return days.reverse();
}

/** The birthday keys to greet on a day: 29 February birthdays fall on 28 February in other years. */
export function birthdaysOn(day: string): string[] {
  checkDay(day);
  const key = day.slice(5);
  return key === '02-28' && !isLeapYear(Number(day.slice(0, 4))) ? ['02-28', '02-29'] : [key];
}

export function birthdayMatches(birthday: string, day: string): boolean {
  return birthdaysOn(day).includes(birthday);
}

/**
 * When a message due at `instant` may go out, or null when it may go now. The window is
 * [start, end) in site wall-clock time and may cross midnight; start == end means none.
 */
export function quietUntil(instant: Date, quiet: QuietHours, timezone: string): Date | null {
  const start = minuteOfDay(parseHhmm(quiet.start));
  const end = minuteOfDay(parseHhmm(quiet.end));
  const isQuiet = (at: Date): boolean => {
    // Whole-minute bounds make the minute of the instant enough: 08:59:59 is still before 09:00.
    const now = siteMinuteOfDay(at, timezone);
    return start < end ? now >= start && now < end : now >= start || now < end;
  };
  if (start === end || !isQuiet(instant)) return null;
  const today = siteDay(instant, timezone);
  const endDay = start > end && siteMinuteOfDay(instant, timezone) >= start ? addOffset(today, 'P1D') : today;
  const until = atSiteTime(endDay, quiet.end, timezone);
  if (offsetAt(until.getTime(), timezone) === offsetAt(instant.getTime(), timezone)) return until;
  // A DST change in between may skip the end or repeat part of the window, so walk the
  // minutes instead; it happens on two nights a year, and only where clocks change.
  for (let at = Math.ceil(instant.getTime() / 60_000) * 60_000, limit = at + 3 * DAY_MS; at < limit; at += 60_000) {
    if (!isQuiet(new Date(at))) return new Date(at);
  }
  throw new Error(`quiet hours ${quiet.start}-${quiet.end} never end in ${timezone} after ${instant.toISOString()}`);
}

const minuteOfDay = (t: { hour: number; minute: number }): number => t.hour * 60 + t.minute;

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** A site-local "MM月DD日 HH:mm" for the acknowledgement text. */
export function localTime(instant: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}
