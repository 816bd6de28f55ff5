import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const HOUR = 3600_000;
const START = new Date('2026-11-23T01:30:00Z');

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const report = async (siteId: string, date?: string, who = admin) => {
  const res = await api.call(who, 'GET', `/v1/reports/daily-activity?siteId=${siteId}${date ? `&date=${date}` : ''}`);
  expect(res.status).toBe(200);
  return res.body as { siteId: string; date: string; rows: Record<string, any>[]; totals: Record<string, number> };
};
const rowOf = (body: { rows: Record<string, any>[] }, staffId: string) => body.rows.find((r) => r.staffId === staffId);
const zeros = { receptions: 0, newCustomers: 0, interactions: 0, followUpsDone: 0, followUpsOverdue: 0 };

async function intake(siteId: string, who: ReturnType<typeof staff>, phone = freshPhone(), headers: Record<string, string> = {}) {
  return api.call(who, 'POST', '/v1/customers', { body: { siteId, name: '王芳', phone, channel: 'walk_in' }, headers });
}

describe('the daily activity report', () => {
  it('counts receptions, new customers, contacts and follow-ups done for whoever did them, with a zero row for every other rep', async () => {
    api.clock.current = START;
    const s = await seedSite(api, 'da1');
    const phone = freshPhone();
    const first = await intake('da1', s.repA, phone);
    expect(first.status).toBe(201);
    expect((await intake('da1', s.repB, phone)).status).toBe(200);
    const id = first.body.customer.id as string;
    expect((await api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '约看房' } })).status).toBe(201);
    expect((await api.call(s.manager, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'visit', summary: '经理陪同' } })).status).toBe(201);

    const body = await report('da1');
    expect(body.date).toBe('2026-11-23');
    expect(rowOf(body, s.repA.sub)).toEqual({
      staffId: s.repA.sub,
      name: s.repA.sub,
      ...zeros,
      receptions: 1,
      newCustomers: 1,
      interactions: 1,
      followUpsDone: 1,
    });
    expect(rowOf(body, s.repB.sub)).toMatchObject({ ...zeros, receptions: 1 });
    expect(rowOf(body, s.manager.sub)).toMatchObject({ ...zeros, interactions: 1, followUpsDone: 1 });
    expect(rowOf(body, s.service.sub)).toBeUndefined();
    expect(body.totals).toEqual({ ...zeros, receptions: 2, newCustomers: 1, interactions: 2, followUpsDone: 2 });
  });

  it('lists every sales rep of a quiet site with zeros', async () => {
    api.clock.current = START;
    const s = await seedSite(api, 'da2');
    const body = await report('da2');
    expect(body.rows.map((r) => r.staffId).sort()).toEqual([s.repA.sub, s.repB.sub].sort());
    expect(body.totals).toEqual(zeros);
  });

  it('counts a reception, a contact and a completion once when the same Idempotency-Key is sent again, in turn or at once', async () => {
    api.clock.current = START;
    const s = await seedSite(api, 'da3');
    const key = { 'Idempotency-Key': 'intake-da3-1' };
    const phone = freshPhone();
    const [a, b] = await Promise.all([intake('da3', s.repA, phone, key), intake('da3', s.repA, phone, key)]);
    expect([a.status, b.status].sort()).toEqual(a.status === b.status ? [201, 201] : [201, 409]);
    const again = await intake('da3', s.repA, phone, key);
    expect(again.status).toBe(201);
    const id = again.body.customer.id as string;

    const contact = { body: { channel: 'call', summary: '回访' }, headers: { 'Idempotency-Key': 'contact-da3-1' } };
    await Promise.all([1, 2].map(() => api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, contact)));
    expect((await api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, contact)).status).toBe(201);

    const open = await api.call(s.repA, 'GET', '/v1/tasks?siteId=da3&kind=follow_up');
    const taskId = open.body.items[0].id as string;
    const done = { body: { outcome: 'reached' }, headers: { 'Idempotency-Key': 'complete-da3-1' } };
    await Promise.all([1, 2].map(() => api.call(s.repA, 'POST', `/v1/tasks/${taskId}/complete`, done)));
    expect((await api.call(s.repA, 'POST', `/v1/tasks/${taskId}/complete`, done)).status).toBe(200);

    expect(rowOf(await report('da3'), s.repA.sub)).toMatchObject({ receptions: 1, newCustomers: 1, interactions: 2, followUpsDone: 2 });
  });

  it('puts a contact at 23:59 and one at 00:01 Shanghai time on two days', async () => {
    api.clock.current = new Date('2026-11-23T15:00:00Z'); // 23:00 in Shanghai
    const s = await seedSite(api, 'da4');
    const id = (await intake('da4', s.repA)).body.customer.id as string;
    api.clock.current = new Date('2026-11-23T15:59:00Z');
    await api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '晚间回访' } });
    api.clock.current = new Date('2026-11-23T16:01:00Z');
    await api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '零点后回访' } });

    expect(rowOf(await report('da4', '2026-11-23'), s.repA.sub)).toMatchObject({ receptions: 1, interactions: 1 });
    expect(rowOf(await report('da4', '2026-11-24'), s.repA.sub)).toMatchObject({ receptions: 0, interactions: 1 });
    expect((await report('da4')).date).toBe('2026-11-24');
  });

  it("counts a New York site's activity on New York days", async () => {
    api.clock.current = new Date('2026-11-24T03:00:00Z'); // 22:00 on 23 November in New York
    const s = await seedSite(api, 'da5', { timezone: 'America/New_York' });
    expect((await intake('da5', s.repA)).status).toBe(201);
    const body = await report('da5');
    expect(body.date).toBe('2026-11-23');
    expect(rowOf(body, s.repA.sub)).toMatchObject({ receptions: 1, newCustomers: 1 });
    // Already the 24th in Shanghai, not yet in New York.
    expect((await api.call(admin, 'GET', '/v1/reports/daily-activity?siteId=da5&date=2026-11-24')).status).toBe(400);
    api.clock.current = new Date('2026-11-24T06:00:00Z');
    expect(rowOf(await report('da5', '2026-11-24'), s.repA.sub)).toMatchObject({ receptions: 0 });
    expect(rowOf(await report('da5', '2026-11-23'), s.repA.sub)).toMatchObject({ receptions: 1 });
  });

  it('counts a follow-up as overdue once its due time passed while open, today up to now and on a past day up to its end', async () => {
    api.clock.current = START; // Monday 23 November, 09:30 in Shanghai
    const s = await seedSite(api, 'da6');
    const lead = await intake('da6', s.repA);
    const dueAt = new Date(lead.body.followUp.dueAt as string);
    api.clock.current = new Date(dueAt.getTime() - HOUR);
    const dueDay = (await report('da6')).date;
    expect(rowOf(await report('da6'), s.repA.sub)!.followUpsOverdue).toBe(0);
    api.clock.current = new Date(dueAt.getTime() + HOUR);
    expect(rowOf(await report('da6'), s.repA.sub)!.followUpsOverdue).toBe(1);
    expect(rowOf(await report('da6', '2026-11-23'), s.repA.sub)!.followUpsOverdue).toBe(0);
    api.clock.current = new Date(dueAt.getTime() + 48 * HOUR);
    expect(rowOf(await report('da6', dueDay), s.repA.sub)!.followUpsOverdue).toBe(1);
    expect((await report('da6')).totals.followUpsOverdue).toBe(1);
  });

  it('refuses a day that has not begun, and a site the caller does not work at', async () => {
    api.clock.current = START;
    await seedSite(api, 'da7');
    const future = await api.call(admin, 'GET', '/v1/reports/daily-activity?siteId=da7&date=2026-11-24');
    expect(future.status).toBe(400);
    expect(future.body.errors[0].path).toBe('date');
    expect((await api.call(admin, 'GET', '/v1/reports/daily-activity?siteId=nowhere')).status).toBe(404);
    expect((await api.call(staff('manager', 'mgr-da7', ['da7']), 'GET', '/v1/reports/daily-activity?siteId=da1')).status).toBe(403);
  });
});

