import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, fileComplaint, type Principal, type Store } from '@guanjia/core';
import { createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const HOUR = 3600_000;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'cmp');
  await seedSite(api, 'cmp2');
});
afterAll(() => api.close());

async function customer(phone = freshPhone()) {
  const res = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'cmp', name: '冯刚', phone, channel: 'walk_in' } });
  return { id: res.body.customer.id as string, phone: res.body.customer.phone as string };
}
const owner = (phone: string, sub = `owner-${phone}`): Principal => ({ sub, role: 'owner', sites: [], phone });
const file = (who: Principal, body: Record<string, unknown>) =>
  api.call(who, 'POST', '/v1/complaints', { body: { category: 'repair', channel: 'hotline', description: '卫生间漏水', ...body } });
const step = (who: Principal, id: string, body: Record<string, unknown>) => api.call(who, 'POST', `/v1/complaints/${id}/events`, { body });

describe('filing a complaint', () => {
  it('records it with its answer deadline and queues the acknowledgement SMS with it', async () => {
    const c = await customer();
    const res = await file(s.service, { customerId: c.id });
    expect(res.status).toBe(201);
    const complaint = res.body.complaint;
    expect(complaint).toMatchObject({ status: 'received', customerId: c.id, siteId: 'cmp', escalated: false, filedBy: { kind: 'staff', id: s.service.sub } });
    expect(Date.parse(complaint.respondBy) - Date.parse(complaint.createdAt)).toBe(24 * HOUR);
    const messages = (await api.call(s.manager, 'GET', `/v1/customers/${c.id}/messages`)).body.items;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ purpose: 'complaint_ack', kind: 'notice', state: 'queued', id: `sms:complaint_ack:${complaint.id}` });
    expect(complaint.number).toMatch(/^\d{1,10}$/);
    expect(messages[0].body).toContain(`编号${complaint.number}）`);
  });

  it('gives an urgent complaint 4 hours', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id, severity: 'urgent' });
    expect(Date.parse(body.complaint.respondBy) - Date.parse(body.complaint.createdAt)).toBe(4 * HOUR);
  });

  it('refuses bad input and writes nothing', async () => {
    const c = await customer();
    expect((await file(s.service, { customerId: c.id, category: 'noise' })).status).toBe(400);
    expect((await file(s.service, {})).status).toBe(400);
    expect((await file(s.service, { customerId: c.id, deliveryId: 'nope' })).status).toBe(400);
    expect((await api.call(s.manager, 'GET', `/v1/customers/${c.id}/messages`)).body.items).toEqual([]);
  });
});

