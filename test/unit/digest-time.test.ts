import { describe, expect, it } from 'vitest';
import { closedLateOn, digestDueAt, openTask, type Customer, type Task } from '@guanjia/core';

const shanghai = (start: string, end: string) => ({ quietHours: { start, end }, timezone: 'Asia/Shanghai' });

describe('when the evening digest is due', () => {
  it('is a quarter of an hour before the site’s quiet hours start', () => {
    expect(digestDueAt(shanghai('21:00', '09:00'), '2026-11-25').toISOString()).toBe('2026-11-25T12:45:00.000Z');
    expect(digestDueAt(shanghai('22:30', '08:00'), '2026-11-25').toISOString()).toBe('2026-11-25T14:15:00.000Z');
  });

  it('is before 21:00 for a site whose quiet hours start in the morning, or that has none', () => {
    expect(digestDueAt(shanghai('00:30', '07:00'), '2026-11-25').toISOString()).toBe('2026-11-25T12:45:00.000Z');
    expect(digestDueAt(shanghai('09:00', '09:00'), '2026-11-25').toISOString()).toBe('2026-11-25T12:45:00.000Z');
  });

  it('is on the site’s own clock', () => {
    expect(digestDueAt({ quietHours: { start: '21:00', end: '09:00' }, timezone: 'America/New_York' }, '2026-11-25').toISOString()).toBe(
      '2026-11-26T01:45:00.000Z',
    );
  });
});

describe('a follow-up closed late', () => {
  const customer = { id: 'c1', siteId: 's1', ownerId: 'rep1' } as Customer;
  const dueAt = new Date('2026-11-25T01:30:00Z'); // 09:30 on the 25th in Shanghai
  const followUp = openTask({ ids: { next: () => 't1' } }, 'follow_up', customer, dueAt, '2026-11-23T01:30:00Z') as Task;

  it('is filed under the site day it closed when that is after its due day', () => {
    expect(closedLateOn(followUp, '2026-11-27T02:00:00Z', 'Asia/Shanghai')).toBe('2026-11-27');
    expect(closedLateOn(followUp, '2026-11-25T16:00:00Z', 'Asia/Shanghai')).toBe('2026-11-26'); // 00:00 on the 26th
  });

  it('is not filed when closed on its due day, late by hours, or before it', () => {
    expect(closedLateOn(followUp, '2026-11-25T15:59:59Z', 'Asia/Shanghai')).toBeUndefined();
    expect(closedLateOn(followUp, '2026-11-24T02:00:00Z', 'Asia/Shanghai')).toBeUndefined();
  });

  it('is a follow-up: other tasks are not counted as overdue', () => {
    expect(closedLateOn({ ...followUp, kind: 'escalation' } as Task, '2026-11-27T02:00:00Z', 'Asia/Shanghai')).toBeUndefined();
  });
});
