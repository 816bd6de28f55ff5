import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCallbacksJob } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });

async function siteWithAgents(siteId: string) {
  const people = await seedSite(api, siteId);
  await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, { body: { id: `svc2-${siteId}`, name: '第二客服', role: 'service' } });
  return { ...people, service2: staff('service', `svc2-${siteId}`, [siteId]) };
}

async function deliveredOwner(siteId: string, service: ReturnType<typeof staff>, rep: ReturnType<typeof staff>, deliveredOn: string, label: string) {
  const created = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '吴敏', phone: freshPhone(), channel: 'walk_in' } });
  const delivery = await api.call(service, 'POST', `/v1/customers/${created.body.customer.id}/deliveries`, {
    body: { asset: { kind: 'home', label }, deliveredOn },
  });
  return { customerId: created.body.customer.id as string, callbacks: delivery.body.callbacks as { taskId: string; plan: string; dueOn: string }[] };
}

const messagesOf = async (who: ReturnType<typeof staff>, customerId: string) => (await api.call(who, 'GET', `/v1/customers/${customerId}/messages`)).body.items;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('the callbacks job', () => {
  it('announces what is due, catches up a missed day, and changes nothing the second time', async () => {
    const s = await siteWithAgents('cbj');
    const a = await deliveredOwner('cbj', s.service, s.repA, '2026-11-28', '1栋101'); // P3M due 2027-02-28
    const b = await deliveredOwner('cbj', s.service, s.repA, '2026-12-01', '1栋102'); // P3M due 2027-03-01
    const later = await deliveredOwner('cbj', s.service, s.repA, '2026-12-02', '1栋103'); // P3M due 2027-03-02

    api.clock.current = new Date('2027-02-27T01:30:00Z');
    expect(await runCallbacksJob(ctx(), '2027-02-27')).toMatchObject({ due: 0, announced: 0 });

    // No run on 2027-02-28: the one on 2027-03-01 does that day's work too.
    api.clock.current = new Date('2027-03-01T01:30:00Z');
    const report = await runCallbacksJob(ctx(), '2027-03-01');
    expect(report).toMatchObject({ days: ['2027-02-28', '2027-03-01'], due: 2, announced: 2, skipped: 0 });

    const [cbA] = (await api.call(s.manager, 'GET', `/v1/tasks?siteId=cbj&kind=callback&limit=100`)).body.items.filter(
      (t: { id: string }) => t.id === a.callbacks[0]!.taskId,
    );
    const [cbB] = (await api.call(s.manager, 'GET', `/v1/tasks?siteId=cbj&kind=callback&limit=100`)).body.items.filter(
      (t: { id: string }) => t.id === b.callbacks[0]!.taskId,
    );
    expect(new Set([cbA.assigneeId, cbB.assigneeId])).toEqual(new Set([s.service.sub, s.service2.sub]));
    const mine = await api.call(s.service2, 'GET', `/v1/tasks?assigneeId=${s.service2.sub}&kind=callback`);
    expect(mine.body.items).toHaveLength(1);

    const [smsA] = await messagesOf(s.manager, a.customerId);
    expect(smsA).toMatchObject({ id: `sms:callback_P3M:${a.callbacks[0]!.taskId}`, state: 'queued', kind: 'notice', purpose: 'callback_P3M' });
    expect(smsA.body).toContain('1栋101');
    expect(await messagesOf(s.manager, later.customerId)).toEqual([]);

    const again = await runCallbacksJob(ctx(), '2027-03-01');
    expect(again).toMatchObject({ days: ['2027-03-01'], due: 0, announced: 0 });
    expect(await messagesOf(s.manager, a.customerId)).toHaveLength(1);
    expect(await messagesOf(s.manager, b.customerId)).toHaveLength(1);
  });

  it('announces each callback once and queues one SMS each when two runs overlap', async () => {
    const s = await siteWithAgents('cbj2');
    const owners = await Promise.all(Array.from({ length: 6 }, (_, i) => deliveredOwner('cbj2', s.service, s.repA, '2025-05-10', `2栋${i}`)));
    api.clock.current = new Date('2025-08-10T01:30:00Z');
    const [one, two] = await Promise.all([runCallbacksJob(ctx(), '2025-08-10'), runCallbacksJob(ctx(), '2025-08-10')]);
    expect(one.announced + two.announced).toBe(6);
    for (const o of owners) expect(await messagesOf(s.manager, o.customerId)).toHaveLength(1);
    const byAgent = (await api.call(s.manager, 'GET', '/v1/tasks?siteId=cbj2&kind=callback&limit=100')).body.items
      .filter((t: { dueOn: string }) => t.dueOn === '2025-08-10')
      .map((t: { assigneeId: string }) => t.assigneeId);
    expect(byAgent).toHaveLength(6);
    expect(byAgent.every((id: string | null) => id === s.service.sub || id === s.service2.sub)).toBe(true);
  });

  it('leaves callbacks of a site without service agents for a later run', async () => {
    await api.call(admin, 'POST', '/v1/sites', { body: { id: 'noagents', name: 'x', kind: 'auto', smsSignature: '管家' } });
    const manager = staff('manager', 'mgr-na', ['noagents']);
    await api.call(admin, 'POST', '/v1/sites/noagents/staff', { body: { id: 'mgr-na', name: 'm', role: 'manager' } });
    const created = await api.call(manager, 'POST', '/v1/customers', { body: { siteId: 'noagents', name: '车主', phone: freshPhone(), channel: 'walk_in' } });
    await api.call(manager, 'POST', `/v1/customers/${created.body.customer.id}/deliveries`, {
      body: { asset: { kind: 'car', label: '粤B12345' }, deliveredOn: '2024-01-15' },
    });
    api.clock.current = new Date('2024-04-15T01:30:00Z');
    const report = await runCallbacksJob(ctx(), '2024-04-15');
    expect(report.sitesWithoutAgents).toContain('noagents');
    const open = (await api.call(manager, 'GET', '/v1/tasks?siteId=noagents&kind=callback')).body.items;
    expect(open.find((t: { dueOn: string }) => t.dueOn === '2024-04-15').assigneeId).toBeNull();
  });
});
