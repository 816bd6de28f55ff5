import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIds, drainHandover, runCallbacksJob, runSlaJob, type Context, type Principal } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/**
 * 离职交接 at its edges: a person on two sites, a colleague who leaves while a hand-over runs,
 * a site whose only manager left, a repair resolved after its agent left, and the tasks a
 * hand-over finds left with the leaver on customers others own.
 */
let api: TestApi;
let ctx: Context;

const at = (iso: string) => (api.clock.current = new Date(iso));
const deactivate = async (by: Principal, site: string, id: string) =>
  expect((await api.call(by, 'POST', `/v1/sites/${site}/staff/${id}/deactivate`)).status).toBe(200);
const addStaff = async (site: string, id: string, role: string, phone?: string) =>
  expect((await api.call(admin, 'POST', `/v1/sites/${site}/staff`, { body: { id, name: `员工${id}`, role, ...(phone ? { phone } : {}) } })).status).toBe(201);

async function customerOf(rep: Principal, site: string): Promise<string> {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId: site, name: '孙丽', phone: freshPhone(), channel: 'walk_in' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.customer.id;
}

async function handOver(by: Principal, site: string, from: string, to: string[]) {
  const res = await api.call(by, 'POST', `/v1/sites/${site}/staff/${from}/handover`, { body: { to } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.handover.id as string;
}

const ownersOf = async (ids: string[]) => Promise.all(ids.map(async (id) => (await api.call(admin, 'GET', `/v1/customers/${id}`)).body.ownerId as string));

beforeAll(async () => {
  api = await createTestApi();
  ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
}, 120_000);
// Monday 23 November 2026, 09:30 in Shanghai, whatever the test before moved the clock to.
beforeEach(() => at('2026-11-23T01:30:00Z'));
afterAll(() => api.close());

describe('a leaver at the edges', () => {
  it('leaves every site when deactivated at one: the other site’s rotation passes them over too', async () => {
    const a = await seedSite(api, 'le-a');
    const b = await seedSite(api, 'le-b');
    const both = staff('sales', 'rep-both-le', ['le-a', 'le-b']);
    await addStaff('le-a', both.sub, 'sales');
    await addStaff('le-b', both.sub, 'sales');
    expect((await api.call(b.manager, 'PUT', '/v1/sites/le-b/reception/duty', { body: { staffIds: [both.sub, b.repA.sub] } })).status).toBe(200);
    await deactivate(a.manager, 'le-a', both.sub);
    expect((await api.call(both, 'GET', '/v1/tasks?siteId=le-b&status=open')).status).toBe(401);
    expect((await api.call(b.repA, 'GET', '/v1/sites/le-b/reception/next')).body).toEqual({ staffId: b.repA.sub, name: b.repA.sub });
    const listed = (await api.call(b.manager, 'GET', '/v1/sites/le-b/staff')).body.items as { id: string; deactivatedAt?: string | null }[];
    expect(listed.find((s) => s.id === both.sub)?.deactivatedAt).toEqual(expect.any(String));
  });

  it('gives nothing more to a colleague who leaves while the hand-over runs, and stops when none is left', async () => {
    const s = await seedSite(api, 'le-c');
    const [gone, later, last] = ['rep-gone-le', 'rep-later-le', 'rep-last-le'];
    for (const id of [gone, later, last]) await addStaff('le-c', id, 'sales');
    const theirs = [];
    for (let i = 0; i < 4; i++) theirs.push(await customerOf(staff('sales', gone, ['le-c']), 'le-c'));
    await deactivate(s.manager, 'le-c', gone);
    const first = await handOver(s.manager, 'le-c', gone, [s.repA.sub, later]);
    await deactivate(s.manager, 'le-c', later);
    expect(await drainHandover(ctx, first)).toMatchObject({ status: 'done', counts: { customers: 4 } });
    expect(await ownersOf(theirs)).toEqual(theirs.map(() => s.repA.sub));

    const next = [];
    for (let i = 0; i < 2; i++) next.push(await customerOf(s.repB, 'le-c'));
    await deactivate(s.manager, 'le-c', s.repB.sub);
    const stopped = await handOver(s.manager, 'le-c', s.repB.sub, [last]);
    await deactivate(s.manager, 'le-c', last);
    expect(await drainHandover(ctx, stopped)).toMatchObject({ status: 'stopped', counts: { customers: 0 } });
    expect(await ownersOf(next)).toEqual([s.repB.sub, s.repB.sub]);
    const resumed = await handOver(s.manager, 'le-c', s.repB.sub, [s.repA.sub]);
    expect(await drainHandover(ctx, resumed)).toMatchObject({ status: 'done', counts: { customers: 2 } });
    expect(await ownersOf(next)).toEqual([s.repA.sub, s.repA.sub]);
  });

  it('escalates a complaint of a site whose only manager left once a manager joins, not to nobody before', async () => {
    const s = await seedSite(api, 'le-d');
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: await customerOf(s.repA, 'le-d'), category: 'service', channel: 'hotline', description: '电梯噪音' },
    });
    const id = filed.body.complaint.id as string;
    await deactivate(admin, 'le-d', s.manager.sub);
    api.clock.current = new Date(Date.parse(filed.body.complaint.respondBy) + 60_000);
    const escalated = async () => (await runSlaJob(ctx)).escalated;
    expect(await escalated()).toBe(0);
    expect(await ctx.store.getComplaint(id)).toMatchObject({ escalated: false });
    await addStaff('le-d', 'mgr-new-le', 'manager', '13800000021');
    expect(await escalated()).toBe(1);
    const tasks = (await api.call(admin, 'GET', `/v1/tasks?siteId=le-d&kind=escalation&status=open`)).body.items as { assigneeId: string }[];
    expect(tasks.map((t) => t.assigneeId)).toEqual(['mgr-new-le']);
  });

  it('gives the callback of a repair resolved after its agent left to the callbacks job, which gives it to an active agent', async () => {
    const s = await seedSite(api, 'le-e');
    const agent = staff('service', 'svc-gone-le', ['le-e']);
    await addStaff('le-e', agent.sub, 'service');
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: await customerOf(s.repA, 'le-e'), category: 'repair', channel: 'hotline', description: '卫生间漏水' },
    });
    const id = filed.body.complaint.id as string;
    const step = (type: string, extra: Record<string, unknown> = {}) =>
      api.call(s.manager, 'POST', `/v1/complaints/${id}/events`, { body: { type, ...extra } });
    expect((await step('assign', { assigneeId: agent.sub })).status).toBe(201);
    expect((await step('respond')).status).toBe(201);
    await deactivate(s.manager, 'le-e', agent.sub);
    expect((await step('resolve', { note: '已更换密封圈' })).status).toBe(201);
    const open = async () =>
      ((await api.call(admin, 'GET', '/v1/tasks?siteId=le-e&kind=repair_callback&status=open')).body.items as { assigneeId: string | null }[]).map(
        (t) => t.assigneeId,
      );
    expect(await open()).toEqual([null]);
    at('2026-11-24T01:30:00Z');
    await runCallbacksJob(ctx, '2026-11-24');
    expect(await open()).toEqual([s.service.sub]);
  });

  it('gives a follow-up left with the leaver to the customer’s owner, and drops a manager’s escalation the colleague holds too', async () => {
    const s = await seedSite(api, 'le-f');
    const gone = staff('manager', 'mgr-gone-le', ['le-f']);
    await addStaff('le-f', gone.sub, 'manager', '13800000031');
    const customer = await customerOf(s.repA, 'le-f');
    // As a hand-over worker that died between a customer's transaction and the saves after it leaves them.
    const followUp = { id: (await api.call(s.repA, 'GET', `/v1/customers/${customer}`)).body.openFollowUpId as string };
    const task = (await ctx.store.getTask(followUp.id))!;
    await ctx.store.saveTask({ ...task, assigneeId: gone.sub, version: task.version + 1 }, task.version);
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: customer, category: 'service', channel: 'hotline', description: '车位被占' },
    });
    api.clock.current = new Date(Date.parse(filed.body.complaint.respondBy) + 60_000);
    expect((await runSlaJob(ctx)).escalated).toBe(1);
    const complaintId = filed.body.complaint.id as string;
    await deactivate(admin, 'le-f', gone.sub);
    const id = await handOver(admin, 'le-f', gone.sub, [s.manager.sub]);
    expect(await drainHandover(ctx, id)).toMatchObject({ status: 'done', counts: { customers: 0, tasks: 2 } });
    expect(await ctx.store.getTask(followUp.id)).toMatchObject({ status: 'open', assigneeId: s.repA.sub });
    expect(await ctx.store.getTask(`escalation:${complaintId}:${gone.sub}`)).toMatchObject({ status: 'cancelled', assigneeId: gone.sub });
    expect(await ctx.store.getTask(`escalation:${complaintId}:${s.manager.sub}`)).toMatchObject({ status: 'open' });
  });
  it('gives the customers a departed designer was assigned to the designer colleagues, with their load, in the hand-over', async () => {
    const s = await seedSite(api, 'le-g', { kind: 'decoration' });
    const [gone, next] = ['dsn-gone-le', 'dsn-next-le'];
    for (const id of [gone, next]) {
      await addStaff('le-g', id, 'designer');
      expect((await api.call(s.manager, 'PUT', `/v1/sites/le-g/staff/${id}/profile`, { body: { level: 'standard', styles: ['现代'] } })).status).toBe(200);
    }
    const theirs = [await customerOf(s.repA, 'le-g'), await customerOf(s.repB, 'le-g')];
    for (const id of theirs) expect((await api.call(s.manager, 'POST', `/v1/customers/${id}/designer`, { body: { staffId: gone } })).status).toBe(200);
    await deactivate(s.manager, 'le-g', gone);
    await addStaff('le-g', 'dsn-bare-le', 'designer');
    const refused = await api.call(s.manager, 'POST', `/v1/sites/le-g/staff/${gone}/handover`, { body: { to: [s.repA.sub, 'dsn-bare-le'] } });
    // A rep cannot take a designer's work, nor can a designer the assignment would refuse for want of a profile.
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: 'to.0', code: 'wrong_role' }),
      expect.objectContaining({ path: 'to.1', code: 'not_designer' }),
    ]);
    const id = await handOver(s.manager, 'le-g', gone, [next]);
    expect(await drainHandover(ctx, id)).toMatchObject({ status: 'done', counts: { customers: 0, designs: 2 } });
    const designers = await Promise.all(theirs.map(async (c) => (await api.call(admin, 'GET', `/v1/customers/${c}`)).body));
    expect(designers.map((c) => [c.designerId, c.designerDecision?.decidedBy])).toEqual([
      [next, s.manager.sub],
      [next, s.manager.sub],
    ]);
    const listed = (await api.call(staff('designer', next, ['le-g']), 'GET', '/v1/customers?siteId=le-g')).body.items as { id: string }[];
    expect(listed.map((c) => c.id).sort()).toEqual([...theirs].sort());
    expect((await api.call(s.manager, 'GET', `/v1/handovers/${id}`)).body.handover.counts).toMatchObject({ designs: 2 });
    expect((await ctx.store.getDesignerProfile('le-g', next))?.recent).toHaveLength(2);
    expect((await ctx.store.getDesignerProfile('le-g', gone))?.recent).toEqual([]);
  });
  it('starts one hand-over of a leaver when two are asked for at the same moment, and another once it has ended', async () => {
    const s = await seedSite(api, 'le-h');
    const gone = 'rep-twice-le';
    await addStaff('le-h', gone, 'sales');
    await customerOf(staff('sales', gone, ['le-h']), 'le-h');
    await deactivate(s.manager, 'le-h', gone);
    const ask = () => api.call(s.manager, 'POST', `/v1/sites/le-h/staff/${gone}/handover`, { body: { to: [s.repA.sub] } });
    const answers = await Promise.all([ask(), ask(), ask()]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
    const started = answers.find((a) => a.status === 202)!.body.handover.id as string;
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.code).toBe('handover_running');
    expect(await drainHandover(ctx, started)).toMatchObject({ status: 'done', counts: { customers: 1 } });
    expect((await ask()).status).toBe(202);
  });
});
