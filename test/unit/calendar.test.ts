import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addOffset,
  atSiteTime,
  birthdayMatches,
  birthdaysOn,
  daysBetween,
  isCalendarDay,
  parseOffset,
  quietUntil,
  siteDay,
  ValidationError,
} from '@guanjia/core';
import { Birthday, Day } from '@guanjia/api/schemas/common';

// The oracles below read days through Date.UTC and zones through Intl's formatted wall
// clock, so the properties check the rules against a reading made apart from their code.
const RUNS = 2000;
const MINUTE = 60_000;
const DAY_MS = 86_400_000;

const utc = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const shift = (day: string, days: number): string => fromUtc(utc(day) + days * DAY_MS);
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const isLeap = (year: number): boolean => daysInMonth(year, 2) === 29;
const ymd = (day: string): [number, number, number] => day.split('-').map(Number) as [number, number, number];
const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

const formatters = new Map<string, Intl.DateTimeFormat>();
function wall(instant: Date, timezone: string): { day: string; minute: number } {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  // en-CA reads '2026-11-24, 09:00'; plain format is a few times faster than formatToParts.
  const [, d, h, m] = /^(\d{4}-\d{2}-\d{2})\D+(\d{2}):(\d{2})$/.exec(f.format(instant))!;
  return { day: d!, minute: Number(h) * 60 + Number(m) };
}

/** Any day 1900-2199, weighted towards month ends, where clamping happens. */
const anyDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const monthEnd = fc
  .record({ year: fc.integer({ min: 1900, max: 2199 }), month: fc.integer({ min: 1, max: 12 }), back: fc.integer({ min: 0, max: 3 }) })
  .map(({ year, month, back }) => `${year}-${pad(month)}-${pad(daysInMonth(year, month) - back)}`);
const day = fc.oneof(anyDay, monthEnd);

/** Days where offsets are whole hours or more recent history; zones' early LMT offsets carry seconds. */
const modernDay = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** The weeks around New York's and Santiago's DST changes, so the edges are hit often. */
const dstSeasonDay = fc
  .record({ year: fc.integer({ min: 1971, max: 2099 }), month: fc.constantFrom(3, 4, 9, 10, 11), date: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, date }) => `${year}-${pad(month)}-${pad(date)}`);
const siteDayArb = fc.oneof(modernDay, dstSeasonDay);
// Shanghai: the product's zone; New York: DST at 02:00; Santiago: DST at midnight; Kolkata: a half-hour offset.
const zone = fc.constantFrom('Asia/Shanghai', 'America/New_York', 'America/Santiago', 'Asia/Kolkata');

describe('parseOffset', () => {
  it.each([
    ['P3M', { years: 0, months: 3, weeks: 0, days: 0 }],
    ['P1Y', { years: 1, months: 0, weeks: 0, days: 0 }],
    ['P2Y6M', { years: 2, months: 6, weeks: 0, days: 0 }],
    ['P2W', { years: 0, months: 0, weeks: 2, days: 0 }],
    ['P10D', { years: 0, months: 0, weeks: 0, days: 10 }],
    ['P1Y2M3D', { years: 1, months: 2, weeks: 0, days: 3 }],
  ])('reads %s', (iso, expected) => {
    expect(parseOffset(iso)).toEqual(expected);
  });

  it.each(['', 'P', 'PT1H', 'P1DT2H', 'P-1M', '-P1M', 'P1.5M', 'p3m', 'P1M1Y', '3M', 'P3M '])('refuses %j', (iso) => {
    expect(() => parseOffset(iso)).toThrow(ValidationError);
  });
});

