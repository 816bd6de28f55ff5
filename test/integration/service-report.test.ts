import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCallbacksJob } from '@guanjia/core';
import { admin, createTestApi, freshPhone, seedSite, type staff, type TestApi } from '../support/api.ts';

let api: TestApi;
const ctx = () => ({ store: api.table.store, clock: api.clock, ids: { next: () => 'unused' } });
type Person = ReturnType<typeof staff>;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const at = (iso: string) => {
  api.clock.current = new Date(iso);
};

/** A delivered owner, whose first callback (P3M) falls due three months after the delivery. */
async function deliveredOwner(siteId: string, people: { repA: Person; service: Person }, label: string) {
  const created = await api.call(people.repA, 'POST', '/v1/customers', { body: { siteId, name: '吴敏', phone: freshPhone(), channel: 'walk_in' } });
  const delivery = await api.call(people.service, 'POST', `/v1/customers/${created.body.customer.id}/deliveries`, {
    body: { asset: { kind: 'home', label }, deliveredOn: '2026-11-28' },
  });
  expect(delivery.status).toBe(201);
  const first = (delivery.body.callbacks as { taskId: string; plan: string }[]).find((c) => c.plan === 'P3M')!;
  return { customerId: created.body.customer.id as string, callbackId: first.taskId };
}

const complete = async (who: Person, taskId: string, body: Record<string, unknown>) =>
  expect((await api.call(who, 'POST', `/v1/tasks/${taskId}/complete`, { body })).status).toBe(200);
const fileComplaint = async (who: Person, customerId: string) => {
  const res = await api.call(who, 'POST', '/v1/complaints', { body: { customerId, category: 'service', channel: 'hotline', description: '物业服务态度差' } });
  expect(res.status).toBe(201);
  return res.body.complaint.id as string;
};
const step = async (who: Person, id: string, body: Record<string, unknown>) =>
  expect((await api.call(who, 'POST', `/v1/complaints/${id}/events`, { body })).status).toBe(201);
const report = (who: Person | typeof admin, query: string, headers: Record<string, string> = {}) =>
  api.call(who, 'GET', `/v1/reports/service?from=2027-02-28&to=2027-03-01${query}`, { headers });

let sv1: Awaited<ReturnType<typeof seedSite>>;
let sv2: Awaited<ReturnType<typeof seedSite>>;

