import { createIds, drainHandover, drainImport, eachLimited, nudgeStalledHandovers, runDayCloseJob, workHandover, type Context } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/**
 * 离职交接 through the HTTP API: a rep with 300 customers and 40 open follow-ups leaves in
 * October; in November a manager deactivates them and hands their book to two colleagues.
 */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let ctx: Context;
const leaver = staff('sales', 'rep-leaving', ['lv']);
const SIGNED = 260;
const before: Record<string, unknown> = {};

const reports = () => ({
  october: api.call(s.manager, 'GET', '/v1/reports/intent-levels?siteId=lv&month=2026-10'),
  importDay: api.call(s.manager, 'GET', '/v1/reports/daily-activity?siteId=lv&date=2026-10-05'),
  overdueDay: api.call(s.manager, 'GET', '/v1/reports/daily-activity?siteId=lv&date=2026-10-10'),
});
const bodies = async (r: ReturnType<typeof reports>) =>
  Object.fromEntries(await Promise.all(Object.entries(r).map(async ([k, p]) => [k, (await p).body] as const)));

async function customersOf(ownerId: string): Promise<{ id: string; ownerId: string }[]> {
  const items: { id: string; ownerId: string }[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.call(s.manager, 'GET', `/v1/customers?siteId=lv&ownerId=${ownerId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

const openTasksOf = async (assigneeId: string) =>
  (await api.call(s.manager, 'GET', `/v1/tasks?siteId=lv&assigneeId=${assigneeId}&status=open&limit=100`)).body.items as {
    customerId: string;
    assigneeId: string;
  }[];

beforeAll(async () => {
  api = await createTestApi();
  // The site opens before the leaver's October, so that the day-close job closes its days.
  api.clock.current = new Date('2026-10-01T02:00:00Z');
  s = await seedSite(api, 'lv');
  ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
  await api.call(admin, 'POST', '/v1/sites/lv/staff', { body: { id: leaver.sub, name: '离职代表', role: 'sales' } });
  // October 5th: the leaver's lead list comes in, then 260 of them sign the next day.
  api.clock.current = new Date('2026-10-05T02:00:00Z');
  const rows = Array.from({ length: 300 }, (_, i) => `客户${i},${freshPhone()},扫楼,直接客户,${'HABC'[i % 4]},${leaver.sub},`);
  const file = `${['姓名,手机,来源,客户类型,意向等级,负责人,需求', ...rows].join('\r\n')}\r\n`;
  const sent = await api.call(s.manager, 'POST', '/v1/imports?siteId=lv&kind=leads', { raw: file, headers: { 'Content-Type': 'text/csv' } });
  expect(sent.status).toBe(202);
  expect((await drainImport(ctx, sent.body.import.id))?.counts).toMatchObject({ created: 300 });
  api.clock.current = new Date('2026-10-06T03:00:00Z');
  const owned = await customersOf(leaver.sub);
  await eachLimited(owned.slice(0, SIGNED), 8, async (c) => {
    const res = await api.call(leaver, 'PATCH', `/v1/customers/${c.id}`, { body: { stage: 'customer' } });
    expect(res.status).toBe(200);
  });
  // The day-close job closes each ended day as it does every 15 minutes in production.
  api.clock.current = new Date('2026-10-11T01:00:00Z');
  await runDayCloseJob(ctx);
  api.clock.current = new Date('2026-11-23T02:00:00Z');
  Object.assign(before, await bodies(reports()));
}, 120_000);
afterAll(() => api.close());

describe('a rep who leaves (离职交接)', () => {
  it('starts with 300 customers and 40 open follow-ups on the leaver', async () => {
    expect(await customersOf(leaver.sub)).toHaveLength(300);
    expect(await openTasksOf(leaver.sub)).toHaveLength(40);
    expect((before.overdueDay as { rows: { staffId: string; followUpsOverdue: number }[] }).rows.find((r) => r.staffId === leaver.sub)?.followUpsOverdue).toBe(
      40,
    );
  });

  it('refuses a sales rep who tries to deactivate a colleague (403)', async () => {
    expect((await api.call(s.repA, 'POST', `/v1/sites/lv/staff/${leaver.sub}/deactivate`)).status).toBe(403);
  });

  it('refuses to hand over the book of a rep who is still active (409)', async () => {
    const res = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/handover`, { body: { to: [s.repA.sub] } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
  });

  it("refuses the leaver's token from the moment a manager deactivates them, with the reason in either language", async () => {
    expect((await api.call(leaver, 'GET', '/v1/tasks?siteId=lv')).status).toBe(200);
    const res = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: leaver.sub, deactivatedAt: '2026-11-23T02:00:00.000Z', deactivatedBy: s.manager.sub });
    const refused = await api.call(leaver, 'GET', '/v1/tasks?siteId=lv');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'staff_deactivated', detail: expect.stringContaining('deactivated') });
    const zh = await api.call(leaver, 'GET', '/v1/tasks?siteId=lv', { headers: { 'Accept-Language': 'zh' } });
    expect(zh.body.detail).toContain('停用');
  });

  it('refuses a colleague who is not staff of the site, and names the leaver named among them as the leaver', async () => {
    const to = [s.repA.sub, 'nobody', leaver.sub];
    const res = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/handover`, { body: { to }, headers: { 'Accept-Language': 'zh' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string; code: string; message: string }) => [e.path, e.code, e.message])).toEqual([
      ['to.1', 'not_staff', '“nobody”不是本站点的员工'],
      ['to.2', 'is_leaver', `“${leaver.sub}”就是离职员工本人，请填写接手的同事`],
    ]);
    const en = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/handover`, { body: { to: [leaver.sub] } });
    expect(en.body.errors[0]).toMatchObject({ code: 'is_leaver', message: `'${leaver.sub}' is the leaver; name the colleagues who take over` });
  });

  it('moves every customer and open task once, spread across the colleagues, after an interruption and a resume', async () => {
    const started = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/handover`, { body: { to: [s.repA.sub, s.repB.sub] } });
    expect(started.status).toBe(202);
    const id = started.body.handover.id;
    expect(started.headers.get('Location')).toBe(`/v1/handovers/${id}`);
    // The first run dies after 20 customers of its chunk: they are moved and counted, the chunk is not marked.
    let moves = 0;
    const dying: Context = {
      ...ctx,
      store: Object.assign(Object.create(ctx.store), {
        handOverCustomer: (fact: Parameters<Context['store']['handOverCustomer']>[0]) => {
          if (++moves > 20) throw new Error('the worker died');
          return ctx.store.handOverCustomer(fact);
        },
      }),
    };
    await expect(workHandover(dying, id)).rejects.toThrow('the worker died');
    const crashed = (await api.call(s.manager, 'GET', `/v1/handovers/${id}`)).body.handover;
    expect(crashed).toMatchObject({ status: 'running', chunksDone: 0, counts: { customers: 20 } });
    // The next run works one chunk, the page read again: the 20 moved are no longer on it.
    expect(await workHandover(ctx, id)).toBe('worked');
    const midway = (await api.call(s.manager, 'GET', `/v1/handovers/${id}`)).body.handover;
    expect(midway).toMatchObject({ status: 'running', chunksDone: 1, counts: { customers: 70 } });
    expect(await customersOf(leaver.sub)).toHaveLength(230);
    await drainHandover(ctx, id);
    const done = (await api.call(s.manager, 'GET', `/v1/handovers/${id}`)).body.handover;
    expect(done).toMatchObject({ status: 'done', counts: { customers: 300, tasks: 40, skipped: 0 } });

    expect(await customersOf(leaver.sub)).toHaveLength(0);
    const [a, b] = [await customersOf(s.repA.sub), await customersOf(s.repB.sub)];
    expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(20);
    expect(a.length + b.length).toBe(300);
    expect(await openTasksOf(leaver.sub)).toHaveLength(0);
    const tasks = [...(await openTasksOf(s.repA.sub)), ...(await openTasksOf(s.repB.sub))];
    expect(tasks).toHaveLength(40);
    const ownerOf = new Map([...a, ...b].map((c) => [c.id, c.ownerId]));
    for (const task of tasks) expect(task.assigneeId).toBe(ownerOf.get(task.customerId));

    await eachLimited([...a, ...b], 8, async (c) => {
      const log = (await api.call(s.manager, 'GET', `/v1/customers/${c.id}/changes`)).body.items as { field: string; via: string; from: string; to: string }[];
      expect(log.filter((e) => e.field === 'ownerId')).toEqual([expect.objectContaining({ via: 'handover', from: leaver.sub, to: c.ownerId })]);
    });

    // Run again, and a second job for the same leaver: nothing is left to move.
    expect(await workHandover(ctx, id)).toBe('idle');
    const again = await api.call(s.manager, 'POST', `/v1/sites/lv/staff/${leaver.sub}/handover`, { body: { to: [s.repB.sub] } });
    expect((await drainHandover(ctx, again.body.handover.id))?.counts).toEqual({ customers: 0, tasks: 0, skipped: 0, designs: 0 });
    expect((await customersOf(s.repB.sub)).length).toBe(b.length);
  }, 300_000);

  it("keeps last month's intent levels and past days' activity where they fell, and moves this month's leads to the colleagues", async () => {
    expect(await bodies(reports())).toEqual(before);
    const now = (await api.call(s.manager, 'GET', '/v1/reports/intent-levels?siteId=lv&month=2026-11')).body;
    const total = (staffId: string) => now.rows.find((r: { staffId: string }) => r.staffId === staffId)?.total ?? 0;
    expect([total(leaver.sub), total(s.repA.sub) + total(s.repB.sub)]).toEqual([0, 40]);
  });

  it('wakes a hand-over whose worker died once it has not moved for ten minutes, and leaves a finished one alone', async () => {
    await api.call(admin, 'POST', '/v1/sites/lv/staff', { body: { id: 'rep-gone', name: '另一位离职代表', role: 'sales' } });
    await api.call(s.manager, 'POST', '/v1/sites/lv/staff/rep-gone/deactivate');
    const started = await api.call(s.manager, 'POST', '/v1/sites/lv/staff/rep-gone/handover', { body: { to: [s.repA.sub] } });
    api.clock.advance(11 * 60_000);
    expect(await nudgeStalledHandovers(ctx)).toBe(1);
    expect((await api.call(s.manager, 'GET', `/v1/handovers/${started.body.handover.id}`)).body.handover.updatedAt).toBe(api.clock.now().toISOString());
    await drainHandover(ctx, started.body.handover.id);
    api.clock.advance(11 * 60_000);
    expect(await nudgeStalledHandovers(ctx)).toBe(0);
  });
});
