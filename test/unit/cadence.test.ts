import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSiteDays, DEFAULT_CADENCE, firstFollowUpDue, nextFollowUpDue } from '@guanjia/core';

const day = 24 * 60 * 60 * 1000;

describe('follow-up cadence', () => {
  const now = new Date('2026-11-23T01:30:00Z');

  it('calls a first visit back within two days', () => {
    expect(firstFollowUpDue(now, DEFAULT_CADENCE, 'Asia/Shanghai').toISOString()).toBe('2026-11-25T01:30:00.000Z');
  });

  it.each([
    ['H', 2],
    ['A', 7],
    ['B', 14],
    ['C', 30],
    [null, 3],
  ] as const)('level %s waits %i days', (level, days) => {
    expect(nextFollowUpDue(now, DEFAULT_CADENCE, level, 'Asia/Shanghai').getTime() - now.getTime()).toBe(days * day);
  });

  it('uses the site cadence when it has its own', () => {
    expect(nextFollowUpDue(now, { ...DEFAULT_CADENCE, H: 1 }, 'H', 'Asia/Shanghai').getTime() - now.getTime()).toBe(day);
  });

  it('keeps the local time of day across a daylight-saving change', () => {
    // New York leaves DST on 2026-11-01: one calendar day there is 25 hours.
    const before = new Date('2026-10-31T13:00:00Z'); // 09:00 local
    expect(addSiteDays(before, 1, 'America/New_York').toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('moves by whole days in Asia/Shanghai for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 365 }),
        (from, days) => {
          expect(addSiteDays(from, days, 'Asia/Shanghai').getTime() - from.getTime()).toBe(days * day);
        },
      ),
    );
  });
});
