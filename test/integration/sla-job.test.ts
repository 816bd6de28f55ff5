import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIds, isJobName, runJob, runSlaJob, type Principal } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const HOUR = 3600_000;
const MINUTE = 60_000;
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: createIds() });

// The seeded manager and service agent have no phone; these two have.
const manager2 = staff('manager', 'mgr2-sla', ['sla']);
const agent = staff('service', 'svcp-sla', ['sla']);
const MANAGER2_PHONE = '+8613800000001';
const AGENT_PHONE = '+8613800000002';

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'sla');
  await api.call(admin, 'POST', '/v1/sites/sla/staff', { body: { id: manager2.sub, name: '王经理', role: 'manager', phone: '13800000001' } });
  await api.call(admin, 'POST', '/v1/sites/sla/staff', { body: { id: agent.sub, name: '李客服', role: 'service', phone: '13800000002' } });
});
afterAll(() => api.close());

/** Complaints a test left unanswered would be acted on by the next test's runs. */
const open: string[] = [];
afterEach(async () => {
  for (const id of open.splice(0)) await step(s.manager, id, { type: 'respond' });
});

async function file(body: Record<string, unknown> = {}) {
  const phone = freshPhone();
  const customer = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'sla', name: '冯刚', phone, channel: 'walk_in' } });
  const res = await api.call(s.service, 'POST', '/v1/complaints', {
    body: { customerId: customer.body.customer.id, category: 'service', channel: 'hotline', description: '物业不回电话', ...body },
  });
  const id = res.body.complaint.id as string;
  open.push(id);
  return {
    id,
    customerId: customer.body.customer.id as string,
    phone: customer.body.customer.phone as string,
    respondBy: Date.parse(res.body.complaint.respondBy),
  };
}
const step = (who: Principal, id: string, body: Record<string, unknown>) => api.call(who, 'POST', `/v1/complaints/${id}/events`, { body });
const timeline = async (id: string) => (await api.call(s.manager, 'GET', `/v1/complaints/${id}`)).body;
const slaEvents = async (id: string) =>
  (await timeline(id)).timeline.filter((e: { by: { kind: string } }) => e.by.kind === 'system').map((e: { event: string }) => e.event);
const escalationTasks = async (id: string) =>
  (await api.call(s.manager, 'GET', '/v1/tasks?siteId=sla&kind=escalation&limit=100')).body.items.filter((t: { complaintId: string }) => t.complaintId === id);
const at = (instant: number) => (api.clock.current = new Date(instant));

