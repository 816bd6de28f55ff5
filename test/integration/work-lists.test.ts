import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, dayBefore, runCallbacksJob, siteDay } from '@guanjia/core';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BACKFILLS } from '@guanjia/dynamo';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';
import { createCountedApp } from '../support/counted-app.ts';

let api: TestApi;
const ONE_PLAN = { callbackPlan: [{ plan: 'P3M', offset: 'P3M', checklist: [] }] };
const jobCtx = () => ({ store: api.table.store, clock: api.clock, ids: createIds() });

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

/** A lead registered by the rep, with the phone it was given. */
async function lead(siteId: string, rep: ReturnType<typeof staff>, name = '王先生') {
  const phone = freshPhone();
  const created = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name, phone, channel: 'walk_in' } });
  expect(created.status).toBe(201);
  return { id: created.body.customer.id as string, phone: created.body.customer.phone as string };
}

describe("an agent's callback list", () => {
  it('gives 50 due callbacks with names, numbers and asset labels in one request and one DynamoDB Query', async () => {
    const s = await seedSite(api, 'wl1', { ...ONE_PLAN, callbackCapacity: 60 });
    const expected = new Map<string, { name: string; phone: string; label: string }>();
    for (let i = 0; i < 50; i++) {
      const name = `业主${i}`;
      const customer = await lead('wl1', s.repA, name);
      const label = `3栋${100 + i}`;
      const delivery = await api.call(s.service, 'POST', `/v1/customers/${customer.id}/deliveries`, {
        body: { asset: { kind: 'home', label }, deliveredOn: '2025-01-06' },
      });
      expect(delivery.status).toBe(201);
      expected.set(delivery.body.callbacks[0].taskId, { name, phone: customer.phone, label });
    }
    api.clock.current = new Date('2025-04-06T01:30:00Z');
    expect(await runCallbacksJob(jobCtx(), '2025-04-06')).toMatchObject({ announced: 50 });

    const counted = await createCountedApp(api);
    const { proxy } = counted;
    try {
      const list = () => counted.request(s.service, 'GET', `/v1/tasks?assigneeId=${s.service.sub}&kind=callback&limit=100`);
      // An agent working the list asks again and again: the first request of a staff member also
      // looks up whether they have left (once per 30 s, then cached), the ones after are the list alone.
      await list();
      proxy.reset();
      const res = await list();
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
      expect(proxy.counts()).toEqual({ 'DynamoDB_20120810.Query': 1 });
      expect(body.items).toHaveLength(50);
      expect(body.nextCursor).toBeNull();
      for (const item of body.items) {
        const want = expected.get(item.id as string)!;
        expect(item).toMatchObject({ customerName: want.name, customerPhone: want.phone, assetLabel: want.label, plan: 'P3M', dueOn: '2025-04-06' });
      }
    } finally {
      await counted.close();
    }
  }, 180_000);
});

