import { describe, expect, it } from 'vitest';
import { addOffset, createSite, isCallbackOffset, updateSite, ValidationError, type Context, type Principal, type SiteInput } from '@guanjia/core';

const admin: Principal = { sub: 'admin-1', role: 'admin', sites: [] };

/** A store that fails the test if a use case reaches it: a refused site must not be written. */
const untouched = new Proxy({}, { get: (_, name) => () => Promise.reject(new Error(`the store was called (${String(name)})`)) });
const ctx = { store: untouched, clock: { now: () => new Date('2026-11-23T01:30:00Z') }, ids: { next: () => 'id-1' } } as unknown as Context;
const site: SiteInput = { name: 'North Gate', kind: 'real_estate', smsSignature: '管家' };

async function fieldErrors(run: () => Promise<unknown>): Promise<string[]> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors.map((e) => e.path);
}

describe('callback offsets', () => {
  it.each(['P3M', 'P1Y', 'P2Y6M', 'P0D', 'P10Y', 'P120M', 'P3720D', 'P9Y12M'])(
    'accepts %s, which lands on a day from any delivery a client can send',
    (offset) => {
      expect(isCallbackOffset(offset)).toBe(true);
      expect(addOffset('9000-12-31', offset)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    },
  );

  it.each(['P9999Y', 'P10Y1D', 'P121M', 'P3721D', 'P', 'PT1H', 'P1.5Y', '3M', `P${'9'.repeat(400)}D`])('refuses %s', (offset) => {
    expect(isCallbackOffset(offset)).toBe(false);
  });
});

describe('a site saved through core, whatever the door', () => {
  it.each([
    ['a callback offset of P9999Y', { callbackPlan: [{ plan: 'forever', offset: 'P9999Y', checklist: [] }] }, 'callbackPlan.0.offset'],
    ['quiet hours ending at 24:00', { quietHours: { start: '21:00', end: '24:00' } }, 'quietHours.end'],
    ['quiet hours given as 9pm', { quietHours: { start: '9pm', end: '09:00' } }, 'quietHours.start'],
    ['a cadence of 0 days', { followUpCadence: { H: 0 } }, 'followUpCadence.H'],
    ['a cadence of 1.5 days', { followUpCadence: { firstVisitDays: 1.5 } }, 'followUpCadence.firstVisitDays'],
    ['a cadence over a year', { followUpCadence: { C: 366 } }, 'followUpCadence.C'],
    ['a plan named with a colon', { callbackPlan: [{ plan: 'a:b', offset: 'P3M', checklist: [] }] }, 'callbackPlan.0.plan'],
    ['no callback attempt at all', { callbackAttempts: 0 }, 'callbackAttempts'],
    ['no callback a day for an agent', { callbackCapacity: 0 }, 'callbackCapacity'],
    ['more callbacks a day than an agent could make', { callbackCapacity: 501 }, 'callbackCapacity'],
    ['a potential lead reviewed every day 0', { potentialReviewDays: 0 }, 'potentialReviewDays'],
    ['a potential lead reviewed less than once a year', { potentialReviewDays: 366 }, 'potentialReviewDays'],
    ['a care cap over no days', { smsCareCap: { count: 4, days: 0 } }, 'smsCareCap.days'],
    ['no time to answer a complaint', { complaintAnswerHours: { normal: 0, urgent: 4 } }, 'complaintAnswerHours.normal'],
  ])('is refused with %s, naming the field, before anything is written', async (_, settings, path) => {
    expect(await fieldErrors(() => createSite(ctx, admin, { ...site, ...settings }))).toContain(path);
    expect(await fieldErrors(() => updateSite(ctx, admin, 'north-gate', settings))).toContain(path);
  });

  it('names every bad field of one request at once', async () => {
    const paths = await fieldErrors(() =>
      createSite(ctx, admin, {
        ...site,
        followUpCadence: { A: 0, B: 400 },
        callbackPlan: [
          { plan: 'P3M', offset: 'P3M', checklist: [] },
          { plan: 'P3M', offset: 'P99Y', checklist: [] },
        ],
      }),
    );
    expect(paths).toEqual(['followUpCadence.A', 'followUpCadence.B', 'callbackPlan.1.plan', 'callbackPlan.1.offset']);
  });
});
