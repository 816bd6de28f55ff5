import { describe, expect, it } from 'vitest';
import { NO_STAFF, recount, summed, type Complaint, type ComplaintEntry, type Customer, type CustomerChange, type SiteRecords } from '@guanjia/core';

const TZ = 'Asia/Shanghai';
const lead = (extra: Partial<Customer> = {}): Customer =>
  ({
    id: 'c1',
    siteId: 's1',
    ownerId: 'rep-a',
    stage: 'lead',
    leadType: 'direct',
    intentLevel: 'C',
    createdAt: '2026-10-30T02:00:00.000Z',
    updatedAt: '2026-11-02T02:00:00.000Z',
    ...extra,
  }) as Customer;
const change = (field: CustomerChange['field'], from: string | null, to: string | null, at: string, via: CustomerChange['via'] = 'update'): CustomerChange => ({
  id: `${field}-${at}`,
  customerId: 'c1',
  siteId: 's1',
  field,
  from,
  to,
  by: 'mgr',
  via,
  at,
});
const none: SiteRecords = { customers: [], callbacks: [], complaints: [] };
const byMonth = (records: SiteRecords) =>
  Object.fromEntries(
    summed(
      recount(records, TZ).leads,
      (l) => `${l.month} ${l.staffId}`,
      (l) => ({ ...l.gauge, ...l.events }),
    ),
  );

describe('the recount of a site from its records', () => {
  it('replays a customer from its state at creation, taking the changes one fact logged together as one change', () => {
    // Re-rated twice, moved to rep-b in the same edit as the second re-rating, then signed.
    const now = lead({ ownerId: 'rep-b', intentLevel: 'A', stage: 'customer' });
    const changes = [
      change('intentLevel', 'C', 'B', '2026-10-31T02:00:00.000Z', 'interaction'),
      change('intentLevel', 'B', 'A', '2026-11-01T02:00:00.000Z'),
      change('ownerId', 'rep-a', 'rep-b', '2026-11-01T02:00:00.000Z'),
      change('stage', 'lead', 'customer', '2026-11-02T02:00:00.000Z'),
    ];
    const months = byMonth({ ...none, customers: [{ customer: now, receptions: [], interactions: [], changes }] });
    expect(months['2026-10 rep-a']).toMatchObject({ total: 1, B: 1, C: 0, upgraded: 1 });
    // The re-rating and the move landed as one fact: the upgrade counts for the new owner.
    expect(months['2026-11 rep-a']).toMatchObject({ total: -1, B: -1 });
    expect(months['2026-11 rep-b']).toMatchObject({ total: 0, A: 0, upgraded: 1, signed: 1 });
    expect(recount({ ...none, customers: [{ customer: now, receptions: [], interactions: [], changes }] }, TZ).gauges).toEqual([]);
  });

  it("counts a complaint's first answer, its closes by score for the assignee of the time, and no close a repair callback decided", () => {
    const complaint = {
      id: 'k1',
      siteId: 's1',
      filedBy: { kind: 'owner', id: 'o1' },
      createdAt: '2026-11-02T01:00:00.000Z',
      respondBy: '2026-11-03T01:00:00.000Z',
      respondedAt: '2026-11-02T03:00:00.000Z',
      responseMinutes: 120,
      assigneeId: 'svc-b',
      status: 'closed',
      satisfaction: 2,
    } as Complaint;
    const entry = (event: string, fromState: string, toState: string, at: string, by: string, details: Record<string, unknown> = {}) =>
      ({
        id: `${event}-${at}`,
        complaintId: 'k1',
        event,
        by: { kind: by === 'o1' ? 'owner' : 'staff', id: by },
        at,
        fromState,
        toState,
        details,
      }) as ComplaintEntry;
    const entries = [
      entry('received', 'received', 'received', '2026-11-02T01:00:00.000Z', 'o1'),
      entry('respond', 'received', 'responded', '2026-11-02T03:00:00.000Z', 'svc-a'),
      entry('respond', 'responded', 'responded', '2026-11-02T04:00:00.000Z', 'svc-b'),
      entry('assign', 'responded', 'responded', '2026-11-02T05:00:00.000Z', 'svc-a', { assigneeId: 'svc-a' }),
      entry('resolve', 'responded', 'resolved', '2026-11-03T05:00:00.000Z', 'svc-a'),
      entry('close', 'resolved', 'closed', '2026-11-04T05:00:00.000Z', 'o1', { satisfaction: 5 }),
      entry('reopen', 'closed', 'responded', '2026-11-05T05:00:00.000Z', 'o1'),
      entry('assign', 'responded', 'responded', '2026-11-05T06:00:00.000Z', 'svc-a', { assigneeId: 'svc-b' }),
      entry('resolve', 'responded', 'resolved', '2026-11-06T05:00:00.000Z', 'svc-b'),
      entry('close', 'resolved', 'closed', '2026-11-07T05:00:00.000Z', 'svc-c', { satisfaction: 4, callbackId: 'cb1' }),
    ];
    const figures = recount({ ...none, complaints: [{ complaint, entries }] }, TZ).figures;
    const byKey = Object.fromEntries(
      summed(
        figures,
        (f) => `${f.day} ${f.staffId}`,
        (f) => f.add,
      ),
    );
    expect(byKey).toEqual({
      [`2026-11-02 ${NO_STAFF}`]: { complaintsFiled: 1 },
      '2026-11-02 svc-a': { complaintsAnswered: 1, complaintsAnsweredInWindow: 1, responseMinutes: 120 },
      '2026-11-04 svc-a': { satisfactionCount: 1, satisfactionSum: 5, satisfied: 1 },
    });
  });
});
