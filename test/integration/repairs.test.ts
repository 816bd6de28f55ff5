import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'rep');
});
afterAll(() => api.close());

async function customerId() {
  return (await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'rep', name: '邓超', phone: freshPhone(), channel: 'walk_in' } })).body.customer
    .id as string;
}
const step = (id: string, body: Record<string, unknown>) => api.call(s.service, 'POST', `/v1/complaints/${id}/events`, { body });
const complaintOf = async (id: string) => (await api.call(s.manager, 'GET', `/v1/complaints/${id}`)).body;
const repairCallbacks = async (complaintId: string, status = 'open') =>
  (await api.call(s.manager, 'GET', `/v1/tasks?siteId=rep&kind=repair_callback&status=${status}&limit=100`)).body.items.filter(
    (t: { complaintId: string }) => t.complaintId === complaintId,
  );

async function resolvedRepair(category = 'repair') {
  const filed = await api.call(s.service, 'POST', '/v1/complaints', {
    body: { customerId: await customerId(), category, channel: 'hotline', description: '热水器不出热水' },
  });
  const id = filed.body.complaint.id as string;
  await step(id, { type: 'respond' });
  await step(id, { type: 'assign', assigneeId: s.service.sub });
  await step(id, { type: 'resolve', note: '已更换温控阀' });
  return id;
}

describe('every repair is called back', () => {
  it('opens a repair callback when a repair is resolved, and a good rating closes the complaint', async () => {
    const id = await resolvedRepair();
    const [callback] = await repairCallbacks(id);
    expect(callback).toMatchObject({ kind: 'repair_callback', status: 'open', plan: 'repair', assigneeId: s.service.sub, dueOn: '2026-11-24' });
    const done = await api.call(s.service, 'POST', `/v1/tasks/${callback.id}/complete`, { body: { outcome: 'reached', satisfaction: 5, note: '业主满意' } });
    expect(done.body).toMatchObject({ status: 'done', result: { satisfaction: 5 } });
    const complaint = await complaintOf(id);
    expect(complaint).toMatchObject({ status: 'closed', satisfaction: 5 });
    expect(complaint.timeline.at(-1)).toMatchObject({ event: 'close', details: { satisfaction: 5, callbackId: callback.id } });
    // The agent's note is theirs, kept on the callback; the complaint's entry, which the owner reads, carries none.
    expect(complaint.timeline.at(-1).note).toBeNull();
    expect(done.body.note).toBe('业主满意');
  });

  it('reopens the complaint on a rating of 1, and the next resolution gets a callback of its own', async () => {
    const id = await resolvedRepair('quality');
    const [first] = await repairCallbacks(id);
    await api.call(s.service, 'POST', `/v1/tasks/${first.id}/complete`, { body: { outcome: 'reached', satisfaction: 1, note: '还是漏' } });
    expect((await complaintOf(id)).status).toBe('responded');
    await step(id, { type: 'resolve' });
    const [second] = await repairCallbacks(id);
    expect(second.id).not.toBe(first.id);
  });

  it('leaves other complaints without a repair callback', async () => {
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: await customerId(), category: 'service', channel: 'hotline', description: '客服态度差' },
    });
    await step(filed.body.complaint.id, { type: 'respond' });
    await step(filed.body.complaint.id, { type: 'resolve' });
    expect(await repairCallbacks(filed.body.complaint.id)).toEqual([]);
  });
});

describe('what a callback finds', () => {
  it('opens a complaint for each issue, linked to the callback, once, and answers with them', async () => {
    const cid = await customerId();
    const delivery = await api.call(s.service, 'POST', `/v1/customers/${cid}/deliveries`, {
      body: { asset: { kind: 'home', label: '8栋' }, deliveredOn: '2026-08-01' },
    });
    const callbackId = delivery.body.callbacks[0].taskId;
    const bad = await api.call(s.service, 'POST', `/v1/tasks/${callbackId}/complete`, {
      body: { outcome: 'reached', issues: [{ category: 'noise', description: 'x' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('issues.0.category');

    const res = await api.call(s.service, 'POST', `/v1/tasks/${callbackId}/complete`, {
      body: {
        outcome: 'reached',
        satisfaction: 3,
        issues: [
          { category: 'quality', description: '墙面开裂' },
          { category: 'repair', description: '门锁损坏' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const complaints = (await api.call(s.manager, 'GET', '/v1/complaints?siteId=rep&limit=100')).body.items.filter(
      (c: { callbackId: string }) => c.callbackId === callbackId,
    );
    expect(complaints.map((c: { description: string }) => c.description).sort()).toEqual(['墙面开裂', '门锁损坏']);
    // The agent learns from the answer itself which complaints, and which numbers, the findings opened.
    expect(res.body.complaints.map((c: { id: string; number: string }) => [c.id, c.number]).sort()).toEqual(
      complaints.map((c: { id: string; number: string }) => [c.id, c.number]).sort(),
    );
    expect(
      complaints.every(
        (c: { channel: string; status: string; deliveryId: string }) =>
          c.channel === 'callback' && c.status === 'received' && c.deliveryId === delivery.body.delivery.id,
      ),
    ).toBe(true);

    const numbers = complaints.map((c: { number: string }) => c.number);
    for (const n of numbers) expect(n).toMatch(/^\d{1,10}$/);
    expect(new Set(numbers).size).toBe(2);
    const texts = (await api.call(s.manager, 'GET', `/v1/customers/${cid}/messages?limit=100`)).body.items
      .filter((m: { purpose: string }) => m.purpose === 'complaint_ack')
      .map((m: { body: string }) => m.body);
    expect(numbers.map((n: string) => texts.filter((t: string) => t.includes(`编号${n}）`)).length)).toEqual([1, 1]);
    for (const c of complaints) {
      const found = await api.call(s.service, 'GET', `/v1/complaints?number=${c.number}`);
      expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    }
    expect(
      (
        await api.call(s.service, 'POST', `/v1/tasks/${callbackId}/complete`, {
          body: { outcome: 'reached', issues: [{ category: 'quality', description: '墙面开裂' }] },
        })
      ).status,
    ).toBe(409);
  });
});
