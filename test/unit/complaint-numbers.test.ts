import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_NUMBER } from '@guanjia/core';
import { drawComplaintNumber } from '@guanjia/core/complaint-numbers';

describe('complaint numbers', () => {
  it('read as the site day filed and four drawn digits', () => {
    expect(drawComplaintNumber('2026-11-23', () => 417)).toBe('2611230417');
    expect(drawComplaintNumber('2027-01-05', () => 0)).toBe('2701050000');
  });

  it('are ten digits at most for every day of the century and every draw', () => {
    const days = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 9999 }), (day, drawn) => {
        const number = drawComplaintNumber(day, () => drawn);
        expect(number).toMatch(COMPLAINT_NUMBER);
        expect(number).toHaveLength(10);
        expect(number.startsWith(day.slice(2).replaceAll('-', ''))).toBe(true);
      }),
    );
  });

  it('draw from all ten thousand endings, not a few', () => {
    const endings = new Set(Array.from({ length: 2000 }, () => drawComplaintNumber('2026-11-23').slice(6)));
    expect(endings.size).toBeGreaterThan(1500);
  });
});
