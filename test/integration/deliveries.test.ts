import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'dlv');
});
afterAll(() => api.close());

async function customer() {
  const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'dlv', name: '孙丽', phone: freshPhone(), channel: 'walk_in' } });
  return res.body as { customer: { id: string }; followUp: { id: string } };
}

const deliver = (customerId: string, deliveredOn: string, headers: Record<string, string> = {}) =>
  api.call(s.service, 'POST', `/v1/customers/${customerId}/deliveries`, { body: { asset: { kind: 'home', label: '3栋2单元1801' }, deliveredOn }, headers });

const callbacksOf = async (customerId: string, status = 'open') => {
  const res = await api.call(s.service, 'GET', `/v1/tasks?siteId=dlv&kind=callback&status=${status}&limit=100`);
  return res.body.items.filter((t: { customerId: string }) => t.customerId === customerId);
};

describe('recording a delivery', () => {
  it('makes the customer an owner and opens the callback plan, month ends clamped', async () => {
    const c = await customer();
    const res = await deliver(c.customer.id, '2026-11-30');
    expect(res.status).toBe(201);
    const id = res.body.delivery.id;
    expect(res.body.callbacks).toEqual([
      { taskId: `callback:${id}:P3M`, plan: 'P3M', dueOn: '2027-02-28' },
      { taskId: `callback:${id}:P1Y`, plan: 'P1Y', dueOn: '2027-11-30' },
    ]);
    const [p3m] = res.body.tasks;
    expect(p3m).toMatchObject({ kind: 'callback', status: 'open', assigneeId: null, deliveryId: id, dueAt: '2027-02-28T01:30:00.000Z', attempts: 0 });
    expect(p3m.checklist).toContain('quality_inspection_offer');

    const owner = await api.call(s.manager, 'GET', `/v1/customers/${c.customer.id}`);
    expect(owner.body).toMatchObject({ stage: 'owner', openFollowUpId: null });
    const followUps = await api.call(s.manager, 'GET', '/v1/tasks?siteId=dlv&kind=follow_up&limit=100');
    expect(followUps.body.items.map((t: { id: string }) => t.id)).not.toContain(c.followUp.id);

    expect((await callbacksOf(c.customer.id)).map((t: { plan: string }) => t.plan)).toEqual(['P3M', 'P1Y']);
    const listed = await api.call(s.repA, 'GET', `/v1/customers/${c.customer.id}/deliveries`);
    expect(listed.body.items).toEqual([res.body.delivery]);
  });

  it('follows a site plan with its own offsets', async () => {
    await api.call(admin, 'PATCH', '/v1/sites/dlv', {
      body: {
        callbackPlan: [
          { plan: 'P3M', offset: 'P3M', checklist: ['problems_to_solve'] },
          { plan: 'P1Y', offset: 'P1Y', checklist: ['drainage'] },
          { plan: 'warranty-2y', offset: 'P1Y11M', checklist: ['electrics', 'plumbing'] },
        ],
      },
    });
    const c = await customer();
    const res = await deliver(c.customer.id, '2024-02-29');
    expect(res.body.callbacks.map((cb: { plan: string; dueOn: string }) => [cb.plan, cb.dueOn])).toEqual([
      ['P3M', '2024-05-29'],
      ['P1Y', '2025-02-28'],
      ['warranty-2y', '2026-01-29'],
    ]);
  });

  it('refuses a plan that names a plan twice', async () => {
    const res = await api.call(admin, 'PATCH', '/v1/sites/dlv', {
      body: {
        callbackPlan: [
          { plan: 'P3M', offset: 'P3M', checklist: [] },
          { plan: 'P3M', offset: 'P6M', checklist: [] },
        ],
      },
    });
    expect(res.status).toBe(400);
  });

  it('is recorded once on a retried request', async () => {
    const c = await customer();
    const headers = { 'Idempotency-Key': `dlv-${c.customer.id}` };
    const first = await deliver(c.customer.id, '2026-06-01', headers);
    const again = await deliver(c.customer.id, '2026-06-01', headers);
    expect(again.body).toEqual(first.body);
    expect((await api.call(s.service, 'GET', `/v1/customers/${c.customer.id}/deliveries`)).body.items).toHaveLength(1);
  });

  it('refuses a day that does not exist, and changes nothing', async () => {
    const c = await customer();
    const res = await deliver(c.customer.id, '2026-02-30');
    expect(res.status).toBe(400);
    expect((await api.call(s.manager, 'GET', `/v1/customers/${c.customer.id}`)).body.stage).toBe('lead');
  });

  it('is for service agents and managers; a sales rep reads but does not record', async () => {
    const c = await customer();
    const res = await api.call(s.repA, 'POST', `/v1/customers/${c.customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: 'x' }, deliveredOn: '2026-01-01' },
    });
    expect(res.status).toBe(403);
    expect((await api.call(s.repB, 'GET', `/v1/customers/${c.customer.id}/deliveries`)).status).toBe(404);
  });
});

describe('correcting a delivery date', () => {
  it('moves the open callbacks, counted again from the corrected day', async () => {
    await api.call(admin, 'PATCH', '/v1/sites/dlv', {
      body: {
        callbackPlan: [
          { plan: 'P3M', offset: 'P3M', checklist: ['problems_to_solve'] },
          { plan: 'P1Y', offset: 'P1Y', checklist: ['drainage'] },
        ],
      },
    });
    const c = await customer();
    const { body } = await deliver(c.customer.id, '2025-08-31');
    const p3m = `callback:${body.delivery.id}:P3M`;
    await api.call(s.service, 'POST', `/v1/tasks/${encodeURIComponent(p3m)}/complete`, { body: { outcome: 'reached', satisfaction: 5 } });

    const res = await api.call(s.service, 'PATCH', `/v1/customers/${c.customer.id}/deliveries/${body.delivery.id}`, { body: { deliveredOn: '2025-09-30' } });
    expect(res.status).toBe(200);
    expect(res.body.delivery.deliveredOn).toBe('2025-09-30');
    expect(res.body.callbacks).toEqual([
      { taskId: p3m, plan: 'P3M', dueOn: '2025-11-30' },
      { taskId: `callback:${body.delivery.id}:P1Y`, plan: 'P1Y', dueOn: '2026-09-30' },
    ]);
    const done = (await callbacksOf(c.customer.id, 'done'))[0];
    expect(done).toMatchObject({ id: p3m, dueOn: '2025-11-30', status: 'done' });
    const open = await callbacksOf(c.customer.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ plan: 'P1Y', dueOn: '2026-09-30' });
  });
});

describe('completing a callback', () => {
  it('keeps the checklist, satisfaction and notes of a reached owner', async () => {
    const c = await customer();
    const { body } = await deliver(c.customer.id, '2026-08-01');
    const id = body.callbacks[0].taskId;
    const checklist = Object.fromEntries((body.tasks[0].checklist as string[]).map((item, i) => [item, i === 0 ? 'issue' : 'ok']));
    const res = await api.call(s.service, 'POST', `/v1/tasks/${id}/complete`, {
      body: { outcome: 'reached', note: '业主反映厨房水压偏低', satisfaction: 4, checklist },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'done',
      outcome: 'reached',
      closedBy: s.service.sub,
      note: '业主反映厨房水压偏低',
      result: { satisfaction: 4, checklist },
    });
  });

  it('refuses a checklist item the callback does not have', async () => {
    const c = await customer();
    const { body } = await deliver(c.customer.id, '2026-08-01');
    const res = await api.call(s.service, 'POST', `/v1/tasks/${body.callbacks[0].taskId}/complete`, {
      body: { outcome: 'reached', checklist: { gas_safety: 'ok' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('checklist.gas_safety');
  });

  it('tries an unreachable owner on the next days, then closes it as unreached', async () => {
    const c = await customer();
    const { body } = await deliver(c.customer.id, '2026-08-01');
    const id = body.callbacks[0].taskId;
    api.clock.current = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai
    const first = await api.call(s.service, 'POST', `/v1/tasks/${id}/complete`, { body: { outcome: 'unreachable' } });
    expect(first.body).toMatchObject({ status: 'open', attempts: 1, dueOn: '2026-11-24', dueAt: '2026-11-24T01:30:00.000Z' });
    api.clock.current = new Date('2026-11-24T02:00:00Z');
    const second = await api.call(s.service, 'POST', `/v1/tasks/${id}/complete`, { body: { outcome: 'unreachable' } });
    expect(second.body).toMatchObject({ status: 'open', attempts: 2, dueOn: '2026-11-25' });
    api.clock.current = new Date('2026-11-25T02:00:00Z');
    const third = await api.call(s.service, 'POST', `/v1/tasks/${id}/complete`, { body: { outcome: 'unreachable' } });
    expect(third.body).toMatchObject({ status: 'done', outcome: 'unreachable', attempts: 3 });
    const again = await api.call(s.service, 'POST', `/v1/tasks/${id}/complete`, { body: { outcome: 'reached' } });
    expect(again.status).toBe(409);
  });

  it("is out of a sales rep's reach", async () => {
    const c = await customer();
    const { body } = await deliver(c.customer.id, '2026-08-01');
    expect((await api.call(s.repA, 'POST', `/v1/tasks/${body.callbacks[0].taskId}/complete`, { body: { outcome: 'reached' } })).status).toBe(404);
  });
});
