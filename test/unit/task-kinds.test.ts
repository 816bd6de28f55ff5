import { describe, expect, it } from 'vitest';
import { createIds, openTask, type Task } from '@guanjia/core';
import { aCustomer } from '../support/fixtures.ts';

const ids = createIds();
const customer = aCustomer('site-1', 'rep-1');

/** The plan a task follows, read only where its kind has one. */
function planOf(task: Task): string | null {
  switch (task.kind) {
    case 'callback':
    case 'repair_callback':
      return task.plan.toUpperCase();
    default:
      return task.plan;
  }
}

describe('a task typed by its kind', () => {
  it('opens a follow-up with every detail of the other kinds null, as stored and served', () => {
    const followUp = openTask({ ids }, 'follow_up', customer, new Date('2027-01-02T00:00:00Z'), '2027-01-01T00:00:00.000Z');
    expect(followUp).toMatchObject({ kind: 'follow_up', plan: null, dueOn: null, deliveryId: null, complaintId: null, checklist: null });
    expect(planOf(followUp)).toBeNull();
  });

  it('gives a callback its plan, and refuses a callback without one when type-checked', () => {
    const opened = openTask({ ids }, 'callback', customer, new Date('2027-01-02T00:00:00Z'), '2027-01-01T00:00:00.000Z', null);
    const callback: Task = { ...opened, plan: 'p3m', dueOn: '2027-01-02', deliveryId: 'delivery-1', checklist: ['water'], assetLabel: '1-101' };
    expect(planOf(callback)).toBe('P3M');
    // @ts-expect-error a callback names its plan, its day, its delivery, its checklist and its asset
    const bare: Task = opened;
    expect(bare.plan).toBeNull();
  });
});