describe('the complaint process', () => {
  it('goes received → responded → resolved → closed, every step on the timeline', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id });
    const id = body.complaint.id;
    api.clock.advance(90 * 60_000);
    expect((await step(s.service, id, { type: 'respond', note: '已安排维修师傅' })).body.complaint).toMatchObject({ status: 'responded', responseMinutes: 90 });
    expect((await step(s.manager, id, { type: 'assign', assigneeId: s.service.sub })).body.complaint.assigneeId).toBe(s.service.sub);
    expect((await step(s.service, id, { type: 'note', note: '师傅明早上门', internal: true })).status).toBe(201);
    expect((await step(s.service, id, { type: 'resolve' })).body.complaint.status).toBe('resolved');
    expect((await step(s.service, id, { type: 'close', satisfaction: 4 })).body.complaint).toMatchObject({ status: 'closed', satisfaction: 4 });
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${id}`);
    expect(full.body.timeline.map((e: { event: string }) => e.event)).toEqual(['received', 'respond', 'assign', 'note', 'resolve', 'close']);
    expect(full.body.respondedAt).not.toBeNull();
  });

  it('refuses to assign a complaint to staff who may not read complaints, in both languages, and writes nothing', async () => {
    const c = await customer();
    const id = (await file(s.service, { customerId: c.id })).body.complaint.id;
    for (const [language, words] of [
      ['zh-CN', '无权查看投诉'],
      ['en', 'may not read complaints'],
    ] as const) {
      const res = await api.call(s.manager, 'POST', `/v1/complaints/${id}/events`, {
        body: { type: 'assign', assigneeId: s.repA.sub },
        headers: { 'accept-language': language },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assigneeId', code: 'cannot_read_complaints' })]);
      expect(res.body.errors[0].message).toContain(words);
    }
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${id}`);
    expect(full.body.assigneeId).toBeNull();
    expect(full.body.timeline.map((e: { event: string }) => e.event)).toEqual(['received']);
    expect((await step(s.manager, id, { type: 'assign', assigneeId: s.manager.sub })).body.complaint.assigneeId).toBe(s.manager.sub);
  });

  it('refuses a step the process does not have with 409, and writes nothing', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id });
    const res = await step(s.service, body.complaint.id, { type: 'close', satisfaction: 5 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_transition');
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${body.complaint.id}`);
    expect(full.body.status).toBe('received');
    expect(full.body.timeline.map((e: { event: string }) => e.event)).toEqual(['received']);
  });

  it('keeps both of two responses sent at once, and one consistent state', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id });
    const id = body.complaint.id;
    api.clock.advance(60_000);
    const [a, b] = await Promise.all([step(s.service, id, { type: 'respond', note: 'A' }), step(s.manager, id, { type: 'respond', note: 'B' })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${id}`);
    expect(full.body).toMatchObject({ status: 'responded', responseMinutes: 1 });
    expect(
      full.body.timeline
        .filter((e: { event: string }) => e.event === 'respond')
        .map((e: { note: string }) => e.note)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('takes twenty notes written at once, all of them, beside a response', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id });
    const id = body.complaint.id;
    const replies = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => step(i % 2 ? s.service : s.manager, id, { type: 'note', note: `note ${i}` })),
      step(s.service, id, { type: 'respond', note: 'on it' }),
    ]);
    expect(replies.map((r) => r.status)).toEqual(Array(21).fill(201));
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${id}`);
    expect(full.body.status).toBe('responded');
    expect(full.body.timeline.filter((e: { event: string }) => e.event === 'note')).toHaveLength(20);
  });

  it('refuses a note on a closed complaint and writes nothing', async () => {
    const c = await customer();
    const { body } = await file(s.service, { customerId: c.id });
    const id = body.complaint.id;
    for (const type of ['respond', 'resolve']) await step(s.service, id, { type });
    await step(s.service, id, { type: 'close', satisfaction: 5 });
    const res = await step(s.service, id, { type: 'note', note: 'too late' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_transition');
    const full = await api.call(s.manager, 'GET', `/v1/complaints/${id}`);
    expect(full.body.timeline.at(-1)).toMatchObject({ event: 'close', toState: 'closed' });
    expect(full.body.timeline.some((e: { note: string | null }) => e.note === 'too late')).toBe(false);
  });

  it("lists the managers' overdue queue, oldest breach first, until answered", async () => {
    const early = await file(s.service, { customerId: (await customer()).id, severity: 'urgent' });
    const late = await file(s.service, { customerId: (await customer()).id });
    api.clock.advance(25 * HOUR);
    const queue = await api.call(s.manager, 'GET', '/v1/complaints?siteId=cmp&overdue=true&limit=100');
    const ids = queue.body.items.map((c: { id: string }) => c.id);
    expect(ids.indexOf(early.body.complaint.id)).toBeLessThan(ids.indexOf(late.body.complaint.id));
    await step(s.service, early.body.complaint.id, { type: 'respond' });
    const after = await api.call(s.manager, 'GET', '/v1/complaints?siteId=cmp&overdue=true&limit=100');
    expect(after.body.items.map((c: { id: string }) => c.id)).not.toContain(early.body.complaint.id);
  });
});

describe('owners', () => {
  it('file their own, follow it without internal notes, close it with a rating and reopen it', async () => {
    const c = await customer();
    const me = owner(c.phone);
    const filed = await file(me, { category: 'quality', channel: 'mini_program', description: '外墙渗水' });
    expect(filed.status).toBe(201);
    expect(filed.body.complaint).toMatchObject({ customerId: c.id, filedBy: { kind: 'owner' } });
    const id = filed.body.complaint.id;
    await step(s.service, id, { type: 'respond', note: '已受理' });
    await step(s.service, id, { type: 'note', note: '业主情绪激动', internal: true });
    await step(s.service, id, { type: 'resolve' });
    const seen = await api.call(me, 'GET', `/v1/complaints/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.timeline.map((e: { note: string | null }) => e.note)).not.toContain('业主情绪激动');
    expect((await step(me, id, { type: 'respond' })).status).toBe(403);
    expect((await step(me, id, { type: 'close', satisfaction: 2 })).body.complaint).toMatchObject({ status: 'closed', satisfaction: 2 });
    expect((await step(me, id, { type: 'reopen', note: '又漏了' })).body.complaint.status).toBe('responded');
  });

  it('see a staff note only when staff said internal: false, and always their own', async () => {
    const c = await customer();
    const me = owner(c.phone);
    const id = (await file(me, { channel: 'mini_program' })).body.complaint.id;
    expect((await step(s.service, id, { type: 'note', note: '业主难缠，小心沟通' })).body.entry.internal).toBe(true);
    expect((await step(s.service, id, { type: 'note', note: '师傅周六上午到', internal: false })).body.entry.internal).toBe(false);
    expect((await step(me, id, { type: 'note', note: '周六上午在家' })).status).toBe(201);
    const notes = (await api.call(me, 'GET', `/v1/complaints/${id}`)).body.timeline.map((e: { note: string | null }) => e.note);
    expect(notes).not.toContain('业主难缠，小心沟通');
    expect(notes).toEqual(expect.arrayContaining(['师傅周六上午到', '周六上午在家']));
    const staffNotes = (await api.call(s.manager, 'GET', `/v1/complaints/${id}`)).body.timeline.map((e: { note: string | null }) => e.note);
    expect(staffNotes).toContain('业主难缠，小心沟通');
  });

  it("get 404 for another owner's complaint, and staff of another site too", async () => {
    const a = await customer();
    const b = await customer();
    const { body } = await file(owner(a.phone), { channel: 'web' });
    expect((await api.call(owner(b.phone), 'GET', `/v1/complaints/${body.complaint.id}`)).status).toBe(404);
    expect((await step(owner(b.phone), body.complaint.id, { type: 'close', satisfaction: 5 })).status).toBe(404);
    expect((await api.call(staff('manager', 'mgr-cmp2', ['cmp2']), 'GET', `/v1/complaints/${body.complaint.id}`)).status).toBe(404);
    expect((await api.call(s.repA, 'GET', '/v1/complaints?siteId=cmp')).status).toBe(403);
    expect((await file(owner('+8613700000000'), { channel: 'web' })).status).toBe(404);
  });
});