describe('the service report', () => {
  beforeAll(async () => {
    at('2026-11-28T01:30:00Z');
    sv1 = await seedSite(api, 'sv1', { callbackAttempts: 2 });
    sv2 = await seedSite(api, 'sv2');
    const [reached, declined, unreached] = [
      await deliveredOwner('sv1', sv1, '1栋101'),
      await deliveredOwner('sv1', sv1, '1栋102'),
      await deliveredOwner('sv1', sv1, '1栋103'),
    ];
    const elsewhere = await deliveredOwner('sv2', sv2, '2栋201');

    // 2027-02-28, the callbacks job gives each site's P3M callbacks to its one agent.
    at('2027-02-28T01:30:00Z');
    expect(await runCallbacksJob(ctx(), '2027-02-28')).toMatchObject({ announced: 4 });
    await complete(sv1.service, reached.callbackId, { outcome: 'reached', satisfaction: 5 });
    await complete(sv1.service, declined.callbackId, { outcome: 'declined' });
    await complete(sv1.service, unreached.callbackId, { outcome: 'unreachable' }); // one attempt left: still open
    await complete(sv2.service, elsewhere.callbackId, { outcome: 'reached', satisfaction: 4 });
    at('2027-02-28T02:00:00Z');
    const inWindow = await fileComplaint(sv1.service, reached.customerId);
    const late = await fileComplaint(sv1.service, declined.customerId);
    at('2027-02-28T03:00:00Z');
    await step(sv1.service, inWindow, { type: 'respond', note: '已联系物业' }); // 60 minutes

    // 2027-03-01: the last attempt, a late answer (25 hours, past the 24-hour window) and a closing score.
    at('2027-03-01T02:00:00Z');
    await complete(sv1.service, unreached.callbackId, { outcome: 'unreachable' });
    at('2027-03-01T03:00:00Z');
    await step(sv1.manager, late, { type: 'respond', note: '经理致歉' }); // 1500 minutes
    await step(sv1.service, inWindow, { type: 'resolve', note: '已整改' });
    await step(sv1.service, inWindow, { type: 'close', satisfaction: 3 });
  });

  const sv1Figures = {
    siteId: 'sv1',
    callbacks: { due: 3, done: 3, reached: 1, unreached: 1, completionRate: 1 },
    complaints: { filed: 2, answered: 2, answeredInWindow: 1, answeredInWindowRate: 0.5, averageResponseMinutes: 780 },
    satisfaction: { count: 2, average: 4, satisfiedRate: 0.5 },
  };
  const groupFigures = {
    callbacks: { due: 4, done: 4, reached: 2, unreached: 1, completionRate: 1 },
    complaints: sv1Figures.complaints,
    satisfaction: { count: 3, average: 4, satisfiedRate: 2 / 3 },
  };

  it('counts callbacks given, closed reached, declined and unreached after the last attempt, complaints answered in and out of the window, and the scores', async () => {
    const res = await report(admin, '&siteId=sv1');
    expect(res.status).toBe(200);
    expect(res.body.sites).toEqual([sv1Figures]);
    const { siteId: _, ...totals } = sv1Figures;
    expect(res.body.totals).toEqual(totals);
    expect(res.body.rows).toEqual([
      {
        siteId: 'sv1',
        staffId: sv1.manager.sub,
        name: sv1.manager.sub,
        callbacksDone: 0,
        complaintsAnswered: 1,
        answeredInWindowRate: 0,
        satisfactionAverage: null,
        satisfactionCount: 0,
      },
      {
        siteId: 'sv1',
        staffId: sv1.service.sub,
        name: sv1.service.sub,
        callbacksDone: 3,
        complaintsAnswered: 1,
        answeredInWindowRate: 1,
        satisfactionAverage: 4,
        satisfactionCount: 2,
      },
    ]);
    expect(res.body.group).toEqual(groupFigures);
  });

  it('counts a day only from the facts of that day', async () => {
    const res = await api.call(admin, 'GET', '/v1/reports/service?siteId=sv1&from=2027-03-01&to=2027-03-01');
    expect(res.body.sites[0].callbacks).toEqual({ due: 0, done: 1, reached: 0, unreached: 1, completionRate: null });
    expect(res.body.sites[0].complaints).toMatchObject({ filed: 0, answered: 1, answeredInWindow: 0 });
  });

  it('gives an admin without a site every site with service activity, and the group', async () => {
    const res = await report(admin, '');
    expect(res.body.sites.map((s: { siteId: string }) => s.siteId)).toEqual(['sv1', 'sv2']);
    expect(res.body.totals).toEqual(groupFigures);
  });

  it("shows a manager their own sites' rows and the group, but no other site's detail", async () => {
    const res = await report(sv1.manager, '');
    expect(res.status).toBe(200);
    expect(res.body.sites.map((s: { siteId: string }) => s.siteId)).toEqual(['sv1']);
    expect(res.body.rows.every((r: { siteId: string }) => r.siteId === 'sv1')).toBe(true);
    expect(res.body.group).toEqual(groupFigures);
    expect((await report(sv1.manager, '&siteId=sv2')).status).toBe(403);
  });

  it('is read by a service agent of the site and refused to a sales rep', async () => {
    expect((await report(sv2.service, '&siteId=sv2')).body.sites[0].satisfaction).toEqual({ count: 1, average: 4, satisfiedRate: 1 });
    expect((await report(sv1.repA, '&siteId=sv1')).status).toBe(403);
  });

  it('refuses a span that ends before it starts', async () => {
    expect((await api.call(admin, 'GET', '/v1/reports/service?from=2027-03-02&to=2027-03-01')).status).toBe(400);
  });

  it('answers one CSV line per row, titled in Chinese', async () => {
    const res = await report(admin, '&siteId=sv1', { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    const lines = String(res.body).trim().split(/\r?\n/);
    expect(lines[0]).toContain('回访完成');
    expect(lines).toHaveLength(3);
  });
});
