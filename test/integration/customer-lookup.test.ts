import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillPhoneTails, createIds, type Principal } from '@guanjia/core';
import { claimKey } from '@guanjia/dynamo';
import { admin, createTestApi, seedSite, type TestApi } from '../support/api.ts';

/** Finding a customer at the desk or on the phone: by the whole number, or by its last 4 digits. */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let owner: Principal;
let repAsCustomer: string;
let repBsCustomer: string;

const ids = (reply: { body: { items: { id: string }[] } }) => reply.body.items.map((c) => c.id).sort();

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'lk');
  const a = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'lk', name: '王芳', phone: '13800138000', channel: 'walk_in' } });
  const b = await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'lk', name: '李强', phone: '13900008000', channel: 'phone' } });
  await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'lk', name: '赵敏', phone: '13700001234', channel: 'phone' } });
  repAsCustomer = a.body.customer.id;
  repBsCustomer = b.body.customer.id;
  owner = { sub: 'owner-lk', role: 'owner', sites: [], phone: '+8613800138000' };
});
afterAll(() => api.close());

describe('GET /v1/customers?phone=', () => {
  const byPhone = (who: Principal, phone: string) => api.call(who, 'GET', `/v1/customers?siteId=lk&phone=${encodeURIComponent(phone)}`);

  it.each(['138 0013 8000', '+86 138-0013-8000', '13800138000'])('finds the customer whichever way the number is written: %s', async (written) => {
    const res = await byPhone(s.manager, written);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [{ id: repAsCustomer, phone: '+8613800138000' }], nextCursor: null });
  });

  it('finds the customer for the admin, the manager, the owning rep and service', async () => {
    for (const who of [admin, s.manager, s.repA, s.service]) expect(ids(await byPhone(who, '13800138000')), who.sub).toEqual([repAsCustomer]);
  });

  it("answers another rep's customer exactly as an unknown number", async () => {
    const known = await byPhone(s.repB, '13800138000');
    const unknown = await byPhone(s.repB, '13600136000');
    expect(known.status).toBe(200);
    expect(known.body).toEqual({ items: [], nextCursor: null });
    expect(unknown.body).toEqual(known.body);
  });

  it('refuses an owner, who finds their records through /v1/me', async () => {
    expect((await byPhone(owner, '13800138000')).status).toBe(403);
  });

  it.each(['12345', '1380013800x', '+86 999 0000 0000'])('refuses %s, which is not a phone number', async (bad) => {
    const res = await byPhone(s.manager, bad);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});

describe('GET /v1/customers?phoneTail=', () => {
  const byTail = (who: Principal, tail: string, more = '') => api.call(who, 'GET', `/v1/customers?siteId=lk&phoneTail=${tail}${more}`);

  it('lists every customer of the site whose number ends in the 4 digits for the admin, the manager and service', async () => {
    for (const who of [admin, s.manager, s.service]) expect(ids(await byTail(who, '8000')), who.sub).toEqual([repAsCustomer, repBsCustomer].sort());
  });

  it('lists a sales rep only their own customers among the matches', async () => {
    expect(ids(await byTail(s.repA, '8000'))).toEqual([repAsCustomer]);
    expect(ids(await byTail(s.repB, '8000'))).toEqual([repBsCustomer]);
  });

  it("gives a rep with only another rep's match the answer of a tail nobody has", async () => {
    const onlyOthers = await byTail(s.repB, '1234');
    expect(onlyOthers.status).toBe(200);
    expect(onlyOthers.body).toEqual({ items: [], nextCursor: null });
    expect((await byTail(s.repB, '5555')).body).toEqual(onlyOthers.body);
  });

  it("pages a rep through the matches without ever showing another rep's customer", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await byTail(
        s.repB,
        '8000',
        `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([repBsCustomer]);
  });

  it('refuses an owner', async () => {
    expect((await byTail(owner, '8000')).status).toBe(403);
  });

  it.each(['800', '80000', 'abcd', '８０００'])('refuses a tail that is not exactly 4 digits: %s', async (bad) => {
    const res = await byTail(s.manager, encodeURIComponent(bad));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('phoneTail');
  });

  it('refuses phone and phoneTail together, and a lookup mixed with the list filters', async () => {
    expect((await byTail(s.manager, '8000', '&phone=13800138000')).status).toBe(400);
    expect((await byTail(s.manager, '8000', '&ownerId=repa-lk')).status).toBe(400);
    expect((await api.call(s.manager, 'GET', '/v1/customers?siteId=lk&phone=13800138000&stage=lead')).status).toBe(400);
  });
});

describe('the phone-tail backfill', () => {
  it('makes customers created before tails were kept findable by their tail, and is safe to run again', async () => {
    const created = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'lk', name: '周杰', phone: '13811117777', channel: 'walk_in' } });
    // The claim as it was written before it carried the tail.
    await api.table.doc.send(
      new PutCommand({
        TableName: api.table.tableName,
        Item: { ...claimKey('+8613811117777', 'lk'), type: 'claim', siteId: 'lk', phone: '+8613811117777', customerId: created.body.customer.id },
      }),
    );
    expect(ids(await api.call(s.manager, 'GET', '/v1/customers?siteId=lk&phoneTail=7777'))).toEqual([]);

    const ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
    const report = await backfillPhoneTails(ctx, 'lk');
    expect(report).toEqual({ siteId: 'lk', customers: 4, indexed: 4, skipped: [] });
    expect(ids(await api.call(s.manager, 'GET', '/v1/customers?siteId=lk&phoneTail=7777'))).toEqual([created.body.customer.id]);

    expect(await backfillPhoneTails(ctx, 'lk')).toEqual(report);
    expect(ids(await api.call(s.manager, 'GET', '/v1/customers?siteId=lk&phoneTail=8000'))).toEqual([repAsCustomer, repBsCustomer].sort());
  });
});
