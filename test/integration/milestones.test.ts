import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, drainImport } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

// 004: a lead is chased by their own timeline, e.g. a flooring lead by the renovation's progress.
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
// 09:30 in Shanghai on 2026-11-23.
const START = new Date('2026-11-23T01:30:00Z');

interface TaskView {
  id: string;
  kind: string;
  status: string;
  customerId: string;
  assigneeId: string;
  customerName: string;
  customerPhone: string;
  plan: string | null;
  dueOn: string | null;
  dueAt: string;
  note: string | null;
  version?: number;
}

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'mile');
});
afterAll(() => api.close());

async function newLead(needs: Record<string, unknown>, siteId = 'mile', rep = s.repA) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '钱多多', phone: freshPhone(), channel: 'walk_in', needs } });
  expect(res.status).toBe(201);
  return res.body as { customer: { id: string; openFollowUpId: string } };
}

async function tasksOf(customerId: string, siteId = 'mile'): Promise<TaskView[]> {
  const all: TaskView[] = [];
  for (const status of ['open', 'done', 'cancelled']) {
    const res = await api.call(admin, 'GET', `/v1/tasks?siteId=${siteId}&status=${status}&limit=100`);
    expect(res.status).toBe(200);
    all.push(...res.body.items.filter((t: TaskView) => t.customerId === customerId));
  }
  return all.sort((a, b) => a.id.localeCompare(b.id));
}
const milestonesOf = async (customerId: string, siteId = 'mile') => (await tasksOf(customerId, siteId)).filter((t) => t.kind === 'milestone');
const followUpOf = async (customerId: string) => (await tasksOf(customerId)).filter((t) => t.kind === 'follow_up');

async function patchNeeds(customerId: string, needs: Record<string, unknown>) {
  const res = await api.call(s.repA, 'PATCH', `/v1/customers/${customerId}`, { body: { needs } });
  expect(res.status).toBe(200);
}

