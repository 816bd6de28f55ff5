import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'chg');
});
afterAll(() => api.close());

describe("a customer's change log", () => {
  it('shows each change of level and lead type with who, how, from and to, oldest first, to those who may see the customer', async () => {
    const created = await api.call(s.repA, 'POST', '/v1/customers', {
      body: { siteId: 'chg', name: '周杰', phone: freshPhone(), channel: 'walk_in', intentLevel: 'B' },
    });
    const id = created.body.customer.id as string;
    api.clock.current = new Date(api.clock.current.getTime() + 60_000);
    expect(
      (await api.call(s.repA, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '约看房', intentLevel: 'A' } })).status,
    ).toBe(201);
    api.clock.current = new Date(api.clock.current.getTime() + 60_000);
    expect((await api.call(s.repA, 'PATCH', `/v1/customers/${id}`, { body: { leadType: 'key_person' } })).status).toBe(200);

    const log = await api.call(s.manager, 'GET', `/v1/customers/${id}/changes`);
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      { field: 'intentLevel', from: 'B', to: 'A', by: s.repA.sub, via: 'interaction', at: expect.any(String) },
      { field: 'leadType', from: 'direct', to: 'key_person', by: s.repA.sub, via: 'update', at: expect.any(String) },
    ]);
    expect((await api.call(s.repB, 'GET', `/v1/customers/${id}/changes`)).status).toBe(404);
  });
});
