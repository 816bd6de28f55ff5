import { describe, expect, it } from 'vitest';
import { rankDesigners, type DesignerProfile } from '@guanjia/core';
import { aCustomer, aSite } from '../support/fixtures.ts';

const NOW = new Date('2027-03-01T00:00:00Z');
const site = aSite({ kind: 'decoration' });

const profile = (staffId: string, overrides: Partial<DesignerProfile> = {}): DesignerProfile => ({
  siteId: site.id,
  staffId,
  name: staffId,
  level: 'excellent',
  styles: ['北欧'],
  capacityPerYear: 30,
  languages: [],
  notes: null,
  recent: [],
  updatedAt: NOW.toISOString(),
  updatedBy: 'mgr',
  version: 1,
  ...overrides,
});

const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('ranking designers', () => {
  it('weighs no fee against the budget when the area or budget is unknown, and says so', () => {
    const [only] = rankDesigners(aCustomer(site.id, 'rep', { needs: { area: 100 } }), site, [], [profile('d1')], NOW);
    expect(only).toMatchObject({
      fee: 6_000,
      reasons: [{ code: 'fee_unknown', params: { feePerM2: 60 } }, { code: 'style_not_asked' }, { code: 'capacity_left' }],
    });
  });

  it('counts only the assignments of the last 365 days, and puts a fully booked designer behind one with room', () => {
    const customer = aCustomer(site.id, 'rep', { needs: { area: 100, budget: 100_000 } });
    const full = profile('d-full', { capacityPerYear: 2, recent: [daysAgo(10), daysAgo(20), daysAgo(400)] });
    const free = profile('d-free', { capacityPerYear: 2, recent: [daysAgo(400)] });
    const ranked = rankDesigners(customer, { ...site, matchMargin: 0 }, ['北欧'], [full, free], NOW);
    expect(ranked.map((c) => [c.staffId, c.assignmentsLastYear, c.remaining])).toEqual([
      ['d-free', 0, 2],
      ['d-full', 2, 0],
    ]);
    expect(ranked[1]!.reasons.at(-1)).toEqual({ code: 'capacity_full', params: { capacity: 2 } });
  });

  it('puts the less loaded of equals first, saying why, but never ahead of a clearly better fit', () => {
    // A design budget of 50,000: the 副主任's 9,600 scores a little above the 优秀's 4,800, within the margin.
    const customer = aCustomer(site.id, 'rep', { needs: { area: 80, budget: 500_000 } });
    const busy = profile('d-busy', { level: 'deputy_chief', recent: [daysAgo(1), daysAgo(2)] });
    const idle = profile('d-idle', { styles: ['北欧'] });
    const offStyle = profile('d-off', { styles: ['法式'] });
    const ranked = rankDesigners(customer, site, ['北欧'], [busy, offStyle, idle], NOW);
    expect(ranked.map((c) => c.staffId)).toEqual(['d-idle', 'd-busy', 'd-off']);
    expect(ranked[1]!.score).toBeGreaterThan(ranked[0]!.score);
    expect(ranked[0]!.reasons.at(-1)).toEqual({ code: 'fewer_assignments', params: { count: 0, margin: site.matchMargin } });
  });
});
