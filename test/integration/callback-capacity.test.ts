import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runCallbacksJob, type Store } from '@guanjia/core';
import { BACKFILLS } from '@guanjia/dynamo';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const ctx = (store: Store = api.table.store) => ({ store, clock: api.clock, ids: { next: () => 'unused' } });
const ONE_PLAN = { callbackPlan: [{ plan: 'P3M', offset: 'P3M', checklist: [] }] };

/** A site with two service agents and the capacity given. */
async function siteWithTwoAgents(siteId: string, callbackCapacity: number) {
  const people = await seedSite(api, siteId, { ...ONE_PLAN, callbackCapacity });
  await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, { body: { id: `svc2-${siteId}`, name: '第二客服', role: 'service' } });
  return { ...people, service2: staff('service', `svc2-${siteId}`, [siteId]) };
}

/** Handovers on consecutive days from `firstDay` (in January 2025), so their callbacks fall due on consecutive days of April. */
async function handovers(siteId: string, people: Awaited<ReturnType<typeof seedSite>>, count: number, firstDay = 1): Promise<string[]> {
  const taskIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId, name: '业主', phone: freshPhone(), channel: 'walk_in' } });
    const deliveredOn = `2025-01-${String(firstDay + i).padStart(2, '0')}`;
    const delivery = await api.call(people.service, 'POST', `/v1/customers/${created.body.customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: `${siteId}-${i}` }, deliveredOn },
    });
    taskIds.push(delivery.body.callbacks[0].taskId);
  }
  return taskIds;
}

async function givenTo(manager: ReturnType<typeof staff>, siteId: string): Promise<Map<string, string[]>> {
  const tasks = (await api.call(manager, 'GET', `/v1/tasks?siteId=${siteId}&kind=callback&limit=100`)).body.items as {
    id: string;
    assigneeId: string | null;
  }[];
  const byAgent = new Map<string, string[]>();
  for (const t of tasks) if (t.assigneeId) byAgent.set(t.assigneeId, [...(byAgent.get(t.assigneeId) ?? []), t.id]);
  return byAgent;
}
const givenIds = (byAgent: Map<string, string[]>) => [...byAgent.values()].flat().sort();
const at930 = (day: string) => new Date(`${day}T01:30:00Z`);

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('the callbacks job under a daily capacity per agent', () => {
  it('gives two agents of capacity 3 six of ten due callbacks, three each and the oldest first, and the other four the next day', async () => {
    const s = await siteWithTwoAgents('cap1', 3);
    const ids = await handovers('cap1', s, 10); // due 2025-04-01 … 2025-04-10

    api.clock.current = at930('2025-04-10');
    const first = await runCallbacksJob(ctx(), '2025-04-10');
    expect(first).toMatchObject({ due: 6, announced: 6 });
    expect(first.sitesAtCapacity).toContain('cap1');
    const day1 = await givenTo(s.manager, 'cap1');
    expect(day1.get(s.service.sub)).toHaveLength(3);
    expect(day1.get(s.service2.sub)).toHaveLength(3);
    expect(givenIds(day1)).toEqual(ids.slice(0, 6).sort());

    api.clock.current = at930('2025-04-11');
    const second = await runCallbacksJob(ctx(), '2025-04-11');
    expect(second).toMatchObject({ due: 4, announced: 4 });
    expect(second.sitesAtCapacity).not.toContain('cap1');
    const day2 = await givenTo(s.manager, 'cap1');
    expect(givenIds(day2)).toEqual([...ids].sort());
    expect(day2.get(s.service.sub)).toHaveLength(5);
    expect(day2.get(s.service2.sub)).toHaveLength(5);
  });

  it('gives nothing more on a second run the same day, and only the room a raised capacity makes', async () => {
    const s = await siteWithTwoAgents('cap2', 3);
    await handovers('cap2', s, 10);
    api.clock.current = at930('2025-04-10');
    await runCallbacksJob(ctx(), '2025-04-10');

    api.clock.current = new Date('2025-04-10T06:00:00Z');
    const again = await runCallbacksJob(ctx(), '2025-04-10');
    expect(again).toMatchObject({ due: 0, announced: 0 });
    expect(again.sitesAtCapacity).toContain('cap2');
    expect(givenIds(await givenTo(s.manager, 'cap2'))).toHaveLength(6);

    await api.call(admin, 'PATCH', '/v1/sites/cap2', { body: { callbackCapacity: 4 } });
    expect(await runCallbacksJob(ctx(), '2025-04-10')).toMatchObject({ due: 2, announced: 2 });
    const byAgent = await givenTo(s.manager, 'cap2');
    expect(byAgent.get(s.service.sub)).toHaveLength(4);
    expect(byAgent.get(s.service2.sub)).toHaveLength(4);
  });

  it('keeps each agent at the capacity even when a run at the same time read the day before the other run gave out', async () => {
    const s = await siteWithTwoAgents('cap7', 2);
    await handovers('cap7', s, 6);
    api.clock.current = at930('2025-04-10');
    await runCallbacksJob(ctx(), '2025-04-10');
    // A run that read the day's figures before those gifts landed believes every agent is free.
    const stale = new Proxy(api.table.store, {
      get: (target, name, receiver) => (name === 'listServiceFigures' ? async () => [] : Reflect.get(target, name, receiver)),
    });
    expect(await runCallbacksJob(ctx(stale), '2025-04-10')).toMatchObject({ announced: 0 });
    const byAgent = await givenTo(s.manager, 'cap7');
    expect(byAgent.get(s.service.sub)).toHaveLength(2);
    expect(byAgent.get(s.service2.sub)).toHaveLength(2);
  });

  it('counts callbacks in the service report as due on the day they are given, not the day they fell due', async () => {
    const s = await siteWithTwoAgents('cap3', 3);
    await handovers('cap3', s, 10);
    for (const day of ['2025-04-10', '2025-04-11']) {
      api.clock.current = at930(day);
      await runCallbacksJob(ctx(), day);
    }
    const dueOn = async (day: string) =>
      (await api.call(s.manager, 'GET', `/v1/reports/service?siteId=cap3&from=${day}&to=${day}`)).body.sites[0].callbacks.due;
    expect(await dueOn('2025-04-01')).toBe(0);
    expect(await dueOn('2025-04-10')).toBe(6);
    expect(await dueOn('2025-04-11')).toBe(4);
  });

  it('serves every site while one has a backlog past its capacity, reading no more of the backlog than it gives out', async () => {
    const big = await seedSite(api, 'cap4a', { ...ONE_PLAN, callbackCapacity: 2 });
    const small = await seedSite(api, 'cap4b', { ...ONE_PLAN, callbackCapacity: 2 });
    await handovers('cap4a', big, 12);
    await handovers('cap4b', small, 2, 20);

    const read = new Map<string, number>();
    const store = api.table.store;
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'listUnannouncedCallbacks') return Reflect.get(target, name, receiver);
        return async (siteId: string, day: string, limit: number) => {
          const tasks = await target.listUnannouncedCallbacks(siteId, day, limit);
          read.set(siteId, (read.get(siteId) ?? 0) + tasks.length);
          return tasks;
        };
      },
    });

    api.clock.current = at930('2025-04-25');
    const report = await runCallbacksJob(ctx(counting), '2025-04-25');
    expect(report.sitesAtCapacity).toContain('cap4a');
    expect(report.sitesAtCapacity).not.toContain('cap4b');
    expect(givenIds(await givenTo(big.manager, 'cap4a'))).toHaveLength(2);
    expect(givenIds(await givenTo(small.manager, 'cap4b'))).toHaveLength(2);
    // Room for two, and one more to tell that some are left.
    expect(read.get('cap4a')).toBe(3);
  });

  it('gives a site saved before the capacity existed the default of 40', async () => {
    await seedSite(api, 'cap5');
    await api.table.doc.send(
      new UpdateCommand({ TableName: api.table.tableName, Key: { PK: 'SITE#cap5', SK: 'SITE' }, UpdateExpression: 'REMOVE callbackCapacity' }),
    );
    expect((await api.call(admin, 'GET', '/v1/sites/cap5')).body.callbackCapacity).toBe(40);
  });

  it('gives out a callback listed before the list was by site once the backfill has moved it, and a second backfill changes nothing', async () => {
    const s = await seedSite(api, 'cap6', ONE_PLAN);
    const [taskId] = await handovers('cap6', s, 1, 15); // due 2025-04-15
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { PK: `TASK#${taskId}`, SK: 'TASK' },
        UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk',
        ExpressionAttributeValues: { ':pk': 'CALLBACKS#unannounced', ':sk': `2025-04-15#${taskId}` },
      }),
    );
    api.clock.current = at930('2025-04-15');
    await runCallbacksJob(ctx(), '2025-04-15');
    expect(givenIds(await givenTo(s.manager, 'cap6'))).toEqual([]);

    expect((await BACKFILLS['backfill-callbacks'](api.table.doc, api.table.tableName)).indexed).toBe(1);
    await runCallbacksJob(ctx(), '2025-04-15');
    expect(givenIds(await givenTo(s.manager, 'cap6'))).toEqual([taskId]);
    expect((await BACKFILLS['backfill-callbacks'](api.table.doc, api.table.tableName)).indexed).toBe(0);
  });
});
