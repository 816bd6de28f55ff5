import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const ids: Record<string, string> = {};
const phones: Record<string, string> = {};

const report = async (month: string, who = admin) => {
  const res = await api.call(who, 'GET', `/v1/reports/intent-levels?siteId=il&month=${month}`);
  expect(res.status).toBe(200);
  return res.body as { rows: Record<string, any>[]; totals: Record<string, number> };
};
const rowOf = (body: { rows: Record<string, any>[] }, staffId: string) => body.rows.find((r) => r.staffId === staffId);
const zeros = { H: 0, A: 0, B: 0, C: 0, unrated: 0, direct: 0, keyPerson: 0, potential: 0, total: 0, upgraded: 0, downgraded: 0, signed: 0, lost: 0 };

async function lead(name: string, who: ReturnType<typeof seedSite> extends Promise<infer P> ? P[keyof P] : never, extra: Record<string, unknown>) {
  phones[name] = freshPhone();
  const res = await api.call(who, 'POST', '/v1/customers', { body: { siteId: 'il', name, phone: phones[name], channel: 'walk_in', ...extra } });
  expect(res.status).toBe(201);
  ids[name] = res.body.customer.id;
}

beforeAll(async () => {
  api = await createTestApi();
  api.clock.current = new Date('2026-11-20T02:00:00Z');
  s = await seedSite(api, 'il');
  // November: four leads, one upgrade by a contact, one downgrade and one first rating by edits.
  await lead('L1', s.repA, { intentLevel: 'A', leadType: 'direct' });
  await lead('L2', s.repA, { intentLevel: 'C', leadType: 'key_person' });
  await lead('L3', s.repA, { leadType: 'potential' });
  await lead('L4', s.repB, { intentLevel: 'H' });
  expect(
    (await api.call(s.repA, 'POST', `/v1/customers/${ids.L2}/interactions`, { body: { channel: 'call', summary: '意向提升', intentLevel: 'B' } })).status,
  ).toBe(201);
  expect((await api.call(s.repA, 'PATCH', `/v1/customers/${ids.L1}`, { body: { intentLevel: 'C' } })).status).toBe(200);
  expect((await api.call(s.repA, 'PATCH', `/v1/customers/${ids.L3}`, { body: { intentLevel: 'B' } })).status).toBe(200);

  // December, Shanghai time: L1 signs, L2 goes to rep B after a conflict and warms up, L3 is handed over.
  api.clock.current = new Date('2026-11-30T16:30:00Z');
  expect((await api.call(s.repA, 'PATCH', `/v1/customers/${ids.L1}`, { body: { stage: 'customer' } })).status).toBe(200);
  expect(
    (await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'il', name: 'L2', phone: phones.L2, channel: 'phone' } })).body.attribution.conflict,
  ).toBe(true);
  const conflicts = await api.call(s.manager, 'GET', '/v1/conflicts?siteId=il');
  expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflicts.body.items[0].id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);
  expect(
    (await api.call(s.repB, 'POST', `/v1/customers/${ids.L2}/interactions`, { body: { channel: 'visit', summary: '准备签约', intentLevel: 'H' } })).status,
  ).toBe(201);
  expect(
    (await api.call(s.service, 'POST', `/v1/customers/${ids.L3}/deliveries`, { body: { asset: { kind: 'home', label: '1栋101' }, deliveredOn: '2026-12-01' } }))
      .status,
  ).toBe(201);
});
afterAll(() => api.close());

