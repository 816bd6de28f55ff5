import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

/** The lists API.md calls paged: `?limit=` and `?cursor=` in, `{ items, nextCursor }` out. */
let api: TestApi;
let s1: Awaited<ReturnType<typeof seedSite>>;
let s2: Awaited<ReturnType<typeof seedSite>>;
let owner: Principal;
let customerId = '';

async function intake(site: Awaited<ReturnType<typeof seedSite>>, siteId: string, mobile: string): Promise<string> {
  const res = await api.call(site.repA, 'POST', '/v1/customers', { body: { siteId, name: '周杰', phone: mobile, channel: 'walk_in' } });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.customer.id;
}

async function deliver(site: Awaited<ReturnType<typeof seedSite>>, id: string, label: string, deliveredOn: string): Promise<void> {
  const res = await api.call(site.service, 'POST', `/v1/customers/${id}/deliveries`, { body: { asset: { kind: 'home', label }, deliveredOn } });
  if (res.status !== 201) throw new Error(`delivery: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  api = await createTestApi();
  s1 = await seedSite(api, 'pg1');
  s2 = await seedSite(api, 'pg2');
  const mobile = freshPhone();
  owner = { sub: `owner-${mobile}`, role: 'owner', sites: [], phone: `+86${mobile}` };
  customerId = await intake(s1, 'pg1', mobile);
  const other = await intake(s2, 'pg2', mobile);
  await deliver(s1, customerId, 'A-1801', '2026-09-01');
  await deliver(s1, customerId, 'A-1802', '2026-10-01');
  await deliver(s2, other, 'B-0101', '2026-11-01');
});
afterAll(() => api.close());

/** Follows nextCursor from a first page of one, and gives every page's items in order. */
async function walk(who: Principal, path: string): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const res = await api.call(who, 'GET', `${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(1);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 20);
  return { pages, ids };
}

const lists = (): [string, Principal, string, number][] => [
  ['the staff of a site', admin, '/v1/sites/pg1/staff', 4],
  ["a customer's deliveries", s1.service, `/v1/customers/${customerId}/deliveries`, 2],
  ["an owner's records", owner, '/v1/me', 2],
  ["an owner's deliveries", owner, '/v1/me/deliveries', 3],
];

describe('paged lists', () => {
  it('give a first page of one with a nextCursor, and the rest by following it, each item once', async () => {
    for (const [what, who, path, count] of lists()) {
      const first = await api.call(who, 'GET', `${path}?limit=1`);
      expect(first.body.nextCursor, what).toEqual(expect.any(String));
      const walked = await walk(who, path);
      expect(new Set(walked.ids).size, what).toBe(count);
      expect(walked.ids, what).toHaveLength(count);
    }
  });

  it('answer the whole of a short list with nextCursor null', async () => {
    for (const [what, who, path, count] of lists()) {
      const res = await api.call(who, 'GET', path);
      expect(res.body.items, what).toHaveLength(count);
      expect(res.body.nextCursor, what).toBeNull();
    }
  });

  it("keep an owner's deliveries latest first across pages and sites", async () => {
    const walked = await walk(owner, '/v1/me/deliveries');
    const all = await api.call(owner, 'GET', '/v1/me/deliveries');
    expect(all.body.items.map((d: { deliveredOn: string }) => d.deliveredOn)).toEqual(['2026-11-01', '2026-10-01', '2026-09-01']);
    expect(walked.ids).toEqual(all.body.items.map((d: { id: string }) => d.id));
  });

  it('refuse a garbled cursor with 400', async () => {
    for (const [what, who, path] of lists()) {
      const res = await api.call(who, 'GET', `${path}?cursor=not-a-cursor`);
      expect(res.status, what).toBe(400);
      expect(res.body.errors[0].path, what).toBe('cursor');
    }
  });

  it('refuse a limit over 100 with 400', async () => {
    for (const [what, who, path] of lists()) expect((await api.call(who, 'GET', `${path}?limit=101`)).status, what).toBe(400);
  });
});
