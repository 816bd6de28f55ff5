import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteDay } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

// 004: a potential lead knows the brand and has no need yet; it is watched, not chased.
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const DAY = 24 * 3600_000;
const START = new Date('2026-11-23T01:30:00Z');

interface TaskView {
  id: string;
  kind: string;
  status: string;
  customerId: string;
  assigneeId: string;
  dueAt: string;
}

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'pot');
});
afterAll(() => api.close());

const daysFromNow = (iso: string) => (Date.parse(iso) - api.clock.now().getTime()) / DAY;

async function newLead(siteId: string, extra: Record<string, unknown> = {}, rep = s.repA) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '孙悦', phone: freshPhone(), channel: 'event', ...extra } });
  expect(res.status).toBe(201);
  return res.body as { customer: { id: string; openFollowUpId: string }; followUp: TaskView };
}

/** The customer's tasks of every kind and status, so a test sees what was opened and what was closed. */
async function tasksOf(customerId: string, siteId = 'pot'): Promise<TaskView[]> {
  const all: TaskView[] = [];
  for (const status of ['open', 'done', 'cancelled']) {
    const res = await api.call(s.manager, 'GET', `/v1/tasks?siteId=${siteId}&status=${status}&limit=100`);
    expect(res.status).toBe(200);
    all.push(...res.body.items.filter((t: TaskView) => t.customerId === customerId));
  }
  return all;
}
const openOf = async (customerId: string, siteId = 'pot') => (await tasksOf(customerId, siteId)).filter((t) => t.status === 'open');

async function retype(customerId: string, leadType: string) {
  const res = await api.call(s.repA, 'PATCH', `/v1/customers/${customerId}`, { body: { leadType } });
  expect(res.status).toBe(200);
  return res.body as { openFollowUpId: string; leadType: string };
}

describe('a potential lead', () => {
  it('gets no follow-up at intake but one review for its owner, due 90 days later', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { leadType: 'potential' });
    expect(lead.followUp).toMatchObject({ kind: 'review', status: 'open', assigneeId: s.repA.sub });
    expect(daysFromNow(lead.followUp.dueAt)).toBe(90);
    expect(lead.customer.openFollowUpId).toBe(lead.followUp.id);
    expect((await openOf(lead.customer.id)).map((t) => [t.kind, t.id])).toEqual([['review', lead.followUp.id]]);
  });

  it("falls due for review after the site's own period, which is kept to 1 to 365 days", async () => {
    api.clock.current = START;
    await seedSite(api, 'pot2');
    for (const days of [0, 366, 1.5]) {
      const refused = await api.call(admin, 'PATCH', '/v1/sites/pot2', { body: { potentialReviewDays: days } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].path).toBe('potentialReviewDays');
    }
    expect((await api.call(admin, 'GET', '/v1/sites/pot2')).body.potentialReviewDays).toBe(90);
    const changed = await api.call(admin, 'PATCH', '/v1/sites/pot2', { body: { potentialReviewDays: 30 } });
    expect(changed.body.potentialReviewDays).toBe(30);
    const rep = { sub: 'repa-pot2', role: 'sales' as const, sites: ['pot2'] };
    const lead = await newLead('pot2', { leadType: 'potential' }, rep);
    expect(daysFromNow(lead.followUp.dueAt)).toBe(30);
  });

  it('turned direct has its review cancelled and a follow-up opened by the cadence of its intent level', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { leadType: 'potential', intentLevel: 'B' });
    const customer = await retype(lead.customer.id, 'direct');
    const tasks = await tasksOf(lead.customer.id);
    expect(tasks.find((t) => t.id === lead.followUp.id)).toMatchObject({ kind: 'review', status: 'cancelled' });
    const open = tasks.filter((t) => t.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'follow_up', id: customer.openFollowUpId, assigneeId: s.repA.sub });
    expect(daysFromNow(open[0]!.dueAt)).toBe(14); // the default cadence of level B
  });

  it('is what a direct lead becomes when turned potential: its follow-up cancelled, a review opened in its place', async () => {
    api.clock.current = START;
    const lead = await newLead('pot');
    expect(lead.followUp.kind).toBe('follow_up');
    const customer = await retype(lead.customer.id, 'potential');
    const tasks = await tasksOf(lead.customer.id);
    expect(tasks.find((t) => t.id === lead.followUp.id)).toMatchObject({ kind: 'follow_up', status: 'cancelled' });
    const open = tasks.filter((t) => t.status === 'open');
    expect(open.map((t) => t.kind)).toEqual(['review']);
    expect(open[0]!.id).toBe(customer.openFollowUpId);
    expect(daysFromNow(open[0]!.dueAt)).toBe(90);
  });

  it('keeps its review when its type moves between direct and key person, which are both chased', async () => {
    api.clock.current = START;
    const lead = await newLead('pot');
    const customer = await retype(lead.customer.id, 'key_person');
    expect(customer.openFollowUpId).toBe(lead.followUp.id);
    expect((await openOf(lead.customer.id)).map((t) => t.id)).toEqual([lead.followUp.id]);
  });
});

