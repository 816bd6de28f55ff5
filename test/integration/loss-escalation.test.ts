import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, runDayCloseJob, runJob } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

// A rep's request to mark a lead lost (战败) that no manager decides within the site's days becomes the managers' task.
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const DAY = 24 * 3600_000;
// 09:30 in Shanghai, Monday 2026-11-23.
const T0 = new Date('2026-11-23T01:30:00Z');
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: createIds() });
const manager2 = staff('manager', 'mgr2-lossesc', ['lossesc']);

interface TaskView {
  id: string;
  kind: string;
  status: string;
  customerId: string;
  customerName: string;
  assigneeId: string;
  note: string | null;
}

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'lossesc');
  await api.call(admin, 'POST', '/v1/sites/lossesc/staff', { body: { id: manager2.sub, name: '赵经理', role: 'manager' } });
});
afterAll(() => api.close());

async function requestedAt(at: Date, siteId = 'lossesc', rep = s.repA): Promise<string> {
  api.clock.current = at;
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '韩梅', phone: freshPhone(), channel: 'phone' } });
  expect(res.status).toBe(201);
  const id = res.body.customer.id as string;
  expect((await api.call(rep, 'POST', `/v1/customers/${id}/loss`, { body: { reason: '已在竞品处购车' } })).status).toBe(200);
  return id;
}

async function escalationsOf(customerId: string, siteId = 'lossesc'): Promise<TaskView[]> {
  const all: TaskView[] = [];
  for (const status of ['open', 'done']) {
    const res = await api.call(admin, 'GET', `/v1/tasks?siteId=${siteId}&kind=loss_escalation&status=${status}&limit=100`);
    expect(res.status).toBe(200);
    all.push(...res.body.items.filter((t: TaskView) => t.customerId === customerId));
  }
  return all.sort((a, b) => (a.assigneeId < b.assigneeId ? -1 : 1));
}

async function runAt(at: Date): Promise<number> {
  api.clock.current = at;
  return (await runDayCloseJob(ctx())).lossRequestsEscalated;
}

describe('a loss request no manager answers', () => {
  it('becomes one task for each manager two site days after it was made, exactly once', async () => {
    const id = await requestedAt(T0);
    expect(await runAt(new Date(T0.getTime() + DAY))).toBe(0);
    expect(await runAt(new Date(T0.getTime() + 2 * DAY - 60_000))).toBe(0);
    expect(await escalationsOf(id)).toEqual([]);
    expect(await runAt(new Date(T0.getTime() + 2 * DAY))).toBe(1);
    expect(await runAt(new Date(T0.getTime() + 2 * DAY + 15 * 60_000))).toBe(0);
    const tasks = await escalationsOf(id);
    expect(tasks.map((t) => [t.assigneeId, t.status, t.customerName])).toEqual([
      [s.manager.sub, 'open', '韩梅'],
      [manager2.sub, 'open', '韩梅'],
    ]);
    for (const t of tasks) expect(t.id).toMatch(new RegExp(`^loss_escalation:${id}:`));
    const shown = await api.call(s.manager, 'GET', `/v1/customers/${id}`);
    expect(shown.body.lossRequest.escalation.at).toBe(new Date(T0.getTime() + 2 * DAY).toISOString());
    expect([...shown.body.lossRequest.escalation.taskIds].sort()).toEqual(tasks.map((t) => t.id).sort());
  });

  it('is caught up by the first run after missed ones, and runs at once open each task once', async () => {
    const id = await requestedAt(new Date(T0.getTime() + 10 * DAY));
    api.clock.current = new Date(T0.getTime() + 16 * DAY);
    const reports = await Promise.all([runJob('day-close', ctx()), runJob('day-close', ctx()), runJob('day-close', ctx())]);
    expect(reports.reduce((sum, r) => sum + (r.lossRequestsEscalated as number), 0)).toBe(1);
    expect((await escalationsOf(id)).map((t) => t.status)).toEqual(['open', 'open']);
  });

  it('closes the managers’ tasks when one of them decides the request, and a request decided in time opens none', async () => {
    const late = await requestedAt(new Date(T0.getTime() + 20 * DAY));
    const inTime = await requestedAt(new Date(T0.getTime() + 20 * DAY));
    expect(await runAt(new Date(T0.getTime() + 23 * DAY))).toBe(2);
    api.clock.current = new Date(T0.getTime() + 23 * DAY + 60_000);
    expect((await api.call(s.manager, 'POST', `/v1/customers/${late}/loss/reject`, { body: { note: '再跟一次' } })).status).toBe(200);
    expect((await escalationsOf(late)).map((t) => [t.status, t.note])).toEqual([
      ['done', 'loss request rejected'],
      ['done', 'loss request rejected'],
    ]);
    expect((await api.call(manager2, 'POST', `/v1/customers/${inTime}/loss/approve`, { body: {} })).status).toBe(200);
    expect((await escalationsOf(inTime)).map((t) => t.status)).toEqual(['done', 'done']);
    const early = await requestedAt(new Date(T0.getTime() + 30 * DAY));
    api.clock.current = new Date(T0.getTime() + 31 * DAY);
    expect((await api.call(s.manager, 'POST', `/v1/customers/${early}/loss/approve`, { body: {} })).status).toBe(200);
    expect(await runAt(new Date(T0.getTime() + 40 * DAY))).toBe(0);
    expect(await escalationsOf(early)).toEqual([]);
  });

  it('waits the days the site sets, which refuses a value out of range', async () => {
    const s2 = await seedSite(api, 'lossesc2', { lossRequestAnswerDays: 1 });
    for (const days of [0, 31, 1.5]) {
      expect((await api.call(admin, 'PATCH', '/v1/sites/lossesc2', { body: { lossRequestAnswerDays: days } })).status).toBe(400);
    }
    expect((await api.call(admin, 'GET', '/v1/sites/lossesc')).body.lossRequestAnswerDays).toBe(2);
    const id = await requestedAt(new Date(T0.getTime() + 50 * DAY), 'lossesc2', s2.repA);
    expect(await runAt(new Date(T0.getTime() + 51 * DAY - 60_000))).toBe(0);
    expect(await runAt(new Date(T0.getTime() + 51 * DAY))).toBe(1);
    expect((await escalationsOf(id, 'lossesc2')).map((t) => t.assigneeId)).toEqual([s2.manager.sub]);
  });
});