describe('who reads the daily activity report', () => {
  let s: Awaited<ReturnType<typeof seedSite>>;
  beforeAll(async () => {
    api.clock.current = START;
    s = await seedSite(api, 'da8');
    await intake('da8', s.repA);
    await intake('da8', s.repB);
    await intake('da8', s.repB);
  });

  it('a manager and an admin read every row and the totals of all', async () => {
    for (const who of [s.manager, admin]) {
      const body = await report('da8', undefined, who);
      expect(body.rows.map((r) => r.staffId).sort()).toEqual([s.repA.sub, s.repB.sub].sort());
      expect(body.totals.receptions).toBe(3);
    }
  });

  it('a sales rep reads their own row only, and totals of it', async () => {
    const body = await report('da8', undefined, s.repB);
    expect(body.rows.map((r) => r.staffId)).toEqual([s.repB.sub]);
    expect(body.totals).toMatchObject({ receptions: 2, newCustomers: 2 });
  });

  it('a service agent and an owner are refused', async () => {
    for (const who of [s.service, { sub: 'o1', role: 'owner' as const, sites: [], phone: '+8613800138000' }]) {
      const res = await api.call(who, 'GET', '/v1/reports/daily-activity?siteId=da8');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
  });
});

describe('a fact written twice', () => {
  it('counts once, whether the second write is refused or answered as the first', async () => {
    api.clock.current = START;
    const s = await seedSite(api, 'da9');
    const id = (await intake('da9', s.repA)).body.customer.id as string;
    const interaction = {
      id: 'int-da9-1',
      customerId: id,
      siteId: 'da9',
      staffId: s.repA.sub,
      channel: 'call' as const,
      summary: '回访',
      intentLevel: null,
      nextFollowUpAt: null,
      taskId: null,
      at: START.toISOString(),
    };
    const fact = { interaction, swap: null, figures: [{ siteId: 'da9', day: '2026-11-23', staffId: s.repA.sub, add: { interactions: 1 } }] };
    await api.table.store.recordInteraction(fact);
    await api.table.store.recordInteraction(fact).catch((error: Error) => expect(error.name).toBe('ConflictError'));
    expect(rowOf(await report('da9'), s.repA.sub)!.interactions).toBe(1);
  });
});
