import { addOffset, atSiteTime, createIds, intake, recordDelivery, siteDay, updateCustomer, type Clock, type Context, type Store } from '@guanjia/core';
import { demoPhone, dice, INTAKE_MIX, personName, pick } from './demo-people.ts';
import { CAST, dayOfStory, type Act, type Story } from './demo-days.ts';
import { DEMO_SITE } from './seed.ts';

/**
 * The demo site's past: a few weeks of a sales office's work, told through the use cases
 * themselves on a clock that moves through those weeks, so that every figure a report reads
 * was counted by the fact that made it, as it would have been. Told once, when the demo site
 * is new.
 */

/** Three weeks: the last 14 days all have something in every report, and follow-ups had time to fall due. */
export const HISTORY_DAYS = 21;
const DAY_MS = 86_400_000;
const TIMEZONE = 'Asia/Shanghai';

/** A clock the story moves: it stands wherever the story is. */
class StoryClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

const dayBefore = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

/** The handover day whose three-month living check falls on `day`, if the calendar has one (29 May has none). */
function handoverFor(day: string): string | null {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y, m - 1 - 3, d)).toISOString().slice(0, 10);
  return addOffset(back, 'P3M') === day ? back : null;
}

export interface HistoryResult {
  days: number;
  customers: number;
  facts: number;
}

/**
 * Tells the story up to `now`. Each day's acts run from 09:30 (when the callbacks job hands
 * out the day's calls) through the afternoon; today's, squeezed in before `now`.
 */
export async function seedDemoHistory(store: Store, now: Date): Promise<HistoryResult> {
  const clock = new StoryClock(now);
  const ctx: Context = { store, clock, ids: createIds(clock) };
  const roll = dice(20261128);
  const story: Story = { ctx, clock, roll, leads: [], owners: [], complaints: [], phones: 0, unanswered: new Set(), tick: () => {} };
  const today = siteDay(now, TIMEZONE);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => dayBefore(today, HISTORY_DAYS - 1 - i));
  let facts = 0;

  // The owners whose living checks fall due in these weeks: taken in, signed and handed over months before.
  const before: { at: Date; act: () => Promise<unknown> }[] = [];
  days.forEach((day, k) => {
    const handover = handoverFor(day);
    if (!handover) return;
    const rep = CAST.reps[k % 2]!;
    const phone = demoPhone(++story.phones);
    const name = personName(roll);
    const minute = String(k).padStart(2, '0');
    let id = '';
    before.push(
      {
        at: atSiteTime(dayBefore(handover, 40), `10:${minute}`, TIMEZONE),
        act: async () => {
          const taken = await intake(ctx, rep, { siteId: DEMO_SITE.id, name, phone, channel: pick(roll, INTAKE_MIX), intentLevel: 'A', smsConsent: true });
          if (taken.outcome === 'new') id = taken.customer.id;
        },
      },
      { at: atSiteTime(dayBefore(handover, 25), `15:${minute}`, TIMEZONE), act: () => updateCustomer(ctx, rep, id, { stage: 'customer' }) },
      {
        at: atSiteTime(handover, `11:${minute}`, TIMEZONE),
        act: async () => {
          await recordDelivery(ctx, CAST.agent, id, {
            asset: { kind: 'home', label: `${(k % 6) + 1}栋${(k % 17) + 2}0${(k % 4) + 1}` },
            deliveredOn: handover,
          });
          story.owners.push(id);
        },
      },
    );
  });
  before.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { at, act } of before) {
    clock.at = at;
    await act();
    facts++;
  }

  for (const [k, day] of days.entries()) {
    const acts: Act[] = dayOfStory(story, day, k, handoverFor(day) !== null, day === today);
    facts += await runDay(story, day, acts, day === today ? now : null);
  }
  return { days: HISTORY_DAYS, customers: story.phones, facts };
}

/** A day's acts spread from 09:30 to 17:30, or, today, over the hours already gone. */
async function runDay(story: Story, day: string, acts: Act[], until: Date | null): Promise<number> {
  let start = atSiteTime(day, '09:30', TIMEZONE).getTime();
  let step = (8 * 60 * 60_000) / acts.length;
  if (until && start + step * acts.length >= until.getTime()) {
    const dayStart = atSiteTime(day, '00:00', TIMEZONE).getTime();
    step = (until.getTime() - 60_000 - dayStart) / (acts.length + 1);
    start = dayStart + step;
  }
  // Several facts of one act stay apart in time, and inside the act's own slot.
  story.tick = () => (story.clock.at = new Date(story.clock.at.getTime() + Math.min(120_000, step / 20)));
  let facts = 0;
  for (const [i, act] of acts.entries()) {
    story.clock.at = new Date(start + i * step);
    try {
      facts += await act.run();
    } catch (error) {
      throw new Error(`the demo history stopped at ${day}, ${act.label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return facts;
}
