import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createIds, runCallbacksJob, type Context, type Store } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { createTestApi, freshPhone, seedSite, type staff, type TestApi } from '../support/api.ts';
import { startDynamoProxy, type DynamoProxy } from '../support/dynamo-proxy.ts';
import { retellLater } from '@guanjia/core/task-copies';

let api: TestApi;
let proxy: DynamoProxy;
let counted: ReturnType<typeof createDocumentClient>;

const ONE_PLAN = { callbackPlan: [{ plan: 'P3M', offset: 'P3M', checklist: [] }] };
const GET_ITEM = 'DynamoDB_20120810.GetItem';
const QUERY = 'DynamoDB_20120810.Query';
const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';

/** The job over the counting proxy, standing where the test clock stands. */
const countedCtx = (store: Store = new DynamoStore(counted, api.table.tableName)): Context => ({ store, clock: api.clock, ids: createIds() });

beforeAll(async () => {
  api = await createTestApi();
  proxy = await startDynamoProxy(inject('dynamoEndpoint'));
  counted = createDocumentClient({ endpoint: proxy.endpoint, region: 'local' });
});
afterAll(async () => {
  counted.destroy();
  await proxy.close();
  api.close();
});

/** An owner: registered by the rep, then handed their home by the service agent. */
async function owner(siteId: string, s: Record<'repA' | 'service', ReturnType<typeof staff>>, name: string, label: string, deliveredOn: string) {
  const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId, name, phone: freshPhone(), channel: 'walk_in' } });
  expect(created.status).toBe(201);
  const customerId = created.body.customer.id as string;
  const delivery = await api.call(s.service, 'POST', `/v1/customers/${customerId}/deliveries`, { body: { asset: { kind: 'home', label }, deliveredOn } });
  expect(delivery.status).toBe(201);
  return { customerId, phone: created.body.customer.phone as string, taskId: delivery.body.callbacks[0].taskId as string };
}

const messagesOf = async (who: ReturnType<typeof staff>, customerId: string) => (await api.call(who, 'GET', `/v1/customers/${customerId}/messages`)).body.items;
const itemsRead = () => Object.values(proxy.itemsRead()).reduce((sum, r) => sum + r.scanned, 0);

describe('what the callbacks job reads', () => {
  it('reads about one item per due callback: N due callbacks cost ≤ 1.1·N items read', async () => {
    const N = 80;
    const s = await seedSite(api, 'cbr1', { ...ONE_PLAN, callbackCapacity: 100 });
    const owners: Awaited<ReturnType<typeof owner>>[] = [];
    // A few at a time: the seeding is not what is counted.
    for (let i = 0; i < N; i += 8) {
      owners.push(
        ...(await Promise.all(Array.from({ length: Math.min(8, N - i) }, (_, k) => owner('cbr1', s, `业主${i + k}`, `6栋${100 + i + k}`, '2025-01-06')))),
      );
    }
    api.clock.current = new Date('2025-04-06T01:30:00Z');
    proxy.reset();
    expect(await runCallbacksJob(countedCtx(), '2025-04-06')).toMatchObject({ due: N, announced: N, skipped: 0 });
    const read = itemsRead();
    const requests = proxy.counts();
    // Each callback is its share of the site's Query and its own transaction; the customer and
    // the delivery are not read again. What is left is the run's own: the job's state, the
    // site, its staff and where the rotation stands.
    expect(read).toBeLessThanOrEqual(1.1 * N);
    expect(requests[TRANSACT]).toBe(N);
    expect(requests[GET_ITEM] ?? 0).toBeLessThanOrEqual(4);
    expect(requests[QUERY]).toBeLessThanOrEqual(5);

    const [sms] = await messagesOf(s.manager, owners[7]!.customerId);
    expect(sms).toMatchObject({ to: owners[7]!.phone, purpose: 'callback_P3M' });
    expect(sms.body).toContain('业主7');
    expect(sms.body).toContain('6栋107');
  }, 240_000);

  it('announces a callback written before it carried the copies from its customer and delivery', async () => {
    const s = await seedSite(api, 'cbr2', ONE_PLAN);
    const o = await owner('cbr2', s, '陈静', '9栋301', '2025-02-10');
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { PK: `TASK#${o.taskId}`, SK: 'TASK' },
        UpdateExpression: 'REMOVE customerName, customerPhone, assetLabel',
      }),
    );
    api.clock.current = new Date('2025-05-10T01:30:00Z');
    expect(await runCallbacksJob(countedCtx(), '2025-05-10')).toMatchObject({ due: 1, announced: 1 });
    const [sms] = await messagesOf(s.manager, o.customerId);
    expect(sms).toMatchObject({ to: o.phone, purpose: 'callback_P3M' });
    expect(sms.body).toContain('陈静');
    expect(sms.body).toContain('9栋301');
  });

  it('never announces a name the customer lost while the run was reading: that callback goes out on the next run, with the new name', async () => {
    const s = await seedSite(api, 'cbr3', ONE_PLAN);
    const o = await owner('cbr3', s, '刘洋', '2栋502', '2025-03-12');
    api.clock.current = new Date('2025-06-12T01:30:00Z');
    const store = new DynamoStore(counted, api.table.tableName);
    // The rename lands between the job's read of the due list and its transaction.
    const racing = Object.assign(Object.create(store) as Store, {
      async listUnannouncedCallbacks(siteId: string, dueOnOrBefore: string, limit: number) {
        const listed = await store.listUnannouncedCallbacks(siteId, dueOnOrBefore, limit);
        if (siteId === 'cbr3') expect((await api.call(s.manager, 'PATCH', `/v1/customers/${o.customerId}`, { body: { name: '刘洋洋' } })).status).toBe(200);
        return listed;
      },
    });
    expect(await runCallbacksJob(countedCtx(racing), '2025-06-12')).toMatchObject({ announced: 0, skipped: 1 });
    expect(await messagesOf(s.manager, o.customerId)).toEqual([]);

    expect(await runCallbacksJob(countedCtx(), '2025-06-12')).toMatchObject({ announced: 1 });
    const messages = await messagesOf(s.manager, o.customerId);
    expect(messages).toHaveLength(1);
    expect(messages[0].body).toContain('刘洋洋');
  });

  it("tells a callback given out while a big rename was under way its customer's new name", async () => {
    const s = await seedSite(api, 'cbr4', ONE_PLAN);
    const o = await owner('cbr4', s, '周敏', '4栋201', '2025-04-15');
    const before = (await api.table.store.getTask(o.taskId))!;
    api.clock.current = new Date('2025-07-15T01:30:00Z');
    expect(await runCallbacksJob(countedCtx(), '2025-07-15')).toMatchObject({ announced: 1 });
    // The rename's own transaction held the customer and its first tasks, not this one: it is
    // told after, under the version read before the job gave it out.
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { PK: `CUST#${o.customerId}`, SK: 'CUST' },
        UpdateExpression: 'SET #name = :name',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': '周敏敏' },
      }),
    );
    await retellLater({ store: api.table.store }, [
      { task: { ...before, customerName: '周敏敏', version: before.version + 1 }, expectedVersion: before.version },
    ]);
    expect(await api.table.store.getTask(o.taskId)).toMatchObject({ customerName: '周敏敏', assigneeId: s.service.sub, status: 'open' });
  });
});