describe('an interaction that learns the lead type', () => {
  it('turning a lead potential closes its follow-up and opens a review', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { intentLevel: 'A' });
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
      body: { channel: 'call', summary: '刚买房，明年才装修', leadType: 'potential' },
    });
    expect(res.status).toBe(201);
    expect(res.body.interaction.taskId).toBe(lead.followUp.id);
    expect(res.body.nextFollowUp).toMatchObject({ kind: 'review' });
    expect(daysFromNow(res.body.nextFollowUp.dueAt)).toBe(90);
    const customer = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`);
    expect(customer.body).toMatchObject({ leadType: 'potential', openFollowUpId: res.body.nextFollowUp.id });
    const changes = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}/changes`);
    expect(changes.status).toBe(200);
    expect(changes.body.items).toContainEqual(expect.objectContaining({ field: 'leadType', from: 'direct', to: 'potential' }));
  });

  it('turning a potential lead direct closes its review and opens a follow-up by the cadence of its level', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { leadType: 'potential' });
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
      body: { channel: 'visit', summary: '开始装修了，来看样品', leadType: 'direct', intentLevel: 'H' },
    });
    expect(res.status).toBe(201);
    expect(res.body.interaction.taskId).toBeNull(); // a review closed is no follow-up done
    expect(res.body.nextFollowUp).toMatchObject({ kind: 'follow_up' });
    expect(daysFromNow(res.body.nextFollowUp.dueAt)).toBe(2); // the default cadence of level H
    expect((await tasksOf(lead.customer.id)).find((t) => t.id === lead.followUp.id)).toMatchObject({ kind: 'review', status: 'done' });
    expect((await openOf(lead.customer.id)).map((t) => t.kind)).toEqual(['follow_up']);
  });
});

describe('a review', () => {
  it('completed opens the next review after the same period, whatever its outcome', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { leadType: 'potential' });
    api.clock.current = new Date(Date.parse(lead.followUp.dueAt));
    const done = await api.call(s.repA, 'POST', `/v1/tasks/${lead.followUp.id}/complete`, { body: { outcome: 'declined', note: '暂不装修' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ kind: 'review', status: 'done', outcome: 'declined', complaints: [] });
    const open = await openOf(lead.customer.id);
    expect(open.map((t) => t.kind)).toEqual(['review']);
    expect(daysFromNow(open[0]!.dueAt)).toBe(90);
  });

  it('is closed by an interaction on the customer, which opens the next one', async () => {
    api.clock.current = START;
    const lead = await newLead('pot', { leadType: 'potential' });
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, { body: { channel: 'wechat', summary: '问了地板保养' } });
    expect(res.status).toBe(201);
    expect((await tasksOf(lead.customer.id)).find((t) => t.id === lead.followUp.id)).toMatchObject({ kind: 'review', status: 'done' });
    expect(res.body.nextFollowUp).toMatchObject({ kind: 'review' });
    expect(daysFromNow(res.body.nextFollowUp.dueAt)).toBe(90);
  });

  it('counts neither as a follow-up done nor as an overdue one in the daily report', async () => {
    api.clock.current = START;
    const rep = { sub: 'repa-pot3', role: 'sales' as const, sites: ['pot3'] };
    await seedSite(api, 'pot3');
    const lead = await newLead('pot3', { leadType: 'potential' }, rep);
    api.clock.current = new Date(Date.parse(lead.followUp.dueAt) + 2 * DAY);
    const today = siteDay(api.clock.now(), 'Asia/Shanghai');
    // Yesterday ended with the review open and past due: a follow-up would count there, as the day-close job counts it.
    const yesterday = siteDay(new Date(api.clock.now().getTime() - DAY), 'Asia/Shanghai');
    const report = async (date = today) => {
      const res = await api.call(admin, 'GET', `/v1/reports/daily-activity?siteId=pot3&date=${date}`);
      expect(res.status).toBe(200);
      return res.body.totals as { interactions: number; followUpsDone: number; followUpsOverdue: number };
    };
    expect(await report()).toMatchObject({ followUpsOverdue: 0 });
    expect(await report(yesterday)).toMatchObject({ followUpsOverdue: 0 });
    const done = await api.call(rep, 'POST', `/v1/tasks/${lead.followUp.id}/complete`, { body: { outcome: 'reached' } });
    expect(done.status).toBe(200);
    expect(await report()).toMatchObject({ interactions: 1, followUpsDone: 0, followUpsOverdue: 0 });
    expect(await report(yesterday)).toMatchObject({ followUpsOverdue: 0 });
  });
});
