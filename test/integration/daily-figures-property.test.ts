import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

type Actor = 'repA' | 'repB' | 'manager';
type Retry = 'once' | 'again' | 'at_once';
type Step =
  | { kind: 'intake'; actor: Actor; person: number; retry: Retry }
  | { kind: 'contact'; actor: Actor; person: number; retry: Retry }
  | { kind: 'complete'; actor: Actor; person: number; retry: Retry }
  | { kind: 'wait'; minutes: number };

const actor = fc.constantFrom<Actor>('repA', 'repB', 'manager');
const person = fc.integer({ min: 0, max: 3 });
const retry = fc.constantFrom<Retry>('once', 'again', 'at_once');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('intake' as const), actor, person, retry }),
  fc.record({ kind: fc.constant('contact' as const), actor, person, retry }),
  fc.record({ kind: fc.constant('complete' as const), actor, person, retry }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 20 * 60 }) }),
);

const FIGURES = ['receptions', 'newCustomers', 'interactions', 'followUpsDone'] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

/** The model's own reading of a site day, through Intl rather than the code under test. */
const dayIn = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

let run = 0;

describe('the daily activity figures', () => {
  it('equal, for every day touched, what a model of the same receptions, contacts and completions counts, retries and replays included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('Asia/Shanghai', 'America/New_York'), fc.array(step, { minLength: 1, maxLength: 18 }), async (timezone, steps) => {
        const siteId = `dfp${++run}`;
        api.clock.current = new Date('2026-11-23T14:00:00Z');
        const s = await seedSite(api, siteId, { timezone });
        const who = { repA: s.repA, repB: s.repB, manager: s.manager };
        const phones = [0, 1, 2, 3].map(() => freshPhone());
        const owners = new Map<number, { actor: Actor; customerId: string }>();
        const model = new Map<string, Map<string, Figures>>();
        const count = (staffId: string, add: Partial<Figures>) => {
          const day = dayIn(api.clock.now(), timezone);
          const ofDay = model.get(day) ?? new Map<string, Figures>();
          model.set(day, ofDay);
          const figures = ofDay.get(staffId) ?? { receptions: 0, newCustomers: 0, interactions: 0, followUpsDone: 0 };
          ofDay.set(staffId, figures);
          for (const [name, amount] of Object.entries(add) as [keyof Figures, number][]) figures[name] += amount;
        };
        /** The request, sent as the step says: once, then again with its key, or twice at once with it. */
        const send = async (_i: number, r: Retry, request: () => Promise<{ status: number; body: any }>) => {
          if (r === 'once') return request();
          if (r === 'again') {
            const first = await request();
            const second = await request();
            expect(second.status).toBe(first.status);
            return first;
          }
          const both = await Promise.all([request(), request()]);
          return both.find((res) => res.status !== 409) ?? both[0]!;
        };

        for (const [i, st] of steps.entries()) {
          if (st.kind === 'wait') {
            api.clock.advance(st.minutes * 60_000);
            continue;
          }
          const principal = who[st.actor];
          const headers = { 'Idempotency-Key': `${siteId}-${i}` };
          const known = owners.get(st.person);
          const mayContact = known !== undefined && (st.actor === 'manager' || known.actor === st.actor);
          if (st.kind === 'intake') {
            const res = await send(i, st.retry, () =>
              api.call(principal, 'POST', '/v1/customers', { body: { siteId, name: '刘洋', phone: phones[st.person], channel: 'phone' }, headers }),
            );
            expect(res.status).toBe(known ? 200 : 201);
            if (!known) owners.set(st.person, { actor: st.actor, customerId: res.body.customer.id });
            count(principal.sub, known ? { receptions: 1 } : { receptions: 1, newCustomers: 1 });
          } else if (st.kind === 'contact') {
            if (!known) continue;
            const res = await send(i, st.retry, () =>
              api.call(principal, 'POST', `/v1/customers/${known.customerId}/interactions`, { body: { channel: 'call', summary: '回访' }, headers }),
            );
            expect(res.status).toBe(mayContact ? 201 : 404);
            // A lead always has one follow-up open, and a contact closes it.
            if (mayContact) count(principal.sub, { interactions: 1, followUpsDone: 1 });
          } else {
            if (!known) continue;
            const open = await api.call(s.manager, 'GET', `/v1/tasks?siteId=${siteId}&kind=follow_up&limit=100`);
            const task = open.body.items.find((t: { customerId: string }) => t.customerId === known.customerId);
            const res = await send(i, st.retry, () => api.call(principal, 'POST', `/v1/tasks/${task.id}/complete`, { body: { outcome: 'reached' }, headers }));
            expect(res.status).toBe(mayContact ? 200 : 404);
            if (mayContact) count(principal.sub, { interactions: 1, followUpsDone: 1 });
          }
        }

        for (const [day, expected] of model) {
          const res = await api.call(admin, 'GET', `/v1/reports/daily-activity?siteId=${siteId}&date=${day}`);
          expect(res.status).toBe(200);
          const counted = Object.fromEntries(
            (res.body.rows as ({ staffId: string } & Figures)[])
              .filter((row) => FIGURES.some((name) => row[name] > 0))
              .map((row) => [row.staffId, Object.fromEntries(FIGURES.map((name) => [name, row[name]]))]),
          );
          expect({ day, counted }).toEqual({ day, counted: Object.fromEntries(expected) });
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
