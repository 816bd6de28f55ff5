import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietUntil } from '@guanjia/core';
import { SiteInputSchema } from '@guanjia/api/schemas/sites';
import { admin, createTestApi, freshPhone, type TestApi } from '../support/api.ts';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

let serial = 0;
const siteBody = (extra: Record<string, unknown> = {}) => ({ id: `set-${++serial}`, name: '东湖店', kind: 'real_estate', smsSignature: '管家', ...extra });

function expectProblemNaming(res: { status: number; body: any; headers: Headers }, path: string): void {
  expect(res.status).toBe(400);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('site settings that would break later are refused when saved', () => {
  it.each([
    ['a callback offset of P9999Y', { callbackPlan: [{ plan: 'forever', offset: 'P9999Y', checklist: [] }] }, 'callbackPlan.0.offset'],
    [
      'a callback offset a day past P10Y',
      {
        callbackPlan: [
          { plan: 'P3M', offset: 'P3M', checklist: [] },
          { plan: 'late', offset: 'P10Y1D', checklist: [] },
        ],
      },
      'callbackPlan.1.offset',
    ],
    ['quiet hours ending at 24:00', { quietHours: { start: '21:00', end: '24:00' } }, 'quietHours.end'],
    ['a follow-up cadence of 0 days', { followUpCadence: { H: 0 } }, 'followUpCadence.H'],
    ['a follow-up cadence over a year', { followUpCadence: { C: 366 } }, 'followUpCadence.C'],
    ['no callback a day for an agent', { callbackCapacity: 0 }, 'callbackCapacity'],
  ])('POST /v1/sites with %s is 400 naming the field, and no site is saved', async (_, settings, path) => {
    const body = siteBody(settings);
    expectProblemNaming(await api.call(admin, 'POST', '/v1/sites', { body }), path);
    expect((await api.call(admin, 'GET', `/v1/sites/${body.id}`)).status).toBe(404);
  });

  it.each([
    ['a callback offset of P9999Y', { callbackPlan: [{ plan: 'forever', offset: 'P9999Y', checklist: [] }] }, 'callbackPlan.0.offset'],
    ['quiet hours starting at 9pm', { quietHours: { start: '9pm', end: '09:00' } }, 'quietHours.start'],
    ['a follow-up cadence of half a day', { followUpCadence: { firstVisitDays: 0.5 } }, 'followUpCadence.firstVisitDays'],
  ])('PATCH /v1/sites/{id} with %s is 400 naming the field, and the site is unchanged', async (_, settings, path) => {
    const body = siteBody();
    const before = await api.call(admin, 'POST', '/v1/sites', { body });
    expectProblemNaming(await api.call(admin, 'PATCH', `/v1/sites/${body.id}`, { body: settings }), path);
    expect((await api.call(admin, 'GET', `/v1/sites/${body.id}`)).body).toEqual(before.body);
  });

  it('saves a callback plan up to P10Y and opens its callback on the day ten years on', async () => {
    const body = siteBody({ callbackPlan: [{ plan: 'P10Y', offset: 'P10Y', checklist: ['roof'] }] });
    expect((await api.call(admin, 'POST', '/v1/sites', { body })).status).toBe(201);
    const intake = await api.call(admin, 'POST', '/v1/customers', { body: { siteId: body.id, name: '钱多', phone: freshPhone(), channel: 'walk_in' } });
    const delivery = await api.call(admin, 'POST', `/v1/customers/${intake.body.customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label: '1-101' }, deliveredOn: '2028-02-29' },
    });
    expect(delivery.status).toBe(201);
    expect(delivery.body.callbacks.map((c: { dueOn: string }) => c.dueOn)).toEqual(['2038-02-28']);
  });
});

// Candidates are mostly in range and sometimes just past it, so that the schema's yes and no are both tried often.
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 29 }, { arbitrary: invalid, weight: 1 });
const count = mostly(fc.integer({ min: 0, max: 15 }), fc.oneof(fc.constantFrom(119, 120, 121, 3650, 3720, 3721, 9999), fc.integer({ min: 0, max: 100_000 })));
const part = (unit: string) =>
  fc.option(
    count.map((n) => `${n}${unit}`),
    { nil: '', freq: 2 },
  );
// Offsets are what most often broke a site later (P9999Y), so they are past the bound more often.
const offset = fc.oneof(
  { arbitrary: fc.tuple(part('Y'), part('M'), part('W'), part('D')).map((parts) => `P${parts.join('')}`), weight: 5 },
  { arbitrary: fc.constantFrom('P9999Y', 'P8000Y6M', 'P10Y1D', 'PT1H', 'P', '3M'), weight: 1 },
);
const pad = (n: number) => String(n).padStart(2, '0');
const clock = mostly(
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })),
  fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })),
).map(([h, m]) => `${pad(h)}:${pad(m)}`);
const whole = (min: number, max: number) =>
  mostly(fc.integer({ min, max }), fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5), fc.integer({ min: -1000, max: 1000 })));
const days = whole(1, 365);
const settings = fc.record(
  {
    timezone: fc.constantFrom(
      'Asia/Shanghai',
      'asia/shanghai',
      'Asia/Kolkata',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
      'Etc/GMT-14',
      'UTC',
    ),
    quietHours: fc.record({ start: clock, end: clock }),
    followUpCadence: fc.record({ firstVisitDays: days, undecidedDays: days, H: days, A: days, B: days, C: days }, { requiredKeys: [] }),
    callbackPlan: fc.uniqueArray(
      fc.record({
        plan: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
        offset,
        checklist: fc.array(fc.constantFrom('水电', 'roof', 'gas_safety'), { maxLength: 3 }),
      }),
      { maxLength: 4, selector: (p) => p.plan },
    ),
    callbackAttempts: whole(1, 10),
    callbackCapacity: whole(1, 500),
    potentialReviewDays: whole(1, 365),
    smsCareCap: fc.record({ count: whole(0, 100), days }),
  },
  // Every candidate has a plan, if an empty one: it is the setting every delivery reads.
  { requiredKeys: ['callbackPlan'] },
);
const deliveredOn = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('any site the schema accepts works', () => {
  it('takes an intake, a follow-up, a delivery with its whole callback plan, and an SMS at that site; a site it refuses is not saved', async () => {
    await fc.assert(
      fc.asyncProperty(settings, deliveredOn, async (extra, day) => {
        const body = siteBody(extra);
        const saved = await api.call(admin, 'POST', '/v1/sites', { body });
        if (!SiteInputSchema.safeParse(body).success) {
          expect(saved.status).toBe(400);
          expect((await api.call(admin, 'GET', `/v1/sites/${body.id}`)).status).toBe(404);
          return;
        }
        expect(saved.status).toBe(201);
        const intake = await api.call(admin, 'POST', '/v1/customers', { body: { siteId: body.id, name: '周杰', phone: freshPhone(), channel: 'walk_in' } });
        expect(intake.status).toBe(201);
        const customerId = intake.body.customer.id;
        const interaction = await api.call(admin, 'POST', `/v1/customers/${customerId}/interactions`, {
          body: { channel: 'call', summary: '约看样板间', intentLevel: 'A' },
        });
        expect(interaction.status).toBe(201);
        const delivery = await api.call(admin, 'POST', `/v1/customers/${customerId}/deliveries`, {
          body: { asset: { kind: 'home', label: '8-808' }, deliveredOn: day },
        });
        expect(delivery.status).toBe(201);
        expect(delivery.body.callbacks).toHaveLength((extra.callbackPlan ?? [{}, {}]).length);
        // The outbox defers every SMS by the site's quiet hours: they must have an end.
        const site = await api.table.store.getSite(body.id);
        expect(() => quietUntil(api.clock.now(), site!.quietHours, site!.timezone)).not.toThrow();
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