describe('addOffset', () => {
  it.each([
    ['2026-11-30', 'P3M', '2027-02-28'],
    ['2024-02-29', 'P1Y', '2025-02-28'],
    ['2027-01-31', 'P1M', '2027-02-28'],
    ['2024-01-31', 'P1M', '2024-02-29'],
    ['2026-08-31', 'P2Y6M', '2029-02-28'],
    ['2026-11-23', 'P2W', '2026-12-07'],
    ['2026-12-25', 'P10D', '2027-01-04'],
    ['2026-01-31', 'P1Y1M1D', '2027-03-01'],
  ])('%s + %s = %s', (from, offset, expected) => {
    expect(addOffset(from, offset)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-01', '2026-01-01T00:00'])('refuses the day %j', (bad) => {
    expect(() => addOffset(bad, 'P1D')).toThrow(ValidationError);
  });

  it('lands on a real calendar day, after the original', () => {
    const offset = fc
      .record({ y: fc.nat(30), m: fc.nat(40), w: fc.nat(10), d: fc.nat(400) })
      .filter(({ y, m, w, d }) => y + m + w + d > 0)
      .map(({ y, m, w, d }) => `P${y ? `${y}Y` : ''}${m ? `${m}M` : ''}${w ? `${w}W` : ''}${d ? `${d}D` : ''}`);
    fc.assert(
      fc.property(day, offset, (from, iso) => {
        const to = addOffset(from, iso);
        expect(fromUtc(utc(to))).toBe(to);
        expect(to > from).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps the day of month, clamped to the target month end', () => {
    fc.assert(
      fc.property(day, fc.nat(30), fc.nat(40), (from, years, months) => {
        fc.pre(years + months > 0);
        const [y, m, d] = ymd(from);
        const total = m - 1 + years * 12 + months;
        const [ty, tm] = [y + Math.floor(total / 12), (total % 12) + 1];
        expect(addOffset(from, `P${years}Y${months}M`)).toBe(`${ty}-${pad(tm)}-${pad(Math.min(d, daysInMonth(ty, tm)))}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('counts weeks and days as exact days', () => {
    fc.assert(
      fc.property(day, fc.nat(20), fc.nat(1000), (from, weeks, days) => {
        fc.pre(weeks + days > 0);
        expect(utc(addOffset(from, `P${weeks}W${days}D`)) - utc(from)).toBe((weeks * 7 + days) * DAY_MS);
      }),
      { numRuns: RUNS },
    );
  });

  it('adds months before days, like doing them one after the other', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 60 }), (from, months, days) => {
        expect(addOffset(from, `P${months}M${days}D`)).toBe(addOffset(addOffset(from, `P${months}M`), `P${days}D`));
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps P3M in order: a later delivery is never due earlier', () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addOffset(early, 'P3M') <= addOffset(late, 'P3M')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('does not drift: computed from the original, never from the last due date', () => {
    fc.assert(
      fc.property(monthEnd, fc.integer({ min: 1, max: 12 }), (from, k) => {
        let iterated = from;
        for (let i = 0; i < k; i++) iterated = addOffset(iterated, 'P3M');
        const direct = addOffset(from, `P${3 * k}M`);
        // Same month either way; iterating can only lose days to an earlier short month.
        expect(iterated.slice(0, 7)).toBe(direct.slice(0, 7));
        expect(iterated <= direct).toBe(true);
        const [ty, tm] = ymd(direct);
        expect(ymd(direct)[2]).toBe(Math.min(ymd(from)[2], daysInMonth(ty, tm)));
      }),
      { numRuns: RUNS },
    );
  });

  it('drifts when iterated, which is why it is not', () => {
    expect(addOffset(addOffset('2026-11-30', 'P3M'), 'P3M')).toBe('2027-05-28');
    expect(addOffset('2026-11-30', 'P6M')).toBe('2027-05-30');
  });
});

describe('the process zone', () => {
  it('plays no part', () => {
    const saved = process.env.TZ;
    // Kiritimati skipped 1994-12-31 when it moved across the date line.
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(new Date(1994, 11, 31).getDate()).not.toBe(31);
      expect(addOffset('1994-09-30', 'P3M')).toBe('1994-12-30');
      expect(addOffset('1994-12-30', 'P1D')).toBe('1994-12-31');
      expect(atSiteTime('1994-12-31', '00:00', 'Asia/Shanghai').toISOString()).toBe('1994-12-30T16:00:00.000Z');
      expect(siteDay(new Date('1994-12-30T16:00:00Z'), 'Asia/Shanghai')).toBe('1994-12-31');
      expect(daysBetween('1994-12-29', '1995-01-01')).toEqual(['1994-12-30', '1994-12-31', '1995-01-01']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('siteDay and atSiteTime', () => {
  it('turns the day at site midnight', () => {
    expect(siteDay(new Date('2026-11-23T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-24');
    expect(siteDay(new Date('2026-11-23T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-23');
  });

  it('places a wall-clock time in the zone', () => {
    expect(atSiteTime('2026-11-23', '09:30', 'Asia/Shanghai').toISOString()).toBe('2026-11-23T01:30:00.000Z');
    expect(atSiteTime('2026-11-23', '00:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(atSiteTime('2026-07-01', '09:30', 'America/New_York').toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect(atSiteTime('2026-12-01', '09:30', 'America/New_York').toISOString()).toBe('2026-12-01T14:30:00.000Z');
  });

  it('moves a time skipped by DST to the first one that exists', () => {
    expect(atSiteTime('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it.each(['9:30', '24:00', '09:60', '0930'])('refuses the time %j', (bad) => {
    expect(() => atSiteTime('2026-11-23', bad, 'Asia/Shanghai')).toThrow(ValidationError);
  });

  it('keeps 00:00 and 23:59 on their own day, with the neighbours on theirs', () => {
    fc.assert(
      fc.property(siteDayArb, zone, (d, tz) => {
        const first = atSiteTime(d, '00:00', tz);
        const next = atSiteTime(shift(d, 1), '00:00', tz);
        expect(siteDay(first, tz)).toBe(d);
        expect(siteDay(atSiteTime(d, '23:59', tz), tz)).toBe(d);
        expect(siteDay(new Date(first.getTime() - 1), tz)).toBe(shift(d, -1));
        expect(siteDay(new Date(next.getTime() - 1), tz)).toBe(d);
        // A site day lasts 23 to 25 hours.
        expect(next.getTime() - first.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);
        expect(next.getTime() - first.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees with Intl on the site day of instants around site midnight', () => {
    fc.assert(
      fc.property(siteDayArb, zone, fc.integer({ min: -3 * MINUTE, max: 3 * MINUTE }), (d, tz, delta) => {
        const instant = new Date(atSiteTime(d, '00:00', tz).getTime() + delta);
        expect(siteDay(instant, tz)).toBe(wall(instant, tz).day);
      }),
      { numRuns: RUNS },
    );
  });

  it("moves a time skipped by China's 1988 summer-time jump to the first one after it", () => {
    expect(atSiteTime('1988-04-17', '02:00', 'Asia/Shanghai').toISOString()).toBe('1988-04-16T18:00:00.000Z');
    expect(wall(atSiteTime('1988-04-17', '02:00', 'Asia/Shanghai'), 'Asia/Shanghai').minute).toBe(180);
  });

  it('shows the asked wall-clock time, or the first after a DST gap', () => {
    fc.assert(
      fc.property(siteDayArb, zone, fc.integer({ min: 0, max: 1439 }), (d, tz, minute) => {
        const at = wall(atSiteTime(d, hhmm(minute), tz), tz);
        expect(at.day).toBe(d);
        // China kept summer time from 1986 to 1991; Kolkata has had none since 1945.
        const noGap = tz === 'Asia/Kolkata' || (tz === 'Asia/Shanghai' && d >= '1992-01-01');
        if (noGap) expect(at.minute).toBe(minute);
        else expect([minute, minute + 60]).toContain(at.minute);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('daysBetween', () => {
  it('lists the missed days in order, today last', () => {
    expect(daysBetween('2026-11-20', '2026-11-23')).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('does only today on a first run, and nothing once done', () => {
    expect(daysBetween(null, '2026-11-23')).toEqual(['2026-11-23']);
    expect(daysBetween('2026-11-23', '2026-11-23')).toEqual([]);
    expect(daysBetween('2026-11-24', '2026-11-23')).toEqual([]);
  });

  it('catches up at most maxDays', () => {
    expect(daysBetween('2026-01-01', '2026-11-23', 3)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(daysBetween('2026-01-01', '2026-11-23')).toHaveLength(31);
    expect(() => daysBetween(null, '2026-11-23', 0)).toThrow(RangeError);
  });

  const span = fc.record({ from: modernDay, gap: fc.integer({ min: -5, max: 100 }), max: fc.integer({ min: 1, max: 60 }) });

  it('gives consecutive days after the last done, ending today, capped', () => {
    fc.assert(
      fc.property(span, ({ from, gap, max }) => {
        const to = shift(from, gap);
        const days = daysBetween(from, to, max);
        expect(days).toHaveLength(Math.max(0, Math.min(gap, max)));
        if (days.length === 0) return;
        expect(days.at(-1)).toBe(to);
        expect(days[0]! > from).toBe(true);
        for (const [i, d] of days.slice(1).entries()) expect(d).toBe(shift(days[i]!, 1));
      }),
      { numRuns: RUNS },
    );
  });

  it('splits: two catch-ups do what one would', () => {
    fc.assert(
      fc.property(modernDay, fc.nat(40), fc.nat(40), (a, ab, bc) => {
        const [b, c] = [shift(a, ab), shift(a, ab + bc)];
        expect([...daysBetween(a, b, 1000), ...daysBetween(b, c, 1000)]).toEqual(daysBetween(a, c, 1000));
        expect(daysBetween(c, c)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('birthdays', () => {
  it('greets 29 February on 28 February in other years, and once only in leap years', () => {
    expect(birthdaysOn('2027-02-28')).toEqual(['02-28', '02-29']);
    expect(birthdaysOn('2028-02-28')).toEqual(['02-28']);
    expect(birthdaysOn('2028-02-29')).toEqual(['02-29']);
    expect(birthdaysOn('2100-02-28')).toEqual(['02-28', '02-29']);
    expect(birthdayMatches('02-29', '2027-02-28')).toBe(true);
    expect(birthdayMatches('02-29', '2028-02-28')).toBe(false);
    expect(birthdayMatches('02-29', '2028-02-29')).toBe(true);
    expect(birthdayMatches('11-23', '2026-11-23')).toBe(true);
  });

  const birthday = fc
    .record({ month: fc.integer({ min: 1, max: 12 }), date: fc.integer({ min: 1, max: 31 }) })
    .filter(({ month, date }) => date <= daysInMonth(2000, month))
    .map(({ month, date }) => `${pad(month)}-${pad(date)}`);

  it('matches every birthday on exactly one day of every year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), fc.oneof(birthday, fc.constant('02-29')), (year, b) => {
        const matches: string[] = [];
        for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += DAY_MS) {
          if (birthdayMatches(b, fromUtc(ms))) matches.push(fromUtc(ms));
        }
        expect(matches).toEqual([b === '02-29' && !isLeap(year) ? `${year}-02-28` : `${year}-${b}`]);
      }),
      { numRuns: 600 },
    );
  });

  it("always looks up the day's own key", () => {
    fc.assert(
      fc.property(day, (d) => {
        expect(birthdaysOn(d)[0]).toBe(d.slice(5));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('quietUntil', () => {
  const night = { start: '21:00', end: '09:00' };
  const tz = 'Asia/Shanghai';
  const at = (local: string): Date => new Date(`${local}+08:00`);

  it.each([
    ['2026-11-23T22:00:00', '2026-11-24T09:00:00'],
    ['2026-11-23T21:00:00', '2026-11-24T09:00:00'],
    ['2026-11-23T23:59:59', '2026-11-24T09:00:00'],
    ['2026-11-24T00:00:00', '2026-11-24T09:00:00'],
    ['2026-11-24T08:59:00', '2026-11-24T09:00:00'],
    ['2026-11-24T08:59:59.999', '2026-11-24T09:00:00'],
    ['2026-12-31T22:30:00', '2027-01-01T09:00:00'],
  ])('defers a message at %s to %s', (local, until) => {
    expect(quietUntil(at(local), night, tz)).toEqual(at(until));
  });

  it.each(['2026-11-24T09:00:00', '2026-11-24T12:00:00', '2026-11-24T20:59:59.999'])('lets a message at %s go', (local) => {
    expect(quietUntil(at(local), night, tz)).toBeNull();
  });

  it('handles a window within one day', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(quietUntil(at('2026-11-24T12:00:00'), lunch, tz)).toEqual(at('2026-11-24T14:00:00'));
    expect(quietUntil(at('2026-11-24T13:59:00'), lunch, tz)).toEqual(at('2026-11-24T14:00:00'));
    expect(quietUntil(at('2026-11-24T14:00:00'), lunch, tz)).toBeNull();
    expect(quietUntil(at('2026-11-24T22:00:00'), lunch, tz)).toBeNull();
  });

  it('has no quiet hours when start equals end', () => {
    expect(quietUntil(at('2026-11-24T03:00:00'), { start: '09:00', end: '09:00' }, tz)).toBeNull();
  });

  it('ends quiet hours when the clocks jump past the end', () => {
    // New York skips 02:00-03:00 on 2026-03-08: a window ending at 02:30 ends at 03:00 EDT.
    expect(quietUntil(new Date('2026-03-08T06:30:00Z'), { start: '01:00', end: '02:30' }, 'America/New_York')).toEqual(new Date('2026-03-08T07:00:00Z'));
  });

  it('waits for the repeated end when the first one has passed', () => {
    // New York repeats 01:00-02:00 on 2026-11-01; at 01:15 EST the 01:30 EDT is already gone.
    expect(quietUntil(new Date('2026-11-01T06:15:00Z'), { start: '00:00', end: '01:30' }, 'America/New_York')).toEqual(new Date('2026-11-01T06:30:00Z'));
  });

  /** The oracle's check: not quiet means null; quiet means the first whole minute out of it. */
  function checkQuietUntil(when: Date, w: { start: string; end: string }, z: string): void {
    const [start, end] = [w.start, w.end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))) as [number, number];
    const quiet = (t: Date): boolean => {
      const m = wall(t, z).minute;
      return start <= end ? m >= start && m < end : m >= start || m < end;
    };
    const until = quietUntil(when, w, z);
    if (!quiet(when)) {
      expect(until).toBeNull();
      return;
    }
    expect(until).not.toBeNull();
    expect(until!.getTime()).toBeGreaterThan(when.getTime());
    expect(quiet(until!)).toBe(false);
    for (let t = Math.ceil(when.getTime() / MINUTE) * MINUTE; t < until!.getTime(); t += MINUTE) {
      if (!quiet(new Date(t))) expect.fail(`${new Date(t).toISOString()} is not quiet, yet ${when.toISOString()} waits until ${until!.toISOString()} in ${z}`);
    }
  }

  it('returns the first instant out of quiet hours, at minute granularity', () => {
    const window = fc.oneof(
      fc.constant(night),
      fc
        .record({ start: fc.integer({ min: 0, max: 1439 }), end: fc.integer({ min: 0, max: 1439 }) })
        .map(({ start, end }) => ({ start: hhmm(start), end: hhmm(end) })),
    );
    const instant = siteDayArb.chain((d) => fc.integer({ min: 0, max: DAY_MS - 1 }).map((ms) => new Date(utc(d) + ms)));
    fc.assert(fc.property(instant, window, zone, checkQuietUntil), { numRuns: RUNS });
  });

  it('does so across the night New York changes its clocks', () => {
    // Since 2007: forward at 02:00 on March's second Sunday, back at 02:00 on November's first.
    const sunday = (year: number, month: number, nth: number): string => {
      const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
      return `${year}-${pad(month)}-${pad(1 + ((7 - first) % 7) + (nth - 1) * 7)}`;
    };
    const night = fc
      .record({ year: fc.integer({ min: 2007, max: 2099 }), spring: fc.boolean() })
      .map(({ year, spring }) => (spring ? sunday(year, 3, 2) : sunday(year, 11, 1)));
    // Windows and instants within the small hours, where skipped and repeated times live;
    // fewer runs, as both the rule and the oracle walk minutes on these nights.
    const early = fc.integer({ min: 0, max: 240 });
    fc.assert(
      fc.property(night, early, early, fc.integer({ min: 0, max: 5 * 60 * MINUTE }), (d, start, end, ms) => {
        checkQuietUntil(new Date(atSiteTime(d, '00:00', 'America/New_York').getTime() + ms), { start: hhmm(start), end: hhmm(end) }, 'America/New_York');
      }),
      { numRuns: RUNS / 2 },
    );
  });
});

describe('isCalendarDay', () => {
  it.each(['2026-11-23', '2028-02-29', '1000-01-01', '9999-12-31'])('takes %s', (day) => {
    expect(isCalendarDay(day)).toBe(true);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '0999-12-31', '0000-01-01', '2026-1-01', '2026-11-23T00:00:00Z', ''])('refuses %s', (day) => {
    expect(isCalendarDay(day)).toBe(false);
  });

  it('is the rule the API holds a day and a birthday to', () => {
    expect(Day.safeParse('0999-12-31').success).toBe(false);
    expect(Day.safeParse('2028-02-29').success).toBe(true);
    expect(Birthday.safeParse('02-29').success).toBe(true);
    expect(Birthday.safeParse('02-30').success).toBe(false);
  });
});