describe('milestone calls by the customer’s own dates', () => {
  it('opens one milestone per rule at intake, for the owner, at 09:00 on the due site day, beside the follow-up', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31' });
    const milestones = await milestonesOf(customer.id);
    expect(milestones.map((t) => [t.id, t.status, t.plan, t.dueOn, t.dueAt])).toEqual([
      [`milestone:${customer.id}:installDate:30`, 'open', 'installDate-30', '2027-01-01', '2027-01-01T01:00:00.000Z'],
      [`milestone:${customer.id}:installDate:7`, 'open', 'installDate-7', '2027-01-24', '2027-01-24T01:00:00.000Z'],
    ]);
    for (const t of milestones) expect(t).toMatchObject({ assigneeId: s.repA.sub, customerName: '钱多多' });
    expect(milestones[0]!.customerPhone).toMatch(/^\+86/);
    expect((await followUpOf(customer.id)).map((t) => [t.id, t.status])).toEqual([[customer.openFollowUpId, 'open']]);
  });

  it('moves the same tasks once when the date moves, and leaves the follow-up untouched', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31', handoverDate: '2027-03-01' });
    const followUp = await followUpOf(customer.id);
    const before = await milestonesOf(customer.id);
    expect(before).toHaveLength(3);
    await patchNeeds(customer.id, { installDate: '2027-02-10' });
    await patchNeeds(customer.id, { installDate: '2027-02-10' });
    const after = await milestonesOf(customer.id);
    expect(after.map((t) => [t.id, t.status, t.dueOn])).toEqual([
      [`milestone:${customer.id}:handoverDate:14`, 'open', '2027-02-15'],
      [`milestone:${customer.id}:installDate:30`, 'open', '2027-01-11'],
      [`milestone:${customer.id}:installDate:7`, 'open', '2027-02-03'],
    ]);
    // The handover date did not change: its milestone was not written again.
    expect(after[0]).toEqual(before.find((t) => t.id === after[0]!.id));
    expect(await followUpOf(customer.id)).toEqual(followUp);
  });

  it('lets the time agreed with the customer set the next follow-up, and leaves the milestones as they were', async () => {
    api.clock.current = START;
    // repB's: a contact counts a follow-up done, and a later test counts repA's of the day.
    const { customer } = await newLead({ installDate: '2027-01-31' }, 'mile', s.repB);
    const milestones = await milestonesOf(customer.id);
    expect(milestones).toHaveLength(2);
    // 14:00 in Shanghai two days on: not what the cadence or a milestone would have picked.
    const agreed = '2026-11-25T06:00:00.000Z';
    const res = await api.call(s.repB, 'POST', `/v1/customers/${customer.id}/interactions`, {
      body: { channel: 'call', summary: '装修队下周进场，周三下午再联系', nextFollowUpAt: agreed },
    });
    expect(res.status).toBe(201);
    expect(res.body.nextFollowUp.dueAt).toBe(agreed);
    const open = (await followUpOf(customer.id)).filter((t) => t.status === 'open');
    expect(open.map((t) => [t.id, t.dueAt])).toEqual([[res.body.nextFollowUp.id, agreed]]);
    expect(await milestonesOf(customer.id)).toEqual(milestones);
    expect((await milestonesOf(customer.id)).map((t) => t.status)).toEqual(['open', 'open']);
  });

  it('opens no milestone already past when the date moves near, and cancels the one that passed', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31' });
    await patchNeeds(customer.id, { installDate: '2026-12-05' });
    expect((await milestonesOf(customer.id)).map((t) => [t.plan, t.status, t.dueOn])).toEqual([
      ['installDate-30', 'cancelled', '2027-01-01'],
      ['installDate-7', 'open', '2026-11-28'],
    ]);
    const late = await newLead({ installDate: '2026-12-05' });
    expect((await milestonesOf(late.customer.id)).map((t) => [t.plan, t.status])).toEqual([['installDate-7', 'open']]);
  });

  it('cancels the open milestones when the date is cleared, and reopens the same ones when it comes back', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31', notes: '旧房翻新' });
    await patchNeeds(customer.id, { installDate: null });
    expect((await milestonesOf(customer.id)).map((t) => [t.plan, t.status, t.note])).toEqual([
      ['installDate-30', 'cancelled', 'installDate cleared'],
      ['installDate-7', 'cancelled', 'installDate cleared'],
    ]);
    const shown = await api.call(s.repA, 'GET', `/v1/customers/${customer.id}`);
    expect(shown.body.needs).toEqual({ notes: '旧房翻新' });
    expect((await followUpOf(customer.id)).map((t) => t.status)).toEqual(['open']);
    await patchNeeds(customer.id, { installDate: '2027-03-01' });
    expect((await milestonesOf(customer.id)).map((t) => [t.plan, t.status, t.dueOn])).toEqual([
      ['installDate-30', 'open', '2027-01-30'],
      ['installDate-7', 'open', '2027-02-22'],
    ]);
  });

  it('closes a completed milestone without touching the follow-up or counting a follow-up done', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31' });
    const [first] = await milestonesOf(customer.id);
    const done = await api.call(s.repA, 'POST', `/v1/tasks/${first!.id}/complete`, { body: { outcome: 'unreachable' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ kind: 'milestone', status: 'done', outcome: 'unreachable' });
    expect((await followUpOf(customer.id)).map((t) => [t.id, t.status])).toEqual([[customer.openFollowUpId, 'open']]);
    const report = await api.call(s.manager, 'GET', '/v1/reports/daily-activity?siteId=mile&date=2026-11-23');
    expect(report.body.rows.find((r: { staffId: string }) => r.staffId === s.repA.sub).followUpsDone).toBe(0);
    // A moved date does not ask again for a call made already.
    await patchNeeds(customer.id, { installDate: '2027-02-20' });
    expect((await milestonesOf(customer.id)).map((t) => [t.plan, t.status, t.dueOn])).toEqual([
      ['installDate-30', 'done', '2027-01-01'],
      ['installDate-7', 'open', '2027-02-13'],
    ]);
  });

  it('carries a new name onto the moved milestones in the same change', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31' });
    const res = await api.call(s.repA, 'PATCH', `/v1/customers/${customer.id}`, { body: { name: '钱满满', needs: { installDate: '2027-02-02' } } });
    expect(res.status).toBe(200);
    expect((await milestonesOf(customer.id)).map((t) => [t.customerName, t.dueOn])).toEqual([
      ['钱满满', '2027-01-03'],
      ['钱满满', '2027-01-26'],
    ]);
  });

  it('cancels the open milestones of a lead whose loss a manager approved', async () => {
    api.clock.current = START;
    const { customer } = await newLead({ installDate: '2027-01-31' });
    expect((await api.call(s.repA, 'POST', `/v1/customers/${customer.id}/loss`, { body: { reason: '已选竞品' } })).status).toBe(200);
    expect((await api.call(s.manager, 'POST', `/v1/customers/${customer.id}/loss/approve`, { body: {} })).status).toBe(200);
    expect((await milestonesOf(customer.id)).map((t) => [t.status, t.note])).toEqual([
      ['cancelled', 'lead lost'],
      ['cancelled', 'lead lost'],
    ]);
  });

  it('move to the owner a manager decides when two reps collided over the customer', async () => {
    api.clock.current = START;
    const phone = freshPhone();
    const first = await api.call(s.repA, 'POST', '/v1/customers', {
      body: { siteId: 'mile', name: '孔明', phone, channel: 'walk_in', needs: { installDate: '2027-01-31' } },
    });
    expect(first.status).toBe(201);
    const second = await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'mile', name: '孔明', phone, channel: 'phone' } });
    expect(second.body.attribution.conflict).toBe(true);
    const conflicts = await api.call(s.manager, 'GET', '/v1/conflicts?siteId=mile&status=open');
    const conflict = conflicts.body.items.find((c: { customerId: string }) => c.customerId === first.body.customer.id);
    expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);
    const tasks = await tasksOf(first.body.customer.id);
    expect(tasks.filter((t) => t.status === 'open').map((t) => [t.kind, t.assigneeId])).toEqual([
      ['follow_up', s.repB.sub],
      ['milestone', s.repB.sub],
      ['milestone', s.repB.sub],
    ]);
  });

  it('opens the milestones of a lead list that carries the dates, once however often it is imported', async () => {
    api.clock.current = START;
    const phone = freshPhone();
    const file = `姓名,手机,来源,安装日期\r\n鲁班,${phone},扫楼,2027/1/31\r\n`;
    for (let i = 0; i < 2; i++) {
      const res = await api.call(s.manager, 'POST', '/v1/imports?siteId=mile&kind=leads', { raw: file, headers: { 'Content-Type': 'text/csv' } });
      expect(res.status).toBe(202);
      await drainImport({ store: api.table.store, clock: api.clock, ids: createIds() }, res.body.import.id);
    }
    const found = await api.call(admin, 'GET', `/v1/customers?siteId=mile&phone=${phone}`);
    expect(found.body.items[0].needs).toEqual({ installDate: '2027-01-31' });
    expect((await milestonesOf(found.body.items[0].id)).map((t) => [t.plan, t.status, t.dueOn])).toEqual([
      ['installDate-30', 'open', '2027-01-01'],
      ['installDate-7', 'open', '2027-01-24'],
    ]);
  });

  it('takes its offsets from the site setting, which refuses a rule named twice or out of range', async () => {
    const s2 = await seedSite(api, 'mile2', { milestones: [{ field: 'handoverDate', daysBefore: 10 }], timezone: 'Europe/Berlin' });
    for (const milestones of [
      [{ field: 'installDate', daysBefore: 0 }],
      [
        { field: 'installDate', daysBefore: 5 },
        { field: 'installDate', daysBefore: 5 },
      ],
      [{ field: 'birthday', daysBefore: 5 }],
    ]) {
      const refused = await api.call(admin, 'PATCH', '/v1/sites/mile2', { body: { milestones } });
      expect(refused.status).toBe(400);
    }
    const site = await api.call(admin, 'GET', '/v1/sites/mile2');
    expect(site.body.milestones).toEqual([{ field: 'handoverDate', daysBefore: 10 }]);
    expect((await api.call(admin, 'GET', '/v1/sites/mile')).body.milestones).toEqual([
      { field: 'installDate', daysBefore: 30 },
      { field: 'installDate', daysBefore: 7 },
      { field: 'handoverDate', daysBefore: 14 },
    ]);
    api.clock.current = START;
    const res = await api.call(s2.repA, 'POST', '/v1/customers', {
      body: { siteId: 'mile2', name: '周全', phone: freshPhone(), channel: 'phone', needs: { installDate: '2027-01-31', handoverDate: '2027-06-30' } },
    });
    expect(res.status).toBe(201);
    // 09:00 in Berlin in summer is 07:00 UTC.
    expect((await milestonesOf(res.body.customer.id, 'mile2')).map((t) => [t.plan, t.dueOn, t.dueAt])).toEqual([
      ['handoverDate-10', '2027-06-20', '2027-06-20T07:00:00.000Z'],
    ]);
  });
});
