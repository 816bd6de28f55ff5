import { addOffset, atSiteTime, createIds, intake, recordDelivery, siteDay, updateCustomer, type Clock, type Context, type Store } from '@guanjia/core';
import { CAST, dayOfStory, type Act, type Lane, type Story } from './demo-days.ts';
import { demoPhone, dice, INTAKE_MIX, personName, pick } from './demo-people.ts';
import { DEMO_SITE } from './seed.ts';

/**
 * The demo site's past: a few weeks of a sales office's work, told through the use cases
 * themselves on clocks that move through those weeks, so that every figure a report reads
 * was counted by the fact that made it, as it would have been. Told once, when the demo site
 * is new.
 */

/** Two and a half weeks: the last 14 days all have something in every report, and the first follow-ups had time to fall due. */
export const HISTORY_DAYS = 17;
const DAY_MS = 86_400_000;
const TIMEZONE = 'Asia/Shanghai';
/** Owners' stories told at once: each is its own, and the database takes a few writers well. */
const OWNERS_AT_ONCE = 4;

/** A clock the story moves: it stands wherever its teller is. */
class StoryClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

function onClock(store: Store, at: Date): { ctx: Context; clock: StoryClock } {
  const clock = new StoryClock(at);
  return { ctx: { store, clock, ids: createIds(clock) }, clock };
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
 * Tells the story up to `now`. Each day, the reps and the service desk work side by side
 * from 09:30 (when the callbacks job hands out the day's calls) through the afternoon, and
 * the manager after them; today, in the hours already gone.
 */
export async function seedDemoHistory(store: Store, now: Date): Promise<HistoryResult> {
  let phones = 0;
  const story: Story = { roll: dice(20261128), leads: [], owners: [], complaints: [], unanswered: new Set(), nextPhone: () => demoPhone(++phones) };
  const today = siteDay(now, TIMEZONE);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => dayBefore(today, HISTORY_DAYS - 1 - i));
  let facts = await handOver(store, story, days);
  for (const [k, day] of days.entries()) {
    facts += await runDay(store, day, k, dayOfStory(story, day, k, handoverFor(day) !== null, day === today), day === today ? now : null);
  }
  return { days: HISTORY_DAYS, customers: phones, facts };
}

/**
 * The owners whose living checks fall due in these weeks: taken in by a rep some 40 days
 * before their handover, signed 15 days later, and handed over three months before the check.
 */
async function handOver(store: Store, story: Story, days: string[]): Promise<number> {
  const chains = days.flatMap((day, k) => {
    const handover = handoverFor(day);
    if (!handover) return [];
    const rep = CAST.reps[k % 2]!;
    const owner = { name: personName(story.roll), phone: story.nextPhone(), channel: pick(story.roll, INTAKE_MIX) };
    const minute = String(k).padStart(2, '0');
    return [
      async () => {
        const { ctx, clock } = onClock(store, atSiteTime(dayBefore(handover, 40), `10:${minute}`, TIMEZONE));
        const taken = await intake(ctx, rep, { siteId: DEMO_SITE.id, ...owner, intentLevel: 'A', smsConsent: true });
        if (taken.outcome !== 'new') throw new Error(`owner ${owner.phone} was known already`);
        clock.at = atSiteTime(dayBefore(handover, 25), `15:${minute}`, TIMEZONE);
        await updateCustomer(ctx, rep, taken.customer.id, { stage: 'customer' });
        clock.at = atSiteTime(handover, `11:${minute}`, TIMEZONE);
        const label = `${(k % 6) + 1}栋${(k % 17) + 2}0${(k % 4) + 1}`;
        await recordDelivery(ctx, CAST.agent, taken.customer.id, { asset: { kind: 'home', label }, deliveredOn: handover });
        return { k, id: taken.customer.id };
      },
    ];
  });
  const owners: { k: number; id: string }[] = [];
  for (let i = 0; i < chains.length; i += OWNERS_AT_ONCE) owners.push(...(await Promise.all(chains.slice(i, i + OWNERS_AT_ONCE).map((tell) => tell()))));
  story.owners.push(...owners.sort((a, b) => a.k - b.k).map((o) => o.id));
  return owners.length * 3;
}

/** A day's acts, lane by lane, spread from 09:30 to 17:30, or, today, over the hours already gone. */
async function runDay(store: Store, day: string, k: number, acts: Act[], until: Date | null): Promise<number> {
  let start = atSiteTime(day, '09:30', TIMEZONE).getTime();
  let span = 8 * 60 * 60_000;
  if (until && start + span >= until.getTime()) {
    const dayStart = atSiteTime(day, '00:00', TIMEZONE).getTime();
    // A minute's margin before now, less when the day is younger than ten minutes.
    span = until.getTime() - dayStart - Math.min(60_000, (until.getTime() - dayStart) / 10);
    start = dayStart + span / 100;
    span -= span / 100;
  }
  const lane = async (name: Lane, from: number, length: number): Promise<number> => {
    const mine = acts.filter((act) => act.lane === name);
    const step = length / Math.max(1, mine.length);
    const { ctx, clock } = onClock(store, new Date(from));
    // Several facts of one act stay apart in time, and inside the act's own slot.
    const tick = () => (clock.at = new Date(clock.at.getTime() + Math.min(120_000, step / 20)));
    let facts = 0;
    for (const [i, act] of mine.entries()) {
      clock.at = new Date(from + i * step);
      try {
        facts += await act.run(ctx, tick);
      } catch (error) {
        throw new Error(`the demo history stopped on ${day} (day ${k}), ${act.label}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    return facts;
  };
  const side = span * 0.8;
  const sideBySide = await Promise.all((['service', 'rep-li', 'rep-zhao'] as const).map((name) => lane(name, start, side)));
  return sideBySide.reduce((a, b) => a + b, 0) + (await lane('manager', start + side, span - side));
}
