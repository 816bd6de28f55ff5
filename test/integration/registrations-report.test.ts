import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
type Person = ReturnType<typeof staff>;
/** A rep whose name is not her id, as every real one's is. */
const li = staff('sales', 'rep-li', ['rg1']);

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'rg1');
  expect((await api.call(admin, 'POST', '/v1/sites/rg1/staff', { body: { id: li.sub, name: '李娜', role: 'sales' } })).status).toBe(201);
});
afterAll(() => api.close());

const intake = async (who: Person, channel: string, phone = freshPhone()) => {
  const res = await api.call(who, 'POST', '/v1/customers', { body: { siteId: 'rg1', name: '陈静', phone, channel } });
  expect([200, 201]).toContain(res.status);
};
const report = (who: Person | typeof admin, query = 'siteId=rg1&from=2026-11-23&to=2026-11-24', headers: Record<string, string> = {}) =>
  api.call(who, 'GET', `/v1/reports/registrations?${query}`, { headers });

describe('the registrations report', () => {
  beforeAll(async () => {
    api.clock.current = new Date('2026-11-23T02:00:00Z');
    await intake(s.repA, 'walk_in');
    await intake(s.repA, 'walk_in');
    const phone = freshPhone();
    await intake(s.repA, 'phone', phone);
    await intake(s.repB, 'referral', phone); // a known phone: a reception for repB, no new customer
    api.clock.current = new Date('2026-11-24T02:00:00Z');
    await intake(s.repB, 'event');
    await intake(li, 'partner');
  });

  it('counts, per day, who registered how many through which source, the new customers with them', async () => {
    const res = await report(s.manager);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { date: '2026-11-23', staffId: s.repA.sub, name: s.repA.sub, channel: 'phone', receptions: 1, newCustomers: 1 },
      { date: '2026-11-23', staffId: s.repA.sub, name: s.repA.sub, channel: 'walk_in', receptions: 2, newCustomers: 2 },
      { date: '2026-11-23', staffId: s.repB.sub, name: s.repB.sub, channel: 'referral', receptions: 1, newCustomers: 0 },
      { date: '2026-11-24', staffId: li.sub, name: '李娜', channel: 'partner', receptions: 1, newCustomers: 1 },
      { date: '2026-11-24', staffId: s.repB.sub, name: s.repB.sub, channel: 'event', receptions: 1, newCustomers: 1 },
    ]);
  });

  it('gives a sales rep their own rows only, and refuses a service agent and another site', async () => {
    const mine = await report(s.repB);
    expect(mine.body.rows.map((r: { staffId: string }) => r.staffId)).toEqual([s.repB.sub, s.repB.sub]);
    expect((await report(s.service)).status).toBe(403);
    expect((await report(staff('manager', 'mgr-other', ['elsewhere']))).status).toBe(403);
  });

  it('answers one CSV line per row, titled in Chinese, with the staff member by name and the source in Chinese', async () => {
    const res = await report(admin, undefined, { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    const lines = String(res.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toEqual([
      '日期,员工,来源,接待,新客户',
      `2026-11-23,${s.repA.sub},来电,1,1`,
      `2026-11-23,${s.repA.sub},来店,2,2`,
      `2026-11-23,${s.repB.sub},转介绍,1,0`,
      '2026-11-24,李娜,渠道,1,1',
      `2026-11-24,${s.repB.sub},活动,1,1`,
    ]);
  });
});
