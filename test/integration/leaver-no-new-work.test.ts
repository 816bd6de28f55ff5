import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, drainHandover, runCallbacksJob, runDayCloseJob, runSlaJob, type Context } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

/**
 * 离职交接: once a manager deactivates a sales rep, a service agent, a manager and a designer
 * of one site, no path that hands out new work chooses or accepts any of them.
 */
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let ctx: Context;
const SITE = 'nw';
const repGone = staff('sales', 'rep-gone-nw', [SITE]);
const agent2 = staff('service', 'svc2-nw', [SITE]);
const agentGone = staff('service', 'svc-gone-nw', [SITE]);
const manager2 = staff('manager', 'mgr2-nw', [SITE]);
const managerGone = staff('manager', 'mgr-gone-nw', [SITE]);
const designer = 'dsn-nw';
const designerGone = 'dsn-gone-nw';
const leavers = [repGone.sub, agentGone.sub, managerGone.sub, designerGone];

interface TaskView {
  id: string;
  kind: string;
  customerId: string;
  assigneeId: string | null;
  complaintId?: string;
}

const at = (iso: string) => (api.clock.current = new Date(iso));
const tasks = async (query: string): Promise<TaskView[]> => (await api.call(admin, 'GET', `/v1/tasks?siteId=${SITE}&limit=100&${query}`)).body.items;
const openOf = async (assigneeId: string): Promise<TaskView[]> =>
  (await api.call(s.manager, 'GET', `/v1/tasks?siteId=${SITE}&assigneeId=${assigneeId}&status=open&limit=100`)).body.items;

async function customer(rep = s.repA, phone = freshPhone(), needs?: Record<string, unknown>) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId: SITE, name: '周婷', phone, channel: 'walk_in', ...(needs ? { needs } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** Owners handed their homes on the day, three months before their callbacks fall due; the customers stay repA's. */
async function delivered(count: number, deliveredOn: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = (await customer()).customer.id as string;
    const res = await api.call(s.service, 'POST', `/v1/customers/${id}/deliveries`, {
      body: { asset: { kind: 'home', label: `${deliveredOn}-${i}` }, deliveredOn },
    });
    expect(res.status).toBe(201);
    ids.push(id);
  }
  return ids;
}

/** The callbacks given out on the customers; the later ones of each plan wait unassigned. */
const callbacksOf = async (customerIds: string[]) =>
  (await tasks('kind=callback&status=open')).filter((t) => customerIds.includes(t.customerId) && t.assigneeId !== null);

let givenBefore: TaskView[];