describe("a task's copy of its customer", () => {
  it('follows a rename onto every open task of the customer, and leaves closed ones as they were', async () => {
    const s = await seedSite(api, 'wl2', ONE_PLAN);
    const customer = await lead('wl2', s.repA, '李女士');
    const [followUp] = (await api.call(s.repA, 'GET', '/v1/tasks?kind=follow_up')).body.items;
    expect(followUp).toMatchObject({ customerId: customer.id, customerName: '李女士', customerPhone: customer.phone, assetLabel: null });
    await api.call(s.repA, 'PATCH', `/v1/customers/${customer.id}`, { body: { stage: 'customer' } });
    const delivery = await api.call(s.service, 'POST', `/v1/customers/${customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: '5栋801' }, deliveredOn: '2026-11-20' },
    });
    const callbackId = delivery.body.callbacks[0].taskId;

    const renamed = await api.call(s.manager, 'PATCH', `/v1/customers/${customer.id}`, { body: { name: '李芳' } });
    expect(renamed.status).toBe(200);
    const callbacks = (await api.call(s.manager, 'GET', '/v1/tasks?siteId=wl2&kind=callback')).body.items;
    expect(callbacks.find((t: { id: string }) => t.id === callbackId)).toMatchObject({ customerName: '李芳', assetLabel: '5栋801' });
    const cancelled = (await api.call(s.manager, 'GET', '/v1/tasks?siteId=wl2&kind=follow_up&status=cancelled')).body.items;
    expect(cancelled.find((t: { id: string }) => t.id === followUp.id)).toMatchObject({ customerName: '李女士' });
  });

  it('follows a rename onto more open tasks than one transaction holds', async () => {
    const s = await seedSite(api, 'wl6', ONE_PLAN);
    const customer = await lead('wl6', s.repA, '钱先生');
    for (let i = 0; i < 85; i++) {
      const res = await api.call(s.service, 'POST', `/v1/customers/${customer.id}/deliveries`, {
        body: { asset: { kind: 'product', label: `柜${i}` }, deliveredOn: '2026-11-20' },
      });
      expect(res.status).toBe(201);
    }
    expect((await api.call(s.manager, 'PATCH', `/v1/customers/${customer.id}`, { body: { name: '钱多多' } })).status).toBe(200);
    const names = new Set<string>();
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await api.call(s.manager, 'GET', `/v1/tasks?siteId=wl6&kind=callback&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const t of page.body.items) names.add(t.customerName);
      count += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(count).toBe(85);
    expect([...names]).toEqual(['钱多多']);
  }, 180_000);

  it('shows a sales rep the whole number on their open follow-ups, and a masked one once the follow-up is closed', async () => {
    const s = await seedSite(api, 'wl3');
    const customer = await lead('wl3', s.repA, '赵先生');
    const [open] = (await api.call(s.repA, 'GET', '/v1/tasks')).body.items;
    expect(open.customerPhone).toBe(customer.phone);
    await api.call(s.repA, 'POST', `/v1/customers/${customer.id}/interactions`, { body: { channel: 'call', summary: '已联系' } });
    const done = (await api.call(s.repA, 'GET', '/v1/tasks?status=done')).body.items.find((t: { id: string }) => t.id === open.id);
    expect(done.customerPhone).toMatch(/^137\*{4}\d{4}$/);
    const asManager = (await api.call(s.manager, 'GET', '/v1/tasks?siteId=wl3&status=done')).body.items.find((t: { id: string }) => t.id === open.id);
    expect(asManager.customerPhone).toBe(customer.phone);
  });

  it('shows a sales rep the whole number on each open call to their own customer (milestone, close-the-loop), masked once it is done', async () => {
    const s = await seedSite(api, 'wl8', { kind: 'decoration' });
    const designer = staff('designer', 'des-wl8', ['wl8']);
    expect((await api.call(admin, 'POST', '/v1/sites/wl8/staff', { body: { id: designer.sub, name: '王磊', role: 'designer' } })).status).toBe(201);
    expect((await api.call(s.manager, 'PUT', `/v1/sites/wl8/staff/${designer.sub}/profile`, { body: { level: 'excellent', styles: ['北欧'] } })).status).toBe(
      200,
    );
    api.clock.current = new Date('2026-11-23T01:30:00Z');
    const phone = freshPhone();
    const created = await api.call(s.repA, 'POST', '/v1/customers', {
      body: { siteId: 'wl8', name: '刘洋', phone, channel: 'walk_in', needs: { installDate: '2027-03-31' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.customer.id as string;
    expect((await api.call(s.repA, 'POST', `/v1/customers/${id}/designer`, { body: { staffId: designer.sub } })).status).toBe(200);
    expect((await api.call(designer, 'POST', `/v1/customers/${id}/designer-meeting`)).status).toBe(201);
    const mine = async (status: string) =>
      ((await api.call(s.repA, 'GET', `/v1/tasks?status=${status}&limit=100`)).body.items as { id: string; kind: string; customerPhone: string }[]).map(
        (t) => [t.kind, t.customerPhone] as const,
      );
    const whole = created.body.customer.phone as string;
    expect((await mine('open')).sort()).toEqual([
      ['close_loop', whole],
      ['follow_up', whole],
      ['milestone', whole],
      ['milestone', whole],
    ]);
    const loop = (await api.call(s.repA, 'GET', '/v1/tasks?kind=close_loop')).body.items[0];
    const closeLoop = { satisfiedDesigner: true, satisfiedWork: true, satisfiedIdea: true, budgetClear: true, next: 'sign_design_agreement' };
    expect((await api.call(s.repA, 'POST', `/v1/tasks/${loop.id}/complete`, { body: { outcome: 'reached', closeLoop } })).status).toBe(200);
    expect((await mine('done')).filter(([kind]) => kind === 'close_loop')).toEqual([['close_loop', expect.stringMatching(/^137\*{4}\d{4}$/)]]);
  });

  it('serves a task written before the copies with them null, and the backfill gives it them and its place under the customer', async () => {
    const s = await seedSite(api, 'wl4', ONE_PLAN);
    const customer = await lead('wl4', s.repA, '孙先生');
    const delivery = await api.call(s.service, 'POST', `/v1/customers/${customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: '8栋1201' }, deliveredOn: '2026-11-20' },
    });
    const taskId = delivery.body.callbacks[0].taskId;
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { PK: `TASK#${taskId}`, SK: 'TASK' },
        UpdateExpression: 'REMOVE customerName, customerPhone, assetLabel, GSI3PK, GSI3SK',
      }),
    );
    const listed = async () => (await api.call(s.manager, 'GET', '/v1/tasks?siteId=wl4&kind=callback')).body.items.find((t: { id: string }) => t.id === taskId);
    expect(await listed()).toMatchObject({ customerName: null, customerPhone: null, assetLabel: null });

    expect(await BACKFILLS['backfill-task-copies'](api.table.doc, api.table.tableName)).toMatchObject({ filled: 1 });
    expect(await listed()).toMatchObject({ customerName: '孙先生', customerPhone: customer.phone, assetLabel: '8栋1201' });
    expect(await BACKFILLS['backfill-task-copies'](api.table.doc, api.table.tableName)).toMatchObject({ filled: 0 });
    await api.call(s.manager, 'PATCH', `/v1/customers/${customer.id}`, { body: { name: '孙伟' } });
    expect(await listed()).toMatchObject({ customerName: '孙伟' });
  });
});

describe('a list of tasks due before', () => {
  it('takes a plain day as the whole of that day at the site, and an instant written with any offset', async () => {
    const s = await seedSite(api, 'wl5');
    await lead('wl5', s.repA, '周女士');
    const [task] = (await api.call(s.repA, 'GET', '/v1/tasks')).body.items;
    const due = new Date(task.dueAt);
    const day = siteDay(due, 'Asia/Shanghai');
    const ids = async (dueBefore: string) =>
      (await api.call(s.repA, 'GET', `/v1/tasks?dueBefore=${encodeURIComponent(dueBefore)}`)).body.items.map((t: { id: string }) => t.id);
    expect(await ids(day)).toEqual([task.id]);
    expect(await ids(dayBefore(day))).toEqual([]);
    const shanghai = (at: number) => `${new Date(at + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    expect(await ids(shanghai(due.getTime() + 60_000))).toEqual([task.id]);
    expect(await ids(shanghai(due.getTime()))).toEqual([]);
    expect((await api.call(s.repA, 'GET', '/v1/tasks?dueBefore=2026-02-30')).status).toBe(400);
  });
});