describe('the SLA job', () => {
  it('run five times over a breach, warns once and escalates once', async () => {
    const c = await file();
    await step(s.manager, c.id, { type: 'assign', assigneeId: agent.sub });

    const runs = [];
    for (const offset of [-3 * HOUR, -90 * MINUTE, -30 * MINUTE, MINUTE, 2 * HOUR]) {
      at(c.respondBy + offset);
      runs.push(await runSlaJob(ctx()));
    }
    expect(runs).toEqual([
      { job: 'sla', checked: 0, warned: 0, escalated: 0 },
      { job: 'sla', checked: 1, warned: 1, escalated: 0 },
      { job: 'sla', checked: 1, warned: 0, escalated: 0 },
      { job: 'sla', checked: 1, warned: 0, escalated: 1 },
      { job: 'sla', checked: 1, warned: 0, escalated: 0 },
    ]);

    const complaint = await timeline(c.id);
    expect(complaint).toMatchObject({ status: 'received', escalated: true, warnedAt: new Date(c.respondBy - 90 * MINUTE).toISOString() });
    expect(await slaEvents(c.id)).toEqual(['sla_warning', 'escalated']);
    expect(complaint.timeline.find((e: { event: string }) => e.event === 'sla_warning')).toMatchObject({
      by: { kind: 'system', id: 'sla' },
      internal: true,
      details: { to: [agent.sub] },
    });

    const tasks = await escalationTasks(c.id);
    expect(tasks.map((t: { id: string }) => t.id).sort()).toEqual([`escalation:${c.id}:${manager2.sub}`, `escalation:${c.id}:${s.manager.sub}`].sort());
    for (const t of tasks)
      expect(t).toMatchObject({
        status: 'open',
        customerId: c.customerId,
        dueAt: new Date(c.respondBy + MINUTE).toISOString(),
        assigneeId: t.id.split(':').at(-1),
      });

    const store = api.table.store;
    expect(await store.getMessage(`sms:sla_warning:${c.id}:${agent.sub}`)).toMatchObject({
      to: AGENT_PHONE,
      staffId: agent.sub,
      kind: 'notice',
      state: 'queued',
    });
    const toManager = await store.getMessage(`sms:sla_escalation:${c.id}:${manager2.sub}`);
    expect(toManager).toMatchObject({ to: MANAGER2_PHONE, staffId: manager2.sub, customerId: c.customerId, kind: 'notice', state: 'queued' });
    expect(toManager!.body).toContain(`投诉${complaint.number}`);
    expect(toManager!.body).toContain('王经理');
    // The seeded manager has no phone: the task, but no SMS.
    expect(await store.getMessage(`sms:sla_escalation:${c.id}:${s.manager.sub}`)).toBeNull();
    const purposes = (await api.call(s.manager, 'GET', `/v1/customers/${c.customerId}/messages`)).body.items.map((m: { purpose: string }) => m.purpose).sort();
    expect(purposes).toEqual(['complaint_ack', 'sla_escalation', 'sla_warning']);

    const owner: Principal = { sub: 'owner-sla', role: 'owner', sites: [], phone: c.phone };
    const seen = await api.call(owner, 'GET', `/v1/complaints/${c.id}`);
    expect(seen.body.timeline.map((e: { event: string }) => e.event)).toEqual(['received', 'assign']);
  });

  it('warns once and escalates once when two runs overlap', async () => {
    const c = await file();
    at(c.respondBy - HOUR);
    const warnings = await Promise.all([runSlaJob(ctx()), runSlaJob(ctx())]);
    expect(warnings.map((r) => r.warned).sort()).toEqual([0, 1]);
    at(c.respondBy);
    const escalations = await Promise.all([runSlaJob(ctx()), runSlaJob(ctx())]);
    expect(escalations.map((r) => r.escalated).sort()).toEqual([0, 1]);
    expect(await slaEvents(c.id)).toEqual(['sla_warning', 'escalated']);
    expect(await escalationTasks(c.id)).toHaveLength(2);
    const messages = (await api.call(s.manager, 'GET', `/v1/customers/${c.customerId}/messages`)).body.items;
    expect(messages.filter((m: { purpose: string }) => m.purpose === 'sla_escalation')).toHaveLength(1);
    // Unassigned: the service agents are warned, the one with a phone by SMS.
    expect(messages.filter((m: { purpose: string }) => m.purpose === 'sla_warning').map((m: { to: string }) => m.to)).toEqual([AGENT_PHONE]);
  });

  it('escalates without a warning a complaint first seen past its deadline', async () => {
    const c = await file();
    at(c.respondBy + 3 * HOUR);
    expect(await runSlaJob(ctx())).toMatchObject({ warned: 0, escalated: 1 });
    expect(await slaEvents(c.id)).toEqual(['escalated']);
  });

  it('never touches a complaint answered before its deadline', async () => {
    const c = await file();
    at(c.respondBy - 3 * HOUR);
    await step(s.service, c.id, { type: 'respond', note: '已回电' });
    open.splice(open.indexOf(c.id), 1);
    for (const offset of [-HOUR, HOUR]) {
      at(c.respondBy + offset);
      expect(await runSlaJob(ctx())).toEqual({ job: 'sla', checked: 0, warned: 0, escalated: 0 });
    }
    expect(await slaEvents(c.id)).toEqual([]);
    expect((await timeline(c.id)).warnedAt).toBeNull();
  });

  it('warns about an urgent complaint two hours before its four-hour deadline', async () => {
    const c = await file({ severity: 'urgent' });
    at(c.respondBy - 4 * HOUR + MINUTE);
    expect(await runSlaJob(ctx())).toMatchObject({ warned: 0 });
    at(c.respondBy - 2 * HOUR - MINUTE);
    expect(await runSlaJob(ctx())).toMatchObject({ warned: 0 });
    at(c.respondBy - 2 * HOUR);
    expect(await runSlaJob(ctx())).toMatchObject({ warned: 1 });
    expect((await timeline(c.id)).warnedAt).toBe(new Date(c.respondBy - 2 * HOUR).toISOString());
  });

  it('is the registered job `sla`, as `npm run job -- sla --at` and the scheduler run it', async () => {
    const c = await file();
    at(c.respondBy);
    expect(isJobName('sla')).toBe(true);
    expect(await runJob('sla', ctx())).toEqual({ job: 'sla', checked: 1, warned: 0, escalated: 1 });
  });
});
