import { createIds, runDayCloseJob } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
/** DynamoDB requests by command, and the items they went through, since the last reset. */
let requests: Record<string, number> = {};
let itemsRead = 0;

const SITE = 'rq';
const DAY = '2026-11-23';
const REPORTS = {
  'daily activity of a past day': `/v1/reports/daily-activity?siteId=${SITE}&date=${DAY}`,
  'intent levels of a past month': `/v1/reports/intent-levels?siteId=${SITE}&month=2026-11`,
  'service over a week': `/v1/reports/service?siteId=${SITE}&from=2026-11-20&to=2026-11-26`,
  'registrations over a week': `/v1/reports/registrations?siteId=${SITE}&from=2026-11-20&to=2026-11-26`,
};

beforeAll(async () => {
  api = await createTestApi();
  api.clock.current = new Date('2026-11-20T02:00:00Z');
  s = await seedSite(api, SITE);
  // Counted as the store sends them: reports run one at a time here, so every request seen is the one report's.
  const send = api.table.doc.send.bind(api.table.doc) as (command: object) => Promise<{ Count?: number; ScannedCount?: number; Item?: unknown }>;
  (api.table.doc as unknown as { send: typeof send }).send = async (command) => {
    const result = await send(command);
    const name = command.constructor.name;
    requests[name] = (requests[name] ?? 0) + 1;
    itemsRead += result.ScannedCount ?? (result.Item ? 1 : 0);
    return result;
  };
});
afterAll(() => api.close());

/** A day's work at the site: customers registered, contacted, and a complaint each filed and answered. */
async function busyDay(customers: number) {
  api.clock.current = new Date(`${DAY}T02:00:00Z`);
  for (let i = 0; i < customers; i++) {
    const rep = i % 2 ? s.repA : s.repB;
    const created = await api.call(rep, 'POST', '/v1/customers', {
      body: { siteId: SITE, name: '王芳', phone: freshPhone(), channel: 'walk_in', intentLevel: 'B' },
    });
    const id = created.body.customer.id as string;
    expect((await api.call(rep, 'POST', `/v1/customers/${id}/interactions`, { body: { channel: 'call', summary: '回访', intentLevel: 'A' } })).status).toBe(
      201,
    );
    const filed = await api.call(s.service, 'POST', '/v1/complaints', {
      body: { customerId: id, category: 'service', channel: 'hotline', description: '态度差' },
    });
    expect((await api.call(s.service, 'POST', `/v1/complaints/${filed.body.complaint.id}/events`, { body: { type: 'respond' } })).status).toBe(201);
  }
}

/** Each report read once, by an admin, on the last day of the week. */
async function costs() {
  api.clock.current = new Date('2026-12-02T02:00:00Z');
  const costs: Record<string, { requests: Record<string, number>; itemsRead: number }> = {};
  for (const [name, path] of Object.entries(REPORTS)) {
    requests = {};
    itemsRead = 0;
    expect((await api.call(admin, 'GET', path)).status).toBe(200);
    costs[name] = { requests: { ...requests }, itemsRead };
  }
  return costs;
}

describe('what a report costs in DynamoDB', () => {
  it('stays the same, in requests and in items read, when the site has ten times the customers', async () => {
    await busyDay(3);
    const few = await costs();
    await busyDay(27);
    const many = await costs();
    expect(many).toEqual(few);
    // Thirty customers' busy days are hundreds of writes: slow on a loaded 2-core machine, not a cost under test.
  }, 120_000);

  it('is a few requests for a closed day or a month, and one more per day of a span', async () => {
    // The day-close job closes a day just after it ends: from then on the day is read from its own items.
    await runDayCloseJob({ store: api.table.store, clock: { now: () => new Date('2026-11-23T16:30:00Z') }, ids: createIds() });
    const few = await costs();
    const total = (name: keyof typeof REPORTS) => Object.values(few[name]!.requests).reduce((a, b) => a + b, 0);
    // The site, its staff, and the day's figures with its overdue follow-ups as the day closed.
    expect(total('daily activity of a past day')).toBeLessThanOrEqual(4);
    // The site, its staff, the gauges, November's figures and December's (the month since).
    expect(total('intent levels of a past month')).toBeLessThanOrEqual(5);
    // Per day: the sites active on it, and this site's figures on a day it was active; the staff's names once.
    expect(total('service over a week')).toBeLessThanOrEqual(7 + 1 + 1);
    // Per day its figures, and the staff's names once.
    expect(total('registrations over a week')).toBe(7 + 1);
  });
});
