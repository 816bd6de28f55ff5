import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const DAY = 24 * 3600_000;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'fu');
});
afterAll(() => api.close());

async function newLead(extra: Record<string, unknown> = {}, rep = s.repA) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId: 'fu', name: '陈晨', phone: freshPhone(), channel: 'phone', ...extra } });
  expect(res.status).toBe(201);
  return res.body as { customer: { id: string }; followUp: { id: string; dueAt: string } };
}

const openFollowUps = async (customerId: string) => {
  const res = await api.call(s.manager, 'GET', '/v1/tasks?siteId=fu&kind=follow_up&limit=100');
  return res.body.items.filter((t: { customerId: string }) => t.customerId === customerId);
};

describe('interactions', () => {
  it('close the open follow-up and open the next by the cadence of the intent level', async () => {
    const lead = await newLead();
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
      body: { channel: 'call', summary: '客户想看三居室', intentLevel: 'H' },
    });
    expect(res.status).toBe(201);
    expect(res.body.interaction).toMatchObject({ channel: 'call', intentLevel: 'H', taskId: lead.followUp.id, staffId: s.repA.sub });
    expect(new Date(res.body.nextFollowUp.dueAt).getTime() - api.clock.now().getTime()).toBe(2 * DAY);

    const open = await openFollowUps(lead.customer.id);
    expect(open.map((t: { id: string }) => t.id)).toEqual([res.body.nextFollowUp.id]);
    const done = await api.call(s.manager, 'GET', '/v1/tasks?siteId=fu&status=done&limit=100');
    expect(done.body.items.find((t: { id: string }) => t.id === lead.followUp.id)).toMatchObject({ outcome: 'reached', closedBy: s.repA.sub });

    const customer = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`);
    expect(customer.body.intentLevel).toBe('H');
  });

  it('follow the time agreed with the customer before the cadence', async () => {
    const lead = await newLead({ intentLevel: 'C' });
    const agreed = new Date(api.clock.now().getTime() + 5 * 3600_000).toISOString();
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
      body: { channel: 'visit', summary: '周六带家人来看房', nextFollowUpAt: agreed },
    });
    expect(res.body.nextFollowUp.dueAt).toBe(agreed);
  });

  it('refuse an agreed time in the past and change nothing', async () => {
    const lead = await newLead();
    const res = await api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
      body: { channel: 'call', summary: 'x', nextFollowUpAt: '2020-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('nextFollowUpAt');
    expect((await openFollowUps(lead.customer.id)).map((t: { id: string }) => t.id)).toEqual([lead.followUp.id]);
    const interactions = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}/interactions`);
    expect(interactions.body.items).toEqual([]);
  });

  it('never leave two open follow-ups when recorded at once', async () => {
    const lead = await newLead();
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api.call(s.repA, 'POST', `/v1/customers/${lead.customer.id}/interactions`, { body: { channel: 'call', summary: `call ${i}` } }),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(await openFollowUps(lead.customer.id)).toHaveLength(1);
    const interactions = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}/interactions`);
    expect(interactions.body.items).toHaveLength(5);
  });

  it('record all of twenty interactions written at once and leave one open follow-up', async () => {
    const lead = await newLead();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.call(i % 2 ? s.repA : s.manager, 'POST', `/v1/customers/${lead.customer.id}/interactions`, {
          body: { channel: 'call', summary: `call ${i}`, ...(i === 7 ? { intentLevel: 'H' } : {}) },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const open = await openFollowUps(lead.customer.id);
    expect(open).toHaveLength(1);
    const interactions = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}/interactions?limit=100`);
    expect(interactions.body.items.map((i: { summary: string }) => i.summary).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `call ${i}`).sort());
    const customer = await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`);
    expect(customer.body.openFollowUpId).toBe(open[0].id);
    expect(customer.body.intentLevel).toBe('H');
    // The contact that rated the lead H shapes the next follow-up, whichever landed first.
    expect(Date.parse(open[0].dueAt) - api.clock.now().getTime()).toBe(2 * DAY);
    const closedBy = interactions.body.items.flatMap((i: { taskId: string | null }) => (i.taskId ? [i.taskId] : []));
    expect(new Set(closedBy).size).toBe(closedBy.length);
    expect(closedBy).toContain(lead.followUp.id);
    expect(interactions.body.items.find((i: { summary: string }) => i.summary === 'call 7').taskId).not.toBeNull();
  });
});

describe('completing a follow-up task', () => {
  it('records the outcome; unreachable tries again the next day, declined stops', async () => {
    const lead = await newLead();
    const unreachable = await api.call(s.repA, 'POST', `/v1/tasks/${lead.followUp.id}/complete`, { body: { outcome: 'unreachable' } });
    expect(unreachable.status).toBe(200);
    expect(unreachable.body).toMatchObject({ status: 'done', outcome: 'unreachable' });
    const [retry] = await openFollowUps(lead.customer.id);
    expect(new Date(retry.dueAt).getTime() - api.clock.now().getTime()).toBe(DAY);

    const declined = await api.call(s.repA, 'POST', `/v1/tasks/${retry.id}/complete`, { body: { outcome: 'declined', note: '已在别处购房' } });
    expect(declined.body).toMatchObject({ outcome: 'declined', note: '已在别处购房' });
    expect(await openFollowUps(lead.customer.id)).toHaveLength(0);

    const again = await api.call(s.repA, 'POST', `/v1/tasks/${retry.id}/complete`, { body: { outcome: 'reached' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
  });

  it("lists a rep's open tasks soonest first", async () => {
    const a = await newLead({}, s.repB);
    api.clock.advance(-3600_000);
    const b = await newLead({}, s.repB);
    api.clock.advance(3600_000);
    const res = await api.call(s.repB, 'GET', '/v1/tasks?kind=follow_up');
    const ids = res.body.items.map((t: { id: string }) => t.id);
    expect(ids.indexOf(b.followUp.id)).toBeLessThan(ids.indexOf(a.followUp.id));
    const dues = res.body.items.map((t: { dueAt: string }) => t.dueAt);
    expect(dues).toEqual([...dues].sort());
    const before = await api.call(s.repB, 'GET', `/v1/tasks?dueBefore=${encodeURIComponent(a.followUp.dueAt)}`);
    expect(before.body.items.map((t: { id: string }) => t.id)).toContain(b.followUp.id);
    expect(before.body.items.map((t: { id: string }) => t.id)).not.toContain(a.followUp.id);
  });
});

describe('signing the contract', () => {
  it('moves the lead to customer and cancels the chase', async () => {
    const lead = await newLead();
    const res = await api.call(s.repA, 'PATCH', `/v1/customers/${lead.customer.id}`, { body: { stage: 'customer', needs: { layout: '4室' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: 'customer', openFollowUpId: null, needs: { layout: '4室' } });
    expect(await openFollowUps(lead.customer.id)).toHaveLength(0);
  });
});

describe('conflict resolution', () => {
  it('settles ownership, records who decided, and moves the open follow-up', async () => {
    const lead = await newLead();
    const phone = (await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`)).body.phone;
    await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'fu', name: '陈晨', phone, channel: 'walk_in' } });
    await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'fu', name: '陈晨', phone, channel: 'phone' } });
    const open = (await api.call(s.manager, 'GET', '/v1/conflicts?siteId=fu')).body.items.filter(
      (c: { customerId: string }) => c.customerId === lead.customer.id,
    );
    expect(open).toHaveLength(2);

    const byRep = await api.call(s.repB, 'POST', `/v1/conflicts/${open[0].id}/resolve`, { body: { ownerId: s.repB.sub } });
    expect(byRep.status).toBe(403);

    const res = await api.call(s.manager, 'POST', `/v1/conflicts/${open[0].id}/resolve`, { body: { ownerId: s.repB.sub } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', resolvedBy: s.manager.sub, decidedOwnerId: s.repB.sub, resolvedAt: api.clock.now().toISOString() });

    const stillOpen = (await api.call(s.manager, 'GET', '/v1/conflicts?siteId=fu')).body.items.filter(
      (c: { customerId: string }) => c.customerId === lead.customer.id,
    );
    expect(stillOpen).toEqual([]);
    expect((await api.call(s.repB, 'GET', `/v1/customers/${lead.customer.id}`)).body.ownerId).toBe(s.repB.sub);
    expect((await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`)).status).toBe(404);
    expect((await openFollowUps(lead.customer.id))[0].assigneeId).toBe(s.repB.sub);
    const mine = await api.call(s.repB, 'GET', `/v1/customers?ownerId=${s.repB.sub}`);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(lead.customer.id);

    const twice = await api.call(s.manager, 'POST', `/v1/conflicts/${open[0].id}/resolve`, { body: { ownerId: s.repA.sub } });
    expect(twice.status).toBe(409);
  });

  it('refuses an owner who is not staff of the site', async () => {
    const lead = await newLead();
    const phone = (await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`)).body.phone;
    await api.call(s.repB, 'POST', '/v1/customers', { body: { siteId: 'fu', name: '陈晨', phone, channel: 'walk_in' } });
    const conflict = (await api.call(s.manager, 'GET', '/v1/conflicts?siteId=fu')).body.items.find(
      (c: { customerId: string }) => c.customerId === lead.customer.id,
    );
    const res = await api.call(s.manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, { body: { ownerId: 'nobody' } });
    expect(res.status).toBe(400);
    expect((await api.call(s.repA, 'GET', `/v1/customers/${lead.customer.id}`)).body.ownerId).toBe(s.repA.sub);
  });
});

