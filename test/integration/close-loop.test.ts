import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

// 闭环 (000): after the designer meeting the rep closes the loop the same day, and the
// customer either signs the design agreement or books a second visit.
let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const designer = staff('designer', 'des-loop', ['loop']);
/** 09:30 in Shanghai: the meeting's site day is 2026-11-23, which ends at 15:59Z. */
const START = new Date('2026-11-23T01:30:00Z');
const END_OF_DAY = '2026-11-23T15:59:00.000Z';

const answers = { satisfiedDesigner: true, satisfiedWork: true, satisfiedIdea: false, budgetClear: true };

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'loop', { kind: 'decoration' });
  expect((await api.call(admin, 'POST', '/v1/sites/loop/staff', { body: { id: designer.sub, name: '王磊', role: 'designer' } })).status).toBe(201);
  expect((await api.call(s.manager, 'PUT', `/v1/sites/loop/staff/${designer.sub}/profile`, { body: { level: 'excellent', styles: ['北欧'] } })).status).toBe(
    200,
  );
});
afterAll(() => api.close());

/** A lead of rep A with the designer assigned, and its open follow-up. */
async function metCustomer() {
  api.clock.current = START;
  const res = await api.call(s.repA, 'POST', '/v1/customers', {
    body: { siteId: 'loop', name: '刘洋', phone: freshPhone(), channel: 'walk_in', needs: { area: 120, budget: 200_000 } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = res.body.customer.id as string;
  expect((await api.call(s.repA, 'POST', `/v1/customers/${id}/designer`, { body: { staffId: designer.sub } })).status).toBe(200);
  return { id, followUpId: res.body.customer.openFollowUpId as string };
}

const meet = (who: typeof designer, id: string) => api.call(who, 'POST', `/v1/customers/${id}/designer-meeting`);
const complete = (taskId: string, closeLoop: Record<string, unknown>) =>
  api.call(s.repA, 'POST', `/v1/tasks/${taskId}/complete`, { body: { outcome: 'reached', closeLoop } });

async function openTasksOf(customerId: string) {
  const res = await api.call(s.manager, 'GET', '/v1/tasks?siteId=loop&status=open&limit=100');
  expect(res.status).toBe(200);
  return (res.body.items as { id: string; kind: string; customerId: string; dueAt: string }[]).filter((t) => t.customerId === customerId);
}

describe('closing the loop after the designer meeting', () => {
  it("the designer's record of the meeting opens one close_loop for the owner, due by the end of that site day, beside the follow-up", async () => {
    const c = await metCustomer();
    const res = await meet(designer, c.id);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'close_loop', status: 'open', assigneeId: s.repA.sub, dueAt: END_OF_DAY, dueOn: '2026-11-23' });
    expect((await openTasksOf(c.id)).map((t) => t.kind).sort()).toEqual(['close_loop', 'follow_up']);
  });

  it('a second record of the same meeting, by the rep, opens no second task', async () => {
    const c = await metCustomer();
    const first = await meet(designer, c.id);
    const second = await meet(s.repA, c.id);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect((await openTasksOf(c.id)).filter((t) => t.kind === 'close_loop')).toHaveLength(1);
  });

  it('completing with sign_design_agreement records the agreement on the customer and keeps the answers on the result', async () => {
    const c = await metCustomer();
    const task = (await meet(s.repA, c.id)).body;
    const done = await complete(task.id, { ...answers, next: 'sign_design_agreement' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', result: { closeLoop: { ...answers, next: 'sign_design_agreement' } } });
    const customer = await api.call(s.repA, 'GET', `/v1/customers/${c.id}`);
    expect(customer.body.designAgreementAt).toBe(START.toISOString());
    const changes = await api.call(s.repA, 'GET', `/v1/customers/${c.id}/changes`);
    expect(changes.body.items).toContainEqual(expect.objectContaining({ field: 'designAgreementAt', via: 'close_loop', by: s.repA.sub }));
    // The loop never closes the follow-up: it is still the open one.
    expect(customer.body.openFollowUpId).toBe(c.followUpId);
    expect((await openTasksOf(c.id)).map((t) => t.id)).toEqual([c.followUpId]);
  });

  it('completing with second_visit moves the follow-up to the time agreed', async () => {
    const c = await metCustomer();
    const task = (await meet(s.repA, c.id)).body;
    const secondVisitAt = '2026-11-28T02:00:00.000Z';
    const done = await complete(task.id, { ...answers, next: 'second_visit', secondVisitAt });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.result.closeLoop).toEqual({ ...answers, next: 'second_visit', secondVisitAt });
    expect(await openTasksOf(c.id)).toEqual([expect.objectContaining({ id: c.followUpId, kind: 'follow_up', dueAt: secondVisitAt })]);
    expect((await api.call(s.repA, 'GET', `/v1/customers/${c.id}`)).body.designAgreementAt).toBeNull();
  });

  it('refuses a close_loop completed without its answers, a second visit without its time, and closeLoop on a follow-up', async () => {
    const c = await metCustomer();
    const task = (await meet(s.repA, c.id)).body;
    const bare = await api.call(s.repA, 'POST', `/v1/tasks/${task.id}/complete`, { body: { outcome: 'reached' } });
    expect(bare.status).toBe(400);
    expect((await complete(task.id, { ...answers, next: 'second_visit' })).status).toBe(400);
    const onFollowUp = await complete(c.followUpId, { ...answers, next: 'sign_design_agreement' });
    expect(onFollowUp.status).toBe(400);
    expect(onFollowUp.body.errors[0]).toMatchObject({ path: 'closeLoop', code: 'close_loop_only' });
  });

  it('answers 409 to a meeting recorded for a customer without a designer', async () => {
    api.clock.current = START;
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'loop', name: '周敏', phone: freshPhone(), channel: 'phone' } });
    expect((await meet(s.repA, res.body.customer.id)).status).toBe(409);
  });
  it('goes with the customer to the rep a manager settles a conflict for, so the rep who lost them holds no call to their number', async () => {
    const c = await metCustomer();
    const task = (await meet(designer, c.id)).body;
    const phone = (await api.call(s.repA, 'GET', `/v1/customers/${c.id}`)).body.phone as string;
    expect((await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'loop', name: '刘洋', phone, channel: 'phone' } })).status).toBe(200);
    const conflict = ((await api.call(s.manager, 'GET', '/v1/conflicts?siteId=loop&status=open')).body.items as { id: string; customerId: string }[]).find(
      (x) => x.customerId === c.id,
    )!;
    expect((await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: s.repB.sub } })).status).toBe(200);
    const mine = async (rep: typeof s.repA) =>
      (await api.call(rep, 'GET', `/v1/tasks?siteId=loop&assigneeId=${rep.sub}&status=open&limit=100`)).body.items as { id: string; customerPhone: string }[];
    expect((await mine(s.repA)).some((t) => t.id === task.id)).toBe(false);
    expect((await mine(s.repB)).find((t) => t.id === task.id)?.customerPhone).toBe(phone);
  });
});
