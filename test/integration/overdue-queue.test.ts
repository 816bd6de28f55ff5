import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '@guanjia/core';
import { BACKFILLS } from '@guanjia/dynamo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let a: Awaited<ReturnType<typeof seedSite>>;
let b: Awaited<ReturnType<typeof seedSite>>;
const HOUR = 3600_000;

beforeAll(async () => {
  api = await createTestApi();
  a = await seedSite(api, 'odq-a');
  b = await seedSite(api, 'odq-b');
});
afterAll(() => api.close());

type Seeded = typeof a;

async function fileAt(site: Seeded, siteId: string, severity: 'normal' | 'urgent' = 'normal'): Promise<string> {
  const customer = await api.call(site.repA, 'POST', '/v1/customers', { body: { siteId, name: '冯刚', phone: freshPhone(), channel: 'walk_in' } });
  const filed = await api.call(site.service, 'POST', '/v1/complaints', {
    body: { customerId: customer.body.customer.id, category: 'repair', channel: 'hotline', description: '卫生间漏水', severity },
  });
  return filed.body.complaint.id as string;
}

async function wholeQueue(who: Principal, siteId: string, limit: number): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const res = await api.call(
      who,
      'GET',
      `/v1/complaints?siteId=${siteId}&overdue=true&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((c: { id: string }) => c.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { pages, ids };
}

describe("the managers' overdue queue", () => {
  it("pages through its own site's breaches only, oldest breach first", async () => {
    const ofA = [await fileAt(a, 'odq-a', 'urgent'), await fileAt(a, 'odq-a'), await fileAt(a, 'odq-a'), await fileAt(a, 'odq-a'), await fileAt(a, 'odq-a')];
    const ofB = await fileAt(b, 'odq-b');
    api.clock.advance(25 * HOUR);

    const queue = await wholeQueue(a.manager, 'odq-a', 2);
    expect(queue.pages).toBe(3);
    expect(queue.ids[0]).toBe(ofA[0]);
    expect([...queue.ids].sort()).toEqual([...ofA].sort());
    expect(queue.ids).not.toContain(ofB);
  });

  it('holds a complaint filed before the site list existed once the backfill has run, and a second run changes nothing', async () => {
    const id = await fileAt(a, 'odq-a');
    await api.table.doc.send(
      new UpdateCommand({ TableName: api.table.tableName, Key: { PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' }, UpdateExpression: 'REMOVE GSI3PK, GSI3SK' }),
    );
    api.clock.advance(25 * HOUR);
    expect((await wholeQueue(a.manager, 'odq-a', 100)).ids).not.toContain(id);

    const first = await BACKFILLS['backfill-unanswered'](api.table.doc, api.table.tableName);
    expect(first.indexed).toBe(1);
    expect((await wholeQueue(a.manager, 'odq-a', 100)).ids).toContain(id);
    expect((await BACKFILLS['backfill-unanswered'](api.table.doc, api.table.tableName)).indexed).toBe(0);
  });
});
