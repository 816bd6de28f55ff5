import { describe, expect, it } from 'vitest';
import { leadFigures, type Customer } from '@guanjia/core';

const at = new Date('2026-11-30T16:30:00Z'); // 1 December 00:30 in Shanghai, still 30 November in New York
const lead = (extra: Partial<Customer> = {}): Customer =>
  ({ id: 'c1', siteId: 's1', ownerId: 'rep-a', stage: 'lead', leadType: 'direct', intentLevel: 'C', ...extra }) as Customer;

describe('the lead figures of a change', () => {
  it('count a new lead for its owner by level and type, in the site month', () => {
    expect(leadFigures(null, lead({ intentLevel: null, leadType: 'key_person' }), at, 'Asia/Shanghai')).toEqual([
      { siteId: 's1', staffId: 'rep-a', month: '2026-12', gauge: { total: 1, unrated: 1, keyPerson: 1 }, events: {} },
    ]);
    expect(leadFigures(null, lead(), at, 'America/New_York')[0]!.month).toBe('2026-11');
  });

  it('call C→B an upgrade and B→C a downgrade, and a first rating neither', () => {
    expect(leadFigures(lead(), lead({ intentLevel: 'B' }), at, 'Asia/Shanghai')).toEqual([
      { siteId: 's1', staffId: 'rep-a', month: '2026-12', gauge: { C: -1, B: 1 }, events: { upgraded: 1 } },
    ]);
    expect(leadFigures(lead({ intentLevel: 'B' }), lead(), at, 'Asia/Shanghai')[0]!.events).toEqual({ downgraded: 1 });
    expect(leadFigures(lead({ intentLevel: null }), lead({ intentLevel: 'H' }), at, 'Asia/Shanghai')[0]).toMatchObject({
      gauge: { unrated: -1, H: 1 },
      events: {},
    });
  });

  it('take a signed lead off its owner and count the signing', () => {
    expect(leadFigures(lead(), lead({ stage: 'customer' }), at, 'Asia/Shanghai')).toEqual([
      { siteId: 's1', staffId: 'rep-a', month: '2026-12', gauge: { total: -1, C: -1, direct: -1 }, events: { signed: 1 } },
    ]);
  });

  it('move a lead from one rep to the other when its owner changes', () => {
    const moved = leadFigures(lead(), lead({ ownerId: 'rep-b' }), at, 'Asia/Shanghai');
    expect(moved.map((m) => [m.staffId, m.gauge])).toEqual([
      ['rep-a', { total: -1, C: -1, direct: -1 }],
      ['rep-b', { total: 1, C: 1, direct: 1 }],
    ]);
  });

  it('move nothing when nothing it counts changed', () => {
    expect(leadFigures(lead(), lead({ name: '改名' }), at, 'Asia/Shanghai')).toEqual([]);
    expect(leadFigures(lead({ stage: 'owner' }), lead({ stage: 'owner', intentLevel: 'H' }), at, 'Asia/Shanghai')).toEqual([]);
  });
});
