import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOB_SCHEDULES, nextRun, toScheduleExpression, type JobSchedule } from '@guanjia/core';

const MINUTE = 60_000;
const schedule = (job: JobSchedule['job']): JobSchedule => JOB_SCHEDULES.find((s) => s.job === job)!;
const shanghai = (local: string): Date => new Date(`${local}+08:00`);

// Intl, not date-fns, reads the fire times back: an independent view of the zone.
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const wall = (at: Date): { minute: number; second: number } => {
  const [h, m, s] = clock.format(at).split(':').map(Number) as [number, number, number];
  return { minute: h * 60 + m, second: s };
};

describe('JOB_SCHEDULES', () => {
  it('defines each job once, in the site zone', () => {
    expect(JOB_SCHEDULES.map((s) => s.job).sort()).toEqual(['callbacks', 'care', 'day-close', 'outbox', 'sla']);
    for (const s of JOB_SCHEDULES) {
      expect(s.timezone).toBe('Asia/Shanghai');
      expect(s.description).not.toBe('');
      expect(Boolean(s.at) !== Boolean(s.every)).toBe(true);
    }
  });

  it('gives EventBridge Scheduler expressions', () => {
    expect(toScheduleExpression(schedule('callbacks'))).toBe('cron(30 9 * * ? *)');
    expect(toScheduleExpression(schedule('care'))).toBe('cron(0 10 * * ? *)');
    expect(toScheduleExpression(schedule('outbox'))).toBe('cron(0/1 * * * ? *)');
    expect(toScheduleExpression(schedule('sla'))).toBe('cron(0/15 * * * ? *)');
    expect(toScheduleExpression(schedule('day-close'))).toBe('cron(0/15 * * * ? *)');
  });

  it('keeps intervals on the wall clock: an hourly or two-hourly job on the hour', () => {
    const every = (minutes: number): JobSchedule => ({ job: 'sla', description: 'x', timezone: 'Asia/Shanghai', every: { minutes } });
    expect(toScheduleExpression(every(60))).toBe('cron(0 0/1 * * ? *)');
    expect(toScheduleExpression(every(120))).toBe('cron(0 0/2 * * ? *)');
  });

  it.each<[string, Partial<JobSchedule>]>([
    ['neither at nor every', {}],
    ['both at and every', { at: { hour: 9, minute: 0 }, every: { minutes: 5 } }],
    ['an hour out of range', { at: { hour: 24, minute: 0 } }],
    ['an interval that does not divide the day', { every: { minutes: 7 } }],
    ['an interval a cron cannot hold', { every: { minutes: 90 } }],
    ['a zero interval', { every: { minutes: 0 } }],
  ])('refuses %s', (_, timing) => {
    const bad: JobSchedule = { job: 'sla', description: 'x', timezone: 'Asia/Shanghai', ...timing };
    expect(() => toScheduleExpression(bad)).toThrow(RangeError);
    expect(() => nextRun(bad, new Date())).toThrow(RangeError);
  });
});

describe('nextRun', () => {
  it.each([
    ['callbacks', '2026-11-23T09:29:59.999', '2026-11-23T09:30:00'],
    ['callbacks', '2026-11-23T09:30:00', '2026-11-24T09:30:00'],
    ['callbacks', '2026-12-31T23:00:00', '2027-01-01T09:30:00'],
    ['care', '2026-11-23T00:00:00', '2026-11-23T10:00:00'],
    ['sla', '2026-11-23T10:07:00', '2026-11-23T10:15:00'],
    ['sla', '2026-11-23T10:15:00', '2026-11-23T10:30:00'],
    ['sla', '2026-11-23T23:50:00', '2026-11-24T00:00:00'],
    ['outbox', '2026-11-23T10:07:30', '2026-11-23T10:08:00'],
    ['outbox', '2026-11-23T23:59:00', '2026-11-24T00:00:00'],
  ] as const)('runs %s after %s at %s site time', (job, after, expected) => {
    expect(nextRun(schedule(job), shanghai(after))).toEqual(shanghai(expected));
  });

  const after = fc.date({ min: new Date('1992-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });

  it('fires strictly after, on its wall-clock time, and misses none in between', () => {
    fc.assert(
      fc.property(after, fc.constantFrom(...JOB_SCHEDULES), (from, s) => {
        const next = nextRun(s, from);
        const period = s.at ? 24 * 60 : s.every!.minutes;
        const at = wall(next);
        expect(next.getTime()).toBeGreaterThan(from.getTime());
        expect(at.second).toBe(0);
        expect(next.getUTCMilliseconds()).toBe(0);
        if (s.at) expect(at.minute).toBe(s.at.hour * 60 + s.at.minute);
        else expect(at.minute % s.every!.minutes).toBe(0);
        // Shanghai has kept no DST since 1991, so the previous run is exactly one period back, at or before `from`.
        expect(next.getTime() - period * MINUTE).toBeLessThanOrEqual(from.getTime());
        expect(nextRun(s, new Date(next.getTime() - 1))).toEqual(next);
      }),
      { numRuns: 2000 },
    );
  });

  it('chains into a steady beat', () => {
    fc.assert(
      fc.property(after, fc.constantFrom(...JOB_SCHEDULES), (from, s) => {
        const first = nextRun(s, from);
        const second = nextRun(s, first);
        expect(second.getTime() - first.getTime()).toBe((s.at ? 24 * 60 : s.every!.minutes) * MINUTE);
      }),
      { numRuns: 2000 },
    );
  });
});
