import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { addOffset, backfillSiteList, createIds, dailyActivity, runDayCloseJob, siteDay, type Context, type Principal } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';
import { startDynamoProxy } from '../support/dynamo-proxy.ts';

let api: TestApi;
const HOUR = 3600_000;
const ZONE = 'Asia/Shanghai';
const START = new Date('2026-11-23T01:30:00Z'); // Monday 23 November, 09:30 in Shanghai
const ctx = (): Context => ({ store: api.table.store, clock: api.clock, ids: createIds() });

// A table per test: the day-close job works through every site of its table.
beforeEach(async () => {
  api = await createTestApi();
  api.clock.current = START;
});
afterEach(() => api.close());

const at = (iso: string) => (api.clock.current = new Date(iso));
const next = (day: string, days = 1) => addOffset(day, `P${days}D`);

async function report(siteId: string, date: string) {
  const res = await api.call(admin, 'GET', `/v1/reports/daily-activity?siteId=${siteId}&date=${date}`);
  expect(res.status).toBe(200);
  return res.body as { rows: { staffId: string; followUpsOverdue: number }[]; totals: { followUpsOverdue: number } };
}
const overdueOf = async (siteId: string, date: string, staffId: string) =>
  (await report(siteId, date)).rows.find((r) => r.staffId === staffId)!.followUpsOverdue;

/** A new lead for the rep, with the follow-up intake opens for it. */
async function lead(siteId: string, rep: Principal) {
  const res = await api.call(rep, 'POST', '/v1/customers', { body: { siteId, name: '赵磊', phone: freshPhone(), channel: 'walk_in' } });
  expect(res.status).toBe(201);
  const dueAt = res.body.followUp.dueAt as string;
  return { id: res.body.customer.id as string, dueAt, dueDay: siteDay(new Date(dueAt), ZONE) };
}

/** A contact by the rep: it closes the customer's open follow-up and opens the next one. */
async function contact(customerId: string, rep: Principal) {
  const res = await api.call(rep, 'POST', `/v1/customers/${customerId}/interactions`, { body: { channel: 'call', summary: '回访' } });
  expect(res.status).toBe(201);
  expect(res.body.closed).not.toBeNull();
}