describe('reception rotation', () => {
  it('hands walk-ins to the on-duty reps in turn, once each, even when asked at once', async () => {
    const duty = await api.call(s.manager, 'PUT', '/v1/sites/fu/reception/duty', { body: { staffIds: [s.repA.sub, s.repB.sub] } });
    expect(duty.status).toBe(200);
    const turns = await Promise.all(Array.from({ length: 6 }, () => api.call(s.repA, 'POST', '/v1/sites/fu/reception/next')));
    const ids = turns.map((t) => t.body.staffId);
    expect(ids.filter((id) => id === s.repA.sub)).toHaveLength(3);
    expect(ids.filter((id) => id === s.repB.sub)).toHaveLength(3);
  });

  it('shows whose turn it is without moving it, as often as the desk looks', async () => {
    await api.call(s.manager, 'PUT', '/v1/sites/fu/reception/duty', { body: { staffIds: [s.repA.sub, s.repB.sub] } });
    for (let i = 0; i < 3; i++) expect((await api.call(s.repB, 'GET', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: s.repA.sub, name: s.repA.sub });
    expect((await api.call(s.repB, 'POST', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: s.repA.sub, name: s.repA.sub });
    expect((await api.call(s.repB, 'GET', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: s.repB.sub, name: s.repB.sub });
  });

  it('names the rep on turn, whether the desk looks or takes the turn, so that it can call them by name', async () => {
    for (const [id, name] of [
      ['rep-li-fu', '李娜'],
      ['rep-zhao-fu', '赵强'],
    ])
      expect((await api.call(admin, 'POST', '/v1/sites/fu/staff', { body: { id, name, role: 'sales' } })).status).toBe(201);
    await api.call(s.manager, 'PUT', '/v1/sites/fu/reception/duty', { body: { staffIds: ['rep-li-fu', 'rep-zhao-fu'] } });
    expect((await api.call(s.repB, 'GET', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: 'rep-li-fu', name: '李娜' });
    expect((await api.call(s.repB, 'POST', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: 'rep-li-fu', name: '李娜' });
    expect((await api.call(s.repB, 'POST', '/v1/sites/fu/reception/next')).body).toEqual({ staffId: 'rep-zhao-fu', name: '赵强' });
  });

  it('refuses someone who is not staff of the site, or twice on duty', async () => {
    expect((await api.call(s.manager, 'PUT', '/v1/sites/fu/reception/duty', { body: { staffIds: ['stranger'] } })).status).toBe(400);
    expect((await api.call(s.manager, 'PUT', '/v1/sites/fu/reception/duty', { body: { staffIds: [s.repA.sub, s.repA.sub] } })).status).toBe(400);
  });
});
