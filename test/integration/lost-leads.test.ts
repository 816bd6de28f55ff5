import { createIds, rebuildReports } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/** Losing a lead (战败) needs a manager: the rep asks with a reason, a manager approves or sends it back. */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const MONTH = '2026-11';

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'lost1');
});
afterAll(() => api.close());

async function lead() {
  const res = await api.call(s.repA, 'POST', '/v1/customers', {
    body: { siteId: 'lost1', name: '赵敏', phone: freshPhone(), channel: 'walk_in', intentLevel: 'B' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.customer.id as string, followUpId: res.body.followUp.id as string };
}

const ask = (id: string, reason = '已在竞品处购车') => api.call(s.repA, 'POST', `/v1/customers/${id}/loss`, { body: { reason } });
const repRow = async () => {
  const res = await api.call(s.manager, 'GET', `/v1/reports/intent-levels?siteId=lost1&month=${MONTH}`);
  expect(res.status).toBe(200);
  return res.body.rows.find((r: { staffId: string }) => r.staffId === s.repA.sub);
};

describe('a loss request', () => {
  it('waits on the customer, one at a time, and only for a lead', async () => {
    const { id } = await lead();
    const asked = await ask(id);
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const shown = await api.call(s.repA, 'GET', `/v1/customers/${id}`);
    expect(shown.body.lossRequest).toEqual({ reason: '已在竞品处购车', requestedBy: s.repA.sub, requestedAt: '2026-11-23T01:30:00.000Z' });
    expect(shown.body.stage).toBe('lead');

    const again = await ask(id, '另一个原因');
    expect(again.status).toBe(409);
    expect(again.headers.get('Content-Type')).toContain('application/problem+json');
    expect(again.body.code).toBe('invalid_transition');
    expect((await api.call(s.repA, 'GET', `/v1/customers/${id}`)).body.lossRequest.reason).toBe('已在竞品处购车');

    const signed = await lead();
    expect((await api.call(s.repA, 'PATCH', `/v1/customers/${signed.id}`, { body: { stage: 'customer' } })).status).toBe(200);
    expect((await ask(signed.id)).status).toBe(409);
  });

  it('is decided by a manager of the site, never by a sales rep', async () => {
    const { id } = await lead();
    await ask(id);
    const byRep = await api.call(s.repA, 'POST', `/v1/customers/${id}/loss/approve`, { body: {} });
    expect(byRep.status).toBe(403);
    expect((await api.call(s.repA, 'GET', `/v1/customers/${id}`)).body.stage).toBe('lead');
  });

  it('approved: the lead is lost, not chased, and counted lost in its month, as the rebuild finds too', async () => {
    const before = await repRow();
    const { id, followUpId } = await lead();
    await ask(id);
    const approved = await api.call(s.manager, 'POST', `/v1/customers/${id}/loss/approve`, { body: { note: '同意' } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ stage: 'lost', lossRequest: null, openFollowUpId: null });
    expect(approved.body.lossDecision).toMatchObject({ outcome: 'approved', reason: '已在竞品处购车', decidedBy: s.manager.sub, note: '同意' });

    const tasks = await api.call(s.repA, 'GET', '/v1/tasks?siteId=lost1&status=open&limit=100');
    expect(tasks.body.items.map((t: { id: string }) => t.id)).not.toContain(followUpId);
    const changes = await api.call(s.manager, 'GET', `/v1/customers/${id}/changes`);
    expect(changes.body.items).toContainEqual(expect.objectContaining({ field: 'stage', from: 'lead', to: 'lost', via: 'loss', by: s.manager.sub }));

    const after = await repRow();
    expect(after.lost - before.lost).toBe(1);
    expect(after.signed - before.signed).toBe(0);
    // The lead left the gauges it was counted in when it was registered.
    expect(after.total - before.total).toBe(0);
    expect(after.B - before.B).toBe(0);

    const rebuilt = await rebuildReports({ store: api.table.store, clock: api.clock, ids: createIds() }, 'lost1', { dryRun: true });
    expect(rebuilt.differences).toEqual([]);

    const twice = await api.call(s.manager, 'POST', `/v1/customers/${id}/loss/approve`, { body: {} });
    expect(twice.status).toBe(409);
    expect((await ask(id)).status).toBe(409);
  });

  it('rejected: still a lead with its follow-up, and the rep may ask again', async () => {
    const { id, followUpId } = await lead();
    await ask(id);
    const rejected = await api.call(s.manager, 'POST', `/v1/customers/${id}/loss/reject`, { body: { note: '客户仍在比较，继续跟进' } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ stage: 'lead', lossRequest: null, openFollowUpId: followUpId });
    expect(rejected.body.lossDecision).toMatchObject({ outcome: 'rejected', note: '客户仍在比较，继续跟进' });
    const task = await api.call(s.repA, 'GET', '/v1/tasks?siteId=lost1&status=open&limit=100');
    expect(task.body.items.map((t: { id: string }) => t.id)).toContain(followUpId);

    expect((await api.call(s.manager, 'POST', `/v1/customers/${id}/loss/reject`, { body: {} })).status).toBe(409);
    expect((await ask(id)).status).toBe(200);
  });

  it('answers a step that does not fit in Chinese when asked', async () => {
    const { id } = await lead();
    const res = await api.call(admin, 'POST', `/v1/customers/${id}/loss/approve`, { body: {}, headers: { 'Accept-Language': 'zh' } });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('该线索没有待审批的战败申请。');
  });
});

describe('the requests waiting for a manager', () => {
  const waiting = async (who = s.manager, query = '') => {
    const res = await api.call(who, 'GET', `/v1/customers?siteId=lost1&lossRequested=true&limit=100${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((c: { id: string }) => c.id) as string[];
  };

  it('lists the leads with a request waiting, longest waiting first, and none once decided', async () => {
    const first = await lead();
    const second = await lead();
    await ask(first.id);
    api.clock.advance(60_000);
    await ask(second.id);
    const listed = await waiting();
    expect(listed.indexOf(first.id)).toBeLessThan(listed.indexOf(second.id));
    expect(listed).toContain(second.id);
    await api.call(s.manager, 'POST', `/v1/customers/${first.id}/loss/reject`, { body: {} });
    await api.call(s.manager, 'POST', `/v1/customers/${second.id}/loss/approve`, { body: {} });
    const after = await waiting();
    expect(after).not.toContain(first.id);
    expect(after).not.toContain(second.id);
  });

  it("shows a sales rep only their own customers' requests", async () => {
    const own = await lead();
    await ask(own.id);
    const other = await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'lost1', name: '周芷若', phone: freshPhone(), channel: 'phone' } });
    await api.call(s.repB, 'POST', `/v1/customers/${other.body.customer.id}/loss`, { body: { reason: '预算不足' } });
    const repA = await waiting(s.repA);
    expect(repA).toContain(own.id);
    expect(repA).not.toContain(other.body.customer.id);
    expect(await waiting(s.manager)).toContain(other.body.customer.id);
    expect((await api.call(s.repA, 'GET', '/v1/customers?siteId=lost1&lossRequested=true&phoneTail=0000')).status).toBe(400);
  });
});