describe('a past day’s overdue follow-ups', () => {
  it('count a follow-up closed two days after its due day on that day and the next, not on the day it closed, before any day is closed', async () => {
    const s = await seedSite(api, 'od1');
    const late = await lead('od1', s.repA);
    const inTime = await lead('od1', s.repA);
    const D = late.dueDay;
    expect(D).toBe('2026-11-25');
    at(new Date(Date.parse(inTime.dueAt) + HOUR).toISOString());
    await contact(inTime.id, s.repA); // closed on its due day, late by an hour: overdue at no day's end
    at(new Date(Date.parse(late.dueAt) + 48 * HOUR).toISOString());
    await contact(late.id, s.repA);

    expect(await overdueOf('od1', D, s.repA.sub)).toBe(1);
    expect(await overdueOf('od1', next(D), s.repA.sub)).toBe(1);
    expect(await overdueOf('od1', next(D, 2), s.repA.sub)).toBe(0);
    expect(await overdueOf('od1', '2026-11-24', s.repA.sub)).toBe(0);
    // Nothing was closed: every one of these days was worked out from the days after it.
    expect((await api.table.store.listDailyFigures('od1', D)).closedAt).toBeNull();
    at(`${next(D, 5)}T04:00:00Z`);
    expect(await overdueOf('od1', D, s.repA.sub)).toBe(1);
    expect(await overdueOf('od1', next(D), s.repA.sub)).toBe(1);
    expect(await overdueOf('od1', next(D, 2), s.repA.sub)).toBe(0);
  });

  it('are written by the day-close job when each day ends, and read back from it after the follow-up is closed', async () => {
    const s = await seedSite(api, 'od2');
    const late = await lead('od2', s.repA);
    const D = late.dueDay;
    for (const day of [D, next(D)]) {
      at(`${day}T16:05:00Z`); // 00:05 on the next day in Shanghai
      expect(await runDayCloseJob(ctx())).toMatchObject({ sites: 1, daysClosed: 1 });
      const figures = await api.table.store.listDailyFigures('od2', day);
      expect(figures.closedAt).toBe(new Date(`${day}T16:05:00Z`).toISOString());
      expect(figures.staff.find((f) => f.staffId === s.repA.sub)).toMatchObject({ followUpsOverdue: 1 });
    }
    at(new Date(Date.parse(late.dueAt) + 48 * HOUR).toISOString());
    await contact(late.id, s.repA);
    at(`${next(D, 2)}T16:05:00Z`);
    expect(await runDayCloseJob(ctx())).toMatchObject({ daysClosed: 1 });

    for (const [day, overdue] of [
      [D, 1],
      [next(D), 1],
      [next(D, 2), 0],
    ] as const) {
      expect((await api.table.store.listDailyFigures('od2', day)).closedAt).not.toBeNull();
      expect(await overdueOf('od2', day, s.repA.sub)).toBe(overdue);
    }
  });

  it('are caught up by the day-close job for the days it missed, and a second run changes nothing', async () => {
    const s = await seedSite(api, 'od3');
    const late = await lead('od3', s.repA);
    const D = late.dueDay;
    // The site was created on the 23rd: the first run after it ends closes it, and only it.
    at('2026-11-23T16:00:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ daysClosed: 1 });
    at(new Date(Date.parse(late.dueAt) + 48 * HOUR).toISOString());
    await contact(late.id, s.repA);

    // No run from the 24th to the 29th: the run of the 30th closes the six days it missed.
    at('2026-11-30T02:00:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ daysClosed: 6 });
    const days = ['2026-11-23', '2026-11-24', D, next(D), next(D, 2), next(D, 3), next(D, 4)];
    const before = await Promise.all(days.map((day) => report('od3', day)));
    expect(before.map((r) => r.totals.followUpsOverdue)).toEqual([0, 0, 1, 1, 0, 0, 0]);
    for (const day of days) expect((await api.table.store.listDailyFigures('od3', day)).closedAt).not.toBeNull();

    expect(await runDayCloseJob(ctx())).toMatchObject({ sites: 1, daysClosed: 0 });
    expect(await Promise.all(days.map((day) => report('od3', day)))).toEqual(before);
    expect(await api.table.store.getJobState('day-close:od3')).toMatchObject({ lastDay: '2026-11-29' });
  });

  it('are read without going through the follow-ups closed in time, however many', async () => {
    // Two sites alike but for the follow-ups done on their due day: one at the first, eight at the second.
    const few = await seedSite(api, 'od4');
    const many = await seedSite(api, 'od5');
    const lateFew = await lead('od4', few.repA);
    const lateMany = await lead('od5', many.repA);
    const inTimeFew = await lead('od4', few.repA);
    const inTimeMany = await Promise.all(Array.from({ length: 8 }, () => lead('od5', many.repA)));
    const D = lateFew.dueDay;
    at(new Date(Date.parse(lateFew.dueAt) + HOUR).toISOString());
    await contact(inTimeFew.id, few.repA);
    for (const t of inTimeMany) await contact(t.id, many.repA);
    at(new Date(Date.parse(lateFew.dueAt) + 48 * HOUR).toISOString());
    await contact(lateFew.id, few.repA);
    await contact(lateMany.id, many.repA);

    const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    const doc = createDocumentClient({ endpoint: proxy.endpoint, region: 'local' });
    const counted: Context = { store: new DynamoStore(doc, api.table.tableName), clock: api.clock, ids: createIds() };
    const readsOf = async (siteId: string, date: string) => {
      proxy.reset();
      const body = await dailyActivity(counted, admin, { siteId, date });
      const scanned = Object.values(proxy.itemsRead()).reduce((sum, r) => sum + r.scanned, 0);
      return { overdue: body.totals.followUpsOverdue, requests: proxy.counts(), scanned };
    };
    try {
      // Not closed yet: worked out from the open follow-ups and the late ones of the days after.
      const open = { few: await readsOf('od4', D), many: await readsOf('od5', D) };
      expect(open.few.overdue).toBe(1);
      expect(open.many).toEqual(open.few);

      at(`${next(D, 2)}T16:05:00Z`);
      await runDayCloseJob(ctx()); // a first run closes yesterday only
      const closedDay = next(D, 2);
      const closed = { few: await readsOf('od4', closedDay), many: await readsOf('od5', closedDay) };
      expect(closed.many).toEqual(closed.few);
      // The site, its staff, and the day's figures with its mark: one Query of the day.
      expect(closed.few.requests).toEqual({ 'DynamoDB_20120810.GetItem': 1, 'DynamoDB_20120810.Query': 2 });
    } finally {
      doc.destroy();
      await proxy.close();
    }
  });
});

describe('the sites the day-close job works through', () => {
  it('are every site created, and one saved before sites were listed once it is backfilled, unchanged', async () => {
    await seedSite(api, 'ls1');
    await seedSite(api, 'ls2');
    // A site as an older version saved it: the item without the list's keys.
    const old = { ...(await api.table.store.getSite('ls2'))!, id: 'ls0' };
    await api.table.doc.send(new PutCommand({ TableName: api.table.tableName, Item: { PK: 'SITE#ls0', SK: 'SITE', type: 'site', ...old } }));
    expect((await api.table.store.listSites()).map((site) => site.id)).toEqual(['ls1', 'ls2']);
    at('2026-11-24T16:05:00Z');
    expect(await runDayCloseJob(ctx())).toMatchObject({ sites: 2 });

    expect(await backfillSiteList(ctx(), 'ls0')).toEqual({ siteId: 'ls0' });
    expect(await backfillSiteList(ctx(), 'ls0')).toEqual({ siteId: 'ls0' });
    expect((await api.table.store.listSites()).map((site) => site.id)).toEqual(['ls0', 'ls1', 'ls2']);
    expect(await api.table.store.getSite('ls0')).toEqual(old);
    expect(await runDayCloseJob(ctx())).toMatchObject({ sites: 3 });
  });
});
