import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s1: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s1 = await seedSite(api, 'intake-1');
  await seedSite(api, 'intake-2');
});
afterAll(() => api.close());

const walkIn = (phone: string, extra: Record<string, unknown> = {}) => ({ siteId: 'intake-1', name: '张伟', phone, channel: 'walk_in', ...extra });

describe('intake of a new phone', () => {
  it('creates the customer, owned by the rep, with a first follow-up within two days', async () => {
    const res = await api.call(s1.repA, 'POST', '/v1/customers', {
      body: walkIn('138 0013 8000', {
        needs: { project: '江畔花园', area: 120, budget: 3000000, layout: '3室2厅', householdSize: 4 },
        intentLevel: 'A',
        smsConsent: true,
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.customer).toMatchObject({
      siteId: 'intake-1',
      name: '张伟',
      phone: '+8613800138000',
      ownerId: s1.repA.sub,
      stage: 'lead',
      leadType: 'direct',
      intentLevel: 'A',
    });
    expect(res.body.customer.needs).toEqual({ project: '江畔花园', area: 120, budget: 3000000, layout: '3室2厅', householdSize: 4 });
    expect(res.body.attribution).toEqual({ ownerId: s1.repA.sub, isNew: true, conflict: false });
    expect(res.body.followUp).toMatchObject({ kind: 'follow_up', status: 'open', assigneeId: s1.repA.sub, customerId: res.body.customer.id });
    expect(new Date(res.body.followUp.dueAt).getTime() - api.clock.now().getTime()).toBe(2 * 24 * 3600_000);

    const tasks = await api.call(s1.repA, 'GET', '/v1/tasks');
    expect(tasks.body.items.map((t: { id: string }) => t.id)).toContain(res.body.followUp.id);
  });

  it('keeps one customer per phone per site, and two at two sites', async () => {
    const phone = freshPhone();
    const first = await api.call(s1.repA, 'POST', '/v1/customers', { body: walkIn(phone) });
    const otherSiteRep = staff('sales', 'rep-elsewhere', ['intake-2']);
    const second = await api.call(otherSiteRep, 'POST', '/v1/customers', { body: { ...walkIn(phone), siteId: 'intake-2' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.customer.id).not.toBe(first.body.customer.id);
    expect(second.body.customer.ownerId).toBe('rep-elsewhere');
  });
});

describe('intake of a known phone', () => {
  it('records the reception on the customer and leaves ownership with the owner', async () => {
    const phone = freshPhone();
    const created = await api.call(s1.repA, 'POST', '/v1/customers', { body: walkIn(phone) });
    const again = await api.call(s1.repA, 'POST', '/v1/customers', { body: walkIn(`+86${phone}`, { channel: 'phone', note: '来电询价' }) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ customerId: created.body.customer.id, attribution: { ownerId: s1.repA.sub, isNew: false, conflict: false } });
    expect(again.body.reception).toMatchObject({ channel: 'phone', note: '来电询价', receivedBy: s1.repA.sub });

    const receptions = await api.call(s1.repA, 'GET', `/v1/customers/${created.body.customer.id}/receptions`);
    expect(receptions.body.items).toHaveLength(2);
  });

  it('opens a conflict when another rep receives the customer, tells that rep nothing of them, and names both reps to the managers', async () => {
    // seedSite names every staff member by their id, so a conflict carrying ids for names would pass with them.
    const liNa = staff('sales', 'rep-lina-intake-1', ['intake-1']);
    const zhaoQiang = staff('sales', 'rep-zhaoqiang-intake-1', ['intake-1']);
    for (const [who, name] of [
      [liNa, '李娜'],
      [zhaoQiang, '赵强'],
    ] as const) {
      const added = await api.call(admin, 'POST', '/v1/sites/intake-1/staff', { body: { id: who.sub, name, role: 'sales' } });
      expect(added.status).toBe(201);
    }
    const phone = freshPhone();
    const created = await api.call(liNa, 'POST', '/v1/customers', { body: walkIn(phone, { needs: { budget: 5000000 } }) });
    const collided = await api.call(zhaoQiang, 'POST', '/v1/customers', { body: walkIn(phone, { name: '张先生' }) });
    expect(collided.status).toBe(200);
    expect(collided.body.attribution).toEqual({ isNew: false, conflict: true });
    expect(Object.keys(collided.body).sort()).toEqual(['attribution', 'customerId', 'reception']);
    expect(JSON.stringify(collided.body)).not.toContain('5000000');
    expect(JSON.stringify(collided.body)).not.toContain(liNa.sub);
    expect(JSON.stringify(collided.body)).not.toContain('李娜');

    const forClaimant = await api.call(zhaoQiang, 'GET', `/v1/customers/${created.body.customer.id}`);
    expect(forClaimant.status).toBe(404);

    const conflicts = await api.call(s1.manager, 'GET', '/v1/conflicts?siteId=intake-1');
    expect(conflicts.body.items.find((c: { customerId: string }) => c.customerId === created.body.customer.id)).toMatchObject({
      ownerId: liNa.sub,
      claimantId: zhaoQiang.sub,
      ownerName: '李娜',
      claimantName: '赵强',
      status: 'open',
    });
  });

  it('opens no conflict when a service agent or manager receives the customer', async () => {
    const phone = freshPhone();
    await api.call(s1.repA, 'POST', '/v1/customers', { body: walkIn(phone) });
    for (const who of [s1.service, s1.manager]) {
      const res = await api.call(who, 'POST', '/v1/customers', { body: walkIn(phone) });
      expect(res.body.attribution).toEqual({ ownerId: s1.repA.sub, isNew: false, conflict: false });
    }
  });
});

describe('20 reps receiving one phone at once', () => {
  it('yields one customer, 20 receptions, one owner and 19 conflicts', async () => {
    const site = 'rush';
    await api.call(admin, 'POST', '/v1/sites', { body: { id: site, name: 'Rush', kind: 'auto', smsSignature: '管家' } });
    const manager = staff('manager', 'mgr-rush', [site]);
    const reps = Array.from({ length: 20 }, (_, i) => staff('sales', `rush-rep-${i}`, [site]));
    const phone = freshPhone();

    const replies = await Promise.all(
      reps.map((rep) => api.call(rep, 'POST', '/v1/customers', { body: { siteId: site, name: '刘洋', phone, channel: 'walk_in' } })),
    );

    expect(replies.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    const winner = replies.find((r) => r.status === 201)!;
    const customerId = winner.body.customer.id;
    expect(new Set(replies.map((r) => r.body.customerId ?? r.body.customer.id))).toEqual(new Set([customerId]));
    expect(replies.filter((r) => r.body.attribution.conflict)).toHaveLength(19);

    const customers = await api.call(manager, 'GET', `/v1/customers?siteId=${site}&limit=100`);
    expect(customers.body.items).toHaveLength(1);
    expect(customers.body.items[0].ownerId).toBe(winner.body.customer.ownerId);

    const receptions = await api.call(manager, 'GET', `/v1/customers/${customerId}/receptions?limit=100`);
    expect(receptions.body.items).toHaveLength(20);

    const conflicts = await api.call(manager, 'GET', `/v1/conflicts?siteId=${site}&limit=100`);
    expect(conflicts.body.items).toHaveLength(19);
    expect(new Set(conflicts.body.items.map((c: { claimantId: string }) => c.claimantId)).size).toBe(19);

    const followUps = await api.call(manager, 'GET', `/v1/tasks?siteId=${site}&limit=100`);
    expect(followUps.body.items).toHaveLength(1);
  });
});
