import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '@guanjia/core';
import { BACKFILLS } from '@guanjia/dynamo';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';
import { createCountedApp } from '../support/counted-app.ts';

/** A designer's own list (issue 13, rule 4): the customers assigned to them, within reach. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

/** A decoration site with the given designers, each with a profile, and its people. */
async function siteWithDesigners(siteId: string, designerIds: string[]) {
  const people = await seedSite(api, siteId, { kind: 'decoration' });
  const designers: Principal[] = [];
  for (const id of designerIds) {
    expect((await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, { body: { id, name: `设计师${id}`, role: 'designer' } })).status).toBe(201);
    const profile = await api.call(people.manager, 'PUT', `/v1/sites/${siteId}/staff/${id}/profile`, { body: { level: 'excellent', styles: ['北欧'] } });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    designers.push(staff('designer', id, [siteId]));
  }
  return { ...people, designers };
}

async function customerOf(siteId: string, rep: Principal, name: string): Promise<string> {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name, phone: freshPhone(), channel: 'walk_in' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.customer.id as string;
}

async function assign(rep: Principal, customerId: string, staffId: string) {
  const res = await api.call(rep, 'POST', `/v1/customers/${customerId}/designer`, { body: { staffId } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const ids = (items: { id: string }[]) => items.map((c) => c.id);

describe("a designer's list of the customers assigned to them", () => {
  it("lists the assigned customers, the latest assigned first, as the designer reads each one, in one Query of its index, reading none of the site's other customers", async () => {
    const s = await siteWithDesigners('dl1', ['des-a', 'des-b']);
    const [desA] = s.designers;
    const first = await customerOf('dl1', s.repA, '刘洋');
    const second = await customerOf('dl1', s.repB, '陈晨');
    await customerOf('dl1', s.repA, '没分配');
    const others = await customerOf('dl1', s.repA, '别人的');
    await assign(s.repA, first, 'des-a');
    api.clock.advance(1000);
    await assign(s.repB, second, 'des-a');
    await assign(s.repA, others, 'des-b');

    const counted = await createCountedApp(api);
    try {
      const list = () => counted.request(desA!, 'GET', '/v1/customers?siteId=dl1');
      // The first request of a staff member also asks whether they have left (then cached).
      await list();
      counted.proxy.reset();
      const res = await list();
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
      // One Query for the page; then, as every customer list does for `smsConsent`, one per phone listed.
      expect(counted.proxy.counts()).toEqual({ 'DynamoDB_20120810.Query': 1 + 2 });
      // Nothing read and dropped: the site's other two customers were never looked at.
      const read = counted.proxy.itemsRead()['DynamoDB_20120810.Query']!;
      expect(read.scanned).toBe(read.returned);
      expect(ids(body.items)).toEqual([second, first]);
      expect(body.nextCursor).toBeNull();
      const single = await api.call(desA!, 'GET', `/v1/customers/${second}`);
      expect(body.items[0]).toEqual(single.body);
    } finally {
      await counted.close();
    }
    // Naming themselves is the same list; a manager names any designer of the site.
    expect(ids((await api.call(desA!, 'GET', '/v1/customers?siteId=dl1&designerId=des-a')).body.items)).toEqual([second, first]);
    expect(ids((await api.call(s.manager, 'GET', '/v1/customers?siteId=dl1&designerId=des-b')).body.items)).toEqual([others]);
    expect(ids((await api.call(admin, 'GET', '/v1/customers?siteId=dl1&designerId=des-a&intentLevel=A')).body.items)).toEqual([]);
  });

  it("moves a customer off the old designer's list and onto the new one's when the designer changes", async () => {
    const s = await siteWithDesigners('dl2', ['des-c', 'des-d']);
    const [desC, desD] = s.designers;
    const customer = await customerOf('dl2', s.repA, '周敏');
    await assign(s.repA, customer, 'des-c');
    expect(ids((await api.call(desC!, 'GET', '/v1/customers?siteId=dl2')).body.items)).toEqual([customer]);

    await assign(s.manager, customer, 'des-d');
    expect((await api.call(desC!, 'GET', '/v1/customers?siteId=dl2')).body.items).toEqual([]);
    expect(ids((await api.call(desD!, 'GET', '/v1/customers?siteId=dl2')).body.items)).toEqual([customer]);
  });

  it("keeps a customer on the list while a loss request waits, and on the managers' list of requests too", async () => {
    const s = await siteWithDesigners('dl6', ['des-i']);
    const [desI] = s.designers;
    const customer = await customerOf('dl6', s.repA, '郑伟');
    await assign(s.repA, customer, 'des-i');
    const asked = await api.call(s.repA, 'POST', `/v1/customers/${customer}/loss`, { body: { reason: '已在别家签约' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(ids((await api.call(desI!, 'GET', '/v1/customers?siteId=dl6')).body.items)).toEqual([customer]);
    expect(ids((await api.call(s.manager, 'GET', '/v1/customers?siteId=dl6&lossRequested=true')).body.items)).toEqual([customer]);
    expect(ids((await api.call(s.manager, 'GET', '/v1/customers?siteId=dl6&lossRequested=true&designerId=des-i')).body.items)).toEqual([customer]);
  });

  it("refuses a designer another designer's list, a sales rep any designer's, and a manager another site's", async () => {
    const s = await siteWithDesigners('dl3', ['des-e', 'des-f']);
    const other = await seedSite(api, 'dl3x');
    const [desE] = s.designers;
    const asDesigner = await api.call(desE!, 'GET', '/v1/customers?siteId=dl3&designerId=des-f', { headers: { 'Accept-Language': 'zh-CN' } });
    expect(asDesigner.status).toBe(403);
    expect(asDesigner.body).toMatchObject({ code: 'forbidden', detail: '设计师只能查看分配给自己的客户。' });
    expect((await api.call(s.repA, 'GET', '/v1/customers?siteId=dl3&designerId=des-e')).status).toBe(403);
    expect((await api.call(other.manager, 'GET', '/v1/customers?siteId=dl3&designerId=des-e')).status).toBe(403);
    // A lookup names the number and the site, nothing else.
    expect((await api.call(s.manager, 'GET', '/v1/customers?siteId=dl3&designerId=des-e&phoneTail=8000')).status).toBe(400);
  });

  it('pages through the list without repeating or losing a customer', async () => {
    const s = await siteWithDesigners('dl4', ['des-g']);
    const [desG] = s.designers;
    const assigned: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await customerOf('dl4', s.repA, `客户${i}`);
      await assign(s.repA, id, 'des-g');
      api.clock.advance(1000);
      assigned.unshift(id);
    }
    const seen: string[] = [];
    let path: string | null = '/v1/customers?siteId=dl4&limit=2';
    let pages = 0;
    while (path) {
      const res = await api.call(desG!, 'GET', path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body.items));
      pages++;
      path = res.body.nextCursor ? `/v1/customers?siteId=dl4&limit=2&cursor=${encodeURIComponent(res.body.nextCursor)}` : null;
    }
    expect(seen).toEqual(assigned);
    expect(pages).toBe(3);
  });

  it('lists a customer assigned before the list existed once the backfill has run', async () => {
    const s = await siteWithDesigners('dl5', ['des-h']);
    const [desH] = s.designers;
    const customer = await customerOf('dl5', s.repA, '吴刚');
    await assign(s.repA, customer, 'des-h');
    await api.table.doc.send(
      new UpdateCommand({ TableName: api.table.tableName, Key: { PK: `CUST#${customer}`, SK: 'CUST' }, UpdateExpression: 'REMOVE GSI4PK, GSI4SK' }),
    );
    expect((await api.call(desH!, 'GET', '/v1/customers?siteId=dl5')).body.items).toEqual([]);

    expect(await BACKFILLS['backfill-designer-lists'](api.table.doc, api.table.tableName)).toMatchObject({ indexed: 1 });
    expect(ids((await api.call(desH!, 'GET', '/v1/customers?siteId=dl5')).body.items)).toEqual([customer]);
    expect(await BACKFILLS['backfill-designer-lists'](api.table.doc, api.table.tableName)).toMatchObject({ indexed: 0 });
  });
});