describe('the intent-level report', () => {
  it("shows a past month's leads as they stood at its end, with the month's upgrades and downgrades", async () => {
    const november = await report('2026-11');
    expect(rowOf(november, s.repA.sub)).toEqual({
      staffId: s.repA.sub,
      name: s.repA.sub,
      ...zeros,
      B: 2,
      C: 1,
      direct: 1,
      keyPerson: 1,
      potential: 1,
      total: 3,
      upgraded: 1,
      downgraded: 1,
    });
    expect(rowOf(november, s.repB.sub)).toEqual({ staffId: s.repB.sub, name: s.repB.sub, ...zeros, H: 1, direct: 1, total: 1 });
    expect(november.totals).toMatchObject({ total: 4, upgraded: 1, downgraded: 1, signed: 0 });
  });

  it('shows the current month as of now, with signings, handovers and a lead moved by a conflict', async () => {
    const december = await report('2026-12');
    expect(rowOf(december, s.repA.sub)).toEqual({ staffId: s.repA.sub, name: s.repA.sub, ...zeros, signed: 2 });
    expect(rowOf(december, s.repB.sub)).toEqual({ staffId: s.repB.sub, name: s.repB.sub, ...zeros, H: 2, direct: 1, keyPerson: 1, total: 2, upgraded: 1 });
    const now = await api.call(admin, 'GET', '/v1/reports/intent-levels?siteId=il');
    expect(now.body).toEqual({ siteId: 'il', month: '2026-12', ...december });
  });

  it('agrees with the customer list it counts', async () => {
    const leads = await api.call(s.manager, 'GET', '/v1/customers?siteId=il&stage=lead&limit=100');
    expect((await report('2026-12')).totals.total).toBe(leads.body.items.length);
  });

  it('keeps every change of a customer, who made it, when, from what and to what', async () => {
    const changes = await api.table.store.listCustomerChanges(ids.L2!);
    expect(changes.map(({ field, from, to, by, via }) => ({ field, from, to, by, via }))).toEqual([
      { field: 'intentLevel', from: 'C', to: 'B', by: s.repA.sub, via: 'interaction' },
      { field: 'ownerId', from: s.repA.sub, to: s.repB.sub, by: s.manager.sub, via: 'conflict' },
      { field: 'intentLevel', from: 'B', to: 'H', by: s.repB.sub, via: 'interaction' },
    ]);
    const signing = await api.table.store.listCustomerChanges(ids.L1!);
    expect(signing.find((c) => c.field === 'stage')).toMatchObject({ from: 'lead', to: 'customer', at: '2026-11-30T16:30:00.000Z' });
  });

  it('gives a sales rep their own row only, and refuses a service agent', async () => {
    const own = await report('2026-11', s.repB);
    expect(own.rows.map((r) => r.staffId)).toEqual([s.repB.sub]);
    expect(own.totals.total).toBe(1);
    expect((await api.call(s.service, 'GET', '/v1/reports/intent-levels?siteId=il')).status).toBe(403);
  });

  it('refuses a month not begun and one further back than the report reaches', async () => {
    for (const month of ['2027-01', '2020-01']) {
      const res = await api.call(admin, 'GET', `/v1/reports/intent-levels?siteId=il&month=${month}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('month');
    }
  });
});

describe('the lead gauge under changes made at once', () => {
  it('still counts the one lead at the level it ended at when edits and contacts re-rate it together', async () => {
    const t = await seedSite(api, 'il2');
    const res = await api.call(t.repA, 'POST', '/v1/customers', {
      body: { siteId: 'il2', name: '赵磊', phone: freshPhone(), channel: 'walk_in', intentLevel: 'C' },
    });
    const id = res.body.customer.id as string;
    const levels = ['H', 'A', 'B', 'C', 'A', 'H'] as const;
    const outcomes = await Promise.all(
      levels.map((intentLevel, i) =>
        i % 2 === 0
          ? api.call(t.repA, 'PATCH', `/v1/customers/${id}`, { body: { intentLevel } })
          : api.call(t.manager, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '同时回访', intentLevel } }),
      ),
    );
    expect(outcomes.map((o) => o.status).every((status) => status === 200 || status === 201)).toBe(true);
    const level = (await api.call(t.repA, 'GET', `/v1/customers/${id}`)).body.intentLevel as string;
    const body = (await api.call(admin, 'GET', '/v1/reports/intent-levels?siteId=il2')).body;
    expect(body.totals).toMatchObject({ ...Object.fromEntries(['H', 'A', 'B', 'C'].map((l) => [l, l === level ? 1 : 0])), unrated: 0, total: 1 });
    const changes = await api.table.store.listCustomerChanges(id);
    expect(changes.at(-1)?.to).toBe(level);
    expect(body.totals.upgraded + body.totals.downgraded).toBe(changes.length);
  });
});
