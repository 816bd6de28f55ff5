import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, drainHandover, type Context } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/**
 * Who a leaver's work may go to (离职交接): a colleague who can do it, and one hand-over at a
 * time. A refused hand-over changes nothing: the customers stay where they were.
 */
let api: TestApi;
let ctx: Context;
let s: Awaited<ReturnType<typeof seedSite>>;
const SITE = 'hr';

const addStaff = async (id: string, role: string) =>
  expect((await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { body: { id, name: `员工${id}`, role } })).status).toBe(201);
const handOver = (from: string, to: string[], language = 'en') =>
  api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${from}/handover`, { body: { to }, headers: { 'Accept-Language': language } });
const ownerOf = async (id: string) => (await api.call(admin, 'GET', `/v1/customers/${id}`)).body.ownerId as string;

/** A sales rep with one customer of their own, deactivated. */
async function leaverWithCustomer(id: string): Promise<string> {
  await addStaff(id, 'sales');
  const res = await api.call(staff('sales', id, [SITE]), 'POST', '/v1/customers', {
    body: { siteId: SITE, name: '孙丽', phone: freshPhone(), channel: 'walk_in' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${id}/deactivate`)).status).toBe(200);
  return res.body.customer.id;
}

beforeAll(async () => {
  api = await createTestApi();
  api.clock.current = new Date('2026-11-23T01:30:00Z');
  ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
  s = await seedSite(api, SITE);
}, 120_000);
afterAll(() => api.close());

describe('a leaver’s hand-over goes to colleagues who can do the work', () => {
  it("refuses a sales rep's customers to a service agent, naming the roles that may take them in either language, and moves nothing", async () => {
    const customer = await leaverWithCustomer('rep-zhao-hr');
    const res = await handOver('rep-zhao-hr', [s.repA.sub, s.service.sub]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: 'to.1',
        code: 'wrong_role',
        params: { value: s.service.sub, role: 'service', leaverRole: 'sales', roles: 'sales, manager' },
        message: `'${s.service.sub}' is a service agent and cannot take over the work of a sales rep; hand it to a sales rep or a manager`,
      }),
    ]);
    const zh = await handOver('rep-zhao-hr', [s.service.sub], 'zh');
    expect(zh.body.errors[0].message).toBe(`“${s.service.sub}”是客服专员，无法接手销售顾问的工作；请交给：销售顾问、经理`);
    expect(await ownerOf(customer)).toBe('rep-zhao-hr');
  });

  it("gives a sales rep's book to a manager, who may own customers", async () => {
    const customer = await leaverWithCustomer('rep-qian-hr');
    const res = await handOver('rep-qian-hr', [s.manager.sub]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(await drainHandover(ctx, res.body.handover.id)).toMatchObject({ status: 'done', counts: { customers: 1 } });
    expect(await ownerOf(customer)).toBe(s.manager.sub);
  });

  it("refuses a service agent's callbacks to a sales rep or a manager, and gives them to an agent", async () => {
    await addStaff('svc-gone-hr', 'service');
    expect((await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/svc-gone-hr/deactivate`)).status).toBe(200);
    const res = await handOver('svc-gone-hr', [s.repA.sub, s.manager.sub], 'zh');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string; code: string; message: string }) => [e.path, e.code, e.message])).toEqual([
      ['to.0', 'wrong_role', `“${s.repA.sub}”是销售顾问，无法接手客服专员的工作；请交给：客服专员`],
      ['to.1', 'wrong_role', `“${s.manager.sub}”是经理，无法接手客服专员的工作；请交给：客服专员`],
    ]);
    const taken = await handOver('svc-gone-hr', [s.service.sub]);
    expect(taken.status).toBe(202);
    await drainHandover(ctx, taken.body.handover.id);
  });
});

describe('one hand-over of a leaver at a time', () => {
  it('refuses a second hand-over while the first runs (409), and takes a new one once it is done', async () => {
    const customer = await leaverWithCustomer('rep-sun-hr');
    const first = await handOver('rep-sun-hr', [s.repA.sub]);
    expect(first.status).toBe(202);
    const second = await handOver('rep-sun-hr', [s.repB.sub]);
    expect(second.status).toBe(409);
    expect(second.headers.get('Content-Type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ code: 'handover_running', detail: expect.stringContaining(first.body.handover.id) });
    const zh = await handOver('rep-sun-hr', [s.repB.sub], 'zh');
    expect(zh.body).toMatchObject({ code: 'handover_running', title: '与当前状态冲突', detail: expect.stringContaining('仍在进行中') });

    expect(await drainHandover(ctx, first.body.handover.id)).toMatchObject({ status: 'done', counts: { customers: 1 } });
    expect(await ownerOf(customer)).toBe(s.repA.sub);
    expect((await handOver('rep-sun-hr', [s.repB.sub])).status).toBe(202);
  });

  it('lets a hand-over of one leaver run beside a hand-over of another', async () => {
    await leaverWithCustomer('rep-li-hr');
    await leaverWithCustomer('rep-zhou-hr');
    const started = await Promise.all(['rep-li-hr', 'rep-zhou-hr'].map((id) => handOver(id, [s.repB.sub])));
    expect(started.map((r) => r.status)).toEqual([202, 202]);
    for (const r of started) await drainHandover(ctx, r.body.handover.id);
  });
});