describe('complaint numbers', () => {
  it('give every complaint a number of its own, digits only, at most ten', async () => {
    const c = await customer();
    const numbers = await Promise.all(Array.from({ length: 10 }, async () => (await file(s.service, { customerId: c.id })).body.complaint.number as string));
    for (const n of numbers) expect(n).toMatch(/^\d{1,10}$/);
    expect(new Set(numbers).size).toBe(10);
  });

  it("find a complaint by its number within the caller's reach only", async () => {
    const c = await customer();
    const other = await customer();
    const { body } = await file(owner(c.phone), { channel: 'web' });
    const number = body.complaint.number as string;
    const byNumber = (who: Principal, query = '') => api.call(who, 'GET', `/v1/complaints?number=${number}${query}`);
    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((x) => x.id);

    for (const who of [s.service, s.manager, owner(c.phone)]) {
      const res = await byNumber(who);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([body.complaint.id]);
      expect(res.body.items[0].number).toBe(number);
    }
    expect(ids(await byNumber(s.manager, '&siteId=cmp&status=received'))).toEqual([body.complaint.id]);
    expect(ids(await byNumber(s.manager, '&status=closed'))).toEqual([]);
    expect(ids(await byNumber(owner(other.phone)))).toEqual([]);
    expect(ids(await byNumber(staff('manager', 'mgr-cmp2', ['cmp2'])))).toEqual([]);
    expect((await byNumber(staff('manager', 'mgr-cmp2', ['cmp2']), '&siteId=cmp')).status).toBe(403);
    expect((await byNumber(s.repA)).status).toBe(403);
    expect(ids(await api.call(s.manager, 'GET', '/v1/complaints?number=1'))).toEqual([]);
    for (const bad of ['12345678901', '26112x0417', '']) {
      const res = await api.call(s.manager, 'GET', `/v1/complaints?number=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('number');
    }
  });

  it('draw another number when the one drawn is taken', async () => {
    const c = await customer();
    const first = (await file(s.service, { customerId: c.id })).body.complaint;
    const real = api.table.store;
    const tried: string[] = [];
    // Hands the store the number another complaint holds on the first draw, as a collision would.
    const store = new Proxy(real, {
      get: (target, name) =>
        name === 'createComplaint'
          ? (fact: Parameters<Store['createComplaint']>[0]) => {
              const complaint = tried.length === 0 ? { ...fact.complaint, number: first.number } : fact.complaint;
              tried.push(complaint.number);
              return target.createComplaint({ ...fact, complaint });
            }
          : Reflect.get(target, name, target),
    });
    const complaint = await fileComplaint({ store, clock: api.clock, ids: createIds() }, s.service, {
      customerId: c.id,
      category: 'repair',
      channel: 'hotline',
      description: '漏水',
    });
    expect(tried).toHaveLength(2);
    expect(tried[0]).toBe(first.number);
    expect(complaint.number).toBe(tried[1]);
    expect(complaint.number).not.toBe(first.number);
    const found = await api.call(s.manager, 'GET', `/v1/complaints?number=${first.number}`);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([first.id]);
    expect((await api.call(s.manager, 'GET', `/v1/complaints/${complaint.id}`)).body.timeline).toHaveLength(1);
  });
});