beforeAll(async () => {
  api = await createTestApi();
  ctx = { store: api.table.store, clock: api.clock, ids: createIds() };
  // Friday 20 November 2026, 09:30 in Shanghai: the site, its people, and the work they had before they left.
  at('2026-11-20T01:30:00Z');
  s = await seedSite(api, SITE, { kind: 'decoration' });
  const people: [string, string, string, string?][] = [
    [repGone.sub, '离职销售', 'sales'],
    [agent2.sub, '第二客服', 'service'],
    [agentGone.sub, '离职客服', 'service'],
    [manager2.sub, '王经理', 'manager', '13800000011'],
    [managerGone.sub, '离职经理', 'manager', '13800000012'],
    [designer, '在职设计师', 'designer'],
    [designerGone, '离职设计师', 'designer'],
  ];
  for (const [id, name, role, phone] of people) {
    const res = await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { body: { id, name, role, ...(phone ? { phone } : {}) } });
    expect(res.status).toBe(201);
  }
  for (const id of [designer, designerGone]) {
    const res = await api.call(s.manager, 'PUT', `/v1/sites/${SITE}/staff/${id}/profile`, { body: { level: 'standard', styles: ['北欧'] } });
    expect(res.status).toBe(200);
  }
  const duty = await api.call(s.manager, 'PUT', `/v1/sites/${SITE}/reception/duty`, { body: { staffIds: [s.repA.sub, repGone.sub, s.repB.sub] } });
  expect(duty.status).toBe(200);
  // Three callbacks due today, one to each of the three agents while all three are in.
  const first = await delivered(3, '2026-08-20');
  expect(await runCallbacksJob(ctx, '2026-11-20')).toMatchObject({ announced: 3 });
  givenBefore = await callbacksOf(first);

  // Monday 23 November: the manager deactivates the four leavers.
  at('2026-11-23T01:30:00Z');
  for (const id of leavers) expect((await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${id}/deactivate`)).status).toBe(200);
}, 120_000);
afterAll(() => api.close());

describe('a deactivated staff member receives no new work', () => {
  it('passes over the departed rep in the walk-in rotation, whether the desk looks or takes the turn', async () => {
    const look = () => api.call(s.repA, 'GET', `/v1/sites/${SITE}/reception/next`);
    const take = () => api.call(s.repA, 'POST', `/v1/sites/${SITE}/reception/next`);
    expect((await look()).body).toEqual({ staffId: s.repA.sub, name: s.repA.sub });
    expect((await take()).body).toEqual({ staffId: s.repA.sub, name: s.repA.sub });
    expect((await look()).body).toEqual({ staffId: s.repB.sub, name: s.repB.sub });
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push((await take()).body.staffId);
    expect(taken).toEqual([s.repB.sub, s.repA.sub, s.repB.sub, s.repA.sub]);
  });

  it('refuses a rotation that puts the departed rep on duty, naming them in either language', async () => {
    const res = await api.call(s.manager, 'PUT', `/v1/sites/${SITE}/reception/duty`, { body: { staffIds: [s.repA.sub, repGone.sub] } });
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'staffIds', code: 'staff_deactivated', message: expect.stringContaining(repGone.sub) })]);
    const zh = await api.call(s.manager, 'PUT', `/v1/sites/${SITE}/reception/duty`, {
      body: { staffIds: [repGone.sub] },
      headers: { 'Accept-Language': 'zh' },
    });
    expect(zh.body.errors[0].message).toContain('已停用');
  });

  it('gives the callbacks job’s callbacks only to the agents still active', async () => {
    expect(givenBefore).toHaveLength(3);
    expect(new Set(givenBefore.map((t) => t.assigneeId))).toEqual(new Set([s.service.sub, agent2.sub, agentGone.sub]));
    const owners = await delivered(4, '2026-08-23');
    expect(await runCallbacksJob(ctx, '2026-11-23')).toMatchObject({ announced: 4 });
    const given = (await callbacksOf(owners)).map((t) => t.assigneeId);
    expect(given).toHaveLength(4);
    expect(new Set(given)).toEqual(new Set([s.service.sub, agent2.sub]));
  });

  it('neither ranks the departed designer in a match nor lets anyone assign them', async () => {
    const id = (await customer(s.repA, freshPhone(), { area: 100, budget: 200_000 })).customer.id as string;
    const match = await api.call(s.repA, 'POST', `/v1/customers/${id}/matches`, { body: {} });
    expect(match.status).toBe(200);
    expect(match.body.candidates.map((c: { staffId: string }) => c.staffId)).toEqual([designer]);
    const assigned = await api.call(s.repA, 'POST', `/v1/customers/${id}/designer`, { body: { staffId: designerGone } });
    expect(assigned.status).toBe(400);
    expect(assigned.body.errors).toEqual([expect.objectContaining({ path: 'staffId', code: 'staff_deactivated' })]);
    expect((await api.call(s.repA, 'GET', `/v1/customers/${id}`)).body.designerId ?? null).toBeNull();
  });

  it('refuses to settle a conflict in favour of the departed rep, and settles it for an active one', async () => {
    const phone = freshPhone();
    await customer(s.repA, phone);
    const collided = await customer(s.repB, phone);
    expect(collided.attribution).toEqual({ isNew: false, conflict: true });
    const open = (await api.call(s.manager, 'GET', `/v1/conflicts?siteId=${SITE}&status=open`)).body.items as { id: string; customerId: string }[];
    const conflict = open.find((c) => c.customerId === collided.customerId)!;
    const refused = await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: repGone.sub } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'ownerId', code: 'staff_deactivated' })]);
    expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);
  });

  it('refuses a complaint assigned to the departed agent', async () => {
    const id = (await customer()).customer.id as string;
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: id, category: 'service', channel: 'hotline', description: '漏水' },
    });
    const res = await api.call(s.manager, 'POST', `/v1/complaints/${filed.body.complaint.id}/events`, { body: { type: 'assign', assigneeId: agentGone.sub } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assigneeId', code: 'staff_deactivated' })]);
    await api.call(s.manager, 'POST', `/v1/complaints/${filed.body.complaint.id}/events`, { body: { type: 'respond' } });
  });

  it('rejects the rows of a lead list that name the departed rep as owner', async () => {
    const file = `姓名,手机,来源,负责人\r\n王五,${freshPhone()},扫楼,${repGone.sub}\r\n赵六,${freshPhone()},扫楼,${s.repA.sub}\r\n`;
    const res = await api.call(s.manager, 'POST', `/v1/imports?siteId=${SITE}&kind=leads&dryRun=true`, { raw: file, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(202);
    expect(res.body.errors).toMatchObject([{ row: 2, column: 'ownerId', code: 'owner_deactivated' }]);
    expect(res.body.import.counts).toMatchObject({ valid: 1, invalid: 1 });
  });

  it('warns the active agents of an unanswered complaint and escalates it to the active managers only', async () => {
    const id = (await customer()).customer.id as string;
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: id, category: 'service', channel: 'hotline', description: '物业不回电话' },
    });
    const complaintId = filed.body.complaint.id as string;
    const respondBy = Date.parse(filed.body.complaint.respondBy);
    api.clock.current = new Date(respondBy - 90 * 60_000);
    expect(await runSlaJob(ctx)).toMatchObject({ warned: 1 });
    api.clock.current = new Date(respondBy + 60_000);
    expect(await runSlaJob(ctx)).toMatchObject({ escalated: 1 });
    const timeline = (await api.call(s.manager, 'GET', `/v1/complaints/${complaintId}`)).body.timeline as { event: string; details: { to: string[] } }[];
    expect(new Set(timeline.find((e) => e.event === 'sla_warning')!.details.to)).toEqual(new Set([s.service.sub, agent2.sub]));
    expect(new Set(timeline.find((e) => e.event === 'escalated')!.details.to)).toEqual(new Set([s.manager.sub, manager2.sub]));
    const escalations = (await tasks('kind=escalation&status=open')).filter((t) => t.complaintId === complaintId);
    expect(new Set(escalations.map((t) => t.assigneeId))).toEqual(new Set([s.manager.sub, manager2.sub]));
    expect(await api.table.store.getMessage(`sms:sla_escalation:${complaintId}:${managerGone.sub}`)).toBeNull();
    await api.call(s.manager, 'POST', `/v1/complaints/${complaintId}/events`, { body: { type: 'respond' } });
  });

  it('escalates an unanswered loss request and texts the evening digest to active managers only', async () => {
    at('2026-11-23T02:00:00Z');
    const id = (await customer()).customer.id as string;
    expect((await api.call(s.repA, 'POST', `/v1/customers/${id}/loss`, { body: { reason: '已选其他装修公司' } })).status).toBe(200);
    // Wednesday 20:45, the last run before quiet hours: past the two days a manager had to answer, and the evening.
    at('2026-11-25T12:45:00Z');
    expect(await runDayCloseJob(ctx)).toMatchObject({ lossRequestsEscalated: 1, digests: 1 });
    const escalated = (await tasks('kind=loss_escalation&status=open')).filter((t) => t.customerId === id);
    expect(new Set(escalated.map((t) => t.assigneeId))).toEqual(new Set([s.manager.sub, manager2.sub]));
    expect(await api.table.store.getMessage(`sms:daily_digest:${SITE}:2026-11-25:${manager2.sub}`)).toMatchObject({ staffId: manager2.sub });
    expect(await api.table.store.getMessage(`sms:daily_digest:${SITE}:2026-11-25:${managerGone.sub}`)).toBeNull();
  });

  it('moves the departed agent’s open callbacks, on customers a rep owns, to a colleague in the hand-over, and counts them', async () => {
    const theirs = await openOf(agentGone.sub);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((t) => t.kind === 'callback')).toBe(true);
    const started = await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${agentGone.sub}/handover`, { body: { to: [agent2.sub] } });
    expect(started.status).toBe(202);
    await drainHandover(ctx, started.body.handover.id);
    const done = (await api.call(s.manager, 'GET', `/v1/handovers/${started.body.handover.id}`)).body.handover;
    expect(done).toMatchObject({ status: 'done', counts: { customers: 0, tasks: theirs.length, skipped: 0 } });
    expect(await openOf(agentGone.sub)).toEqual([]);
    const moved = (await openOf(agent2.sub)).filter((t) => theirs.some((x) => x.id === t.id));
    expect(moved).toHaveLength(theirs.length);
    // A second hand-over of the same leaver finds nothing left.
    const again = await api.call(s.manager, 'POST', `/v1/sites/${SITE}/staff/${agentGone.sub}/handover`, { body: { to: [s.service.sub] } });
    expect((await drainHandover(ctx, again.body.handover.id))?.counts).toEqual({ customers: 0, tasks: 0, skipped: 0, designs: 0 });
  });
});
