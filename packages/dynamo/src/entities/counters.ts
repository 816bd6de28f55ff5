import {
  CapacityReachedError,
  DAILY_FIGURES,
  REGISTRATION_FIGURES,
  SERVICE_FIGURES,
  type DailyFigures,
  type DayClose,
  type FigureChange,
  type RegistrationChange,
  type RegistrationFigures,
  type ReportStore,
  type ServiceFigures,
} from '@guanjia/core';
import { withZeros, type Item } from '../items.ts';
import type { Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { addTo, type GuardedPut, type GuardedWrite, type UpdateGuard } from '../transact.ts';

/**
 * One item per (site, day, staff member): a write contends only with the same person's other
 * facts of that day, never with the whole site's, and a day's report is one Query of one
 * partition holding one item per staff member with activity. The service figures are kept on
 * the same items as the day's sales activity.
 */
const figuresOfDayPk = (siteId: string, day: string) => `COUNT#${siteId}#${day}`;
const STAFF_PREFIX = 'STAFF#';
export const figuresKey = (siteId: string, day: string, staffId: string): Key => ({ PK: figuresOfDayPk(siteId, day), SK: `${STAFF_PREFIX}${staffId}` });
export const labels = (f: { siteId: string; day: string; staffId: string }) => ({ type: 'daily_figures', siteId: f.siteId, day: f.day, staffId: f.staffId });
/**
 * Once a day has ended, the day-close job sets each staff member's overdue follow-ups on
 * their item and then puts this marker beside them: a day's Query reads both, and a day
 * without the marker is not closed yet, however far its writes got.
 */
const dayClosedKey = (siteId: string, day: string): Key => ({ PK: figuresOfDayPk(siteId, day), SK: 'CLOSED' });

/**
 * Sites cannot be listed by a Query, so a day's service facts mark their site active on it:
 * one item per (day, site), put unconditionally (the same item every time), so the group's
 * aggregate reads a day's sites with one Query and sums their figures, with no company-wide
 * counter that every service fact would contend for.
 */
const serviceSitesOfDayPk = (day: string) => `ACTIVE#${day}`;
const SITE_PREFIX = 'SITE#';
export const serviceSiteMarker = (siteId: string, day: string): GuardedPut => ({
  Item: { PK: serviceSitesOfDayPk(day), SK: `${SITE_PREFIX}${siteId}`, type: 'service_site', siteId, day },
});

/**
 * Registrations by source: one item per (site, day, staff member, source), in a partition of
 * their own so a day's activity Query never reads them; a day's registrations are one Query.
 */
export const registrationsOfDayPk = (siteId: string, day: string) => `REG#${siteId}#${day}`;
export const registrationKey = (r: { siteId: string; day: string; staffId: string; channel: string }): Key => ({
  PK: registrationsOfDayPk(r.siteId, r.day),
  SK: `${STAFF_PREFIX}${r.staffId}#${r.channel}`,
});

/** A reception's registrations, written in its transaction like the day's figures. */
export function registrationAdds(changes: RegistrationChange[] | undefined): GuardedWrite[] {
  return (changes ?? []).map((r) =>
    addTo(registrationKey(r), r.add as Record<string, number>, undefined, {
      type: 'registrations',
      siteId: r.siteId,
      day: r.day,
      staffId: r.staffId,
      channel: r.channel,
    }),
  );
}

export const serviceSiteItem = (siteId: string, day: string): Item => serviceSiteMarker(siteId, day).Item;
export const registrationItem = (r: RegistrationFigures): Item => ({ ...registrationKey(r), type: 'registrations', ...r });
export const dailyFiguresItem = (f: DailyFigures): Item => ({ ...figuresKey(f.siteId, f.day, f.staffId), ...labels(f), ...f });
export const dayClosedItem = (siteId: string, day: string, at: string): Item => ({
  ...dayClosedKey(siteId, day),
  type: 'day_closed',
  siteId,
  day,
  closedAt: at,
});

/** A transaction holds at most 100 writes: the marker goes in the last one, after every figure. */
const CLOSE_CHUNK = 99;

/**
 * The day's overdue follow-ups set (not added: the same close again writes the same), then
 * the marker. A staff member with none gets no write: an absent figure reads as zero.
 */
function closeWrites(close: DayClose): GuardedWrite[][] {
  const sets: GuardedWrite[] = [...close.followUpsOverdue]
    .filter(([, count]) => count > 0)
    .map(([staffId, count]) => {
      const key = figuresKey(close.siteId, close.day, staffId);
      const names: Record<string, string> = { '#overdue': 'followUpsOverdue' };
      const values: Record<string, unknown> = { ':overdue': count };
      const assignments = ['#overdue = :overdue'];
      for (const [attribute, value] of Object.entries(labels({ siteId: close.siteId, day: close.day, staffId }))) {
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        assignments.push(`#${attribute} = :${attribute}`);
      }
      return { Update: { Key: key, UpdateExpression: `SET ${assignments.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
    });
  const chunks: GuardedWrite[][] = [];
  for (let i = 0; i < sets.length; i += CLOSE_CHUNK) chunks.push(sets.slice(i, i + CLOSE_CHUNK));
  const marker: GuardedPut = { Item: dayClosedItem(close.siteId, close.day, close.at) };
  if (chunks.length > 0 && chunks.at(-1)!.length < CLOSE_CHUNK) chunks.at(-1)!.push(marker);
  else chunks.push([marker]);
  return chunks;
}

const countsService = (amounts: Record<string, number>) => SERVICE_FIGURES.some((name) => name in amounts);

/** The condition one change's addition lands under, if any. */
type FigureGuard = (change: FigureChange) => UpdateGuard | undefined;

/** The additions of a fact, written in the fact's transaction: they land, and count, only with it. */
export function figureAdds(changes: FigureChange[] | undefined, guard: FigureGuard = () => undefined): GuardedWrite[] {
  const adds = (changes ?? [])
    .map((change) => ({ change, amounts: Object.fromEntries(Object.entries(change.add).filter(([, amount]) => amount !== 0)) as Record<string, number> }))
    .filter(({ amounts }) => Object.keys(amounts).length > 0);
  // A transaction may touch each item once: one marker per (site, day), however many staff counted.
  const markers = new Map(adds.filter(({ amounts }) => countsService(amounts)).map(({ change }) => [`${change.siteId}\n${change.day}`, change]));
  return [
    ...adds.map(({ change, amounts }) => addTo(figuresKey(change.siteId, change.day, change.staffId), amounts, guard(change), labels(change))),
    ...[...markers.values()].map((change) => serviceSiteMarker(change.siteId, change.day)),
  ];
}

/**
 * The additions of a fact whose transaction already lands at most once by a condition of its
 * own (a versioned put beside them): they go without the request token of `addTo`. Two job
 * runs announcing the very same callback, or two agents closing one at the same instant,
 * write the very same transaction; with a token the second would be taken for a retry of the
 * first and reported as done. Without it, the
 * version condition refuses the second, and the figures land once with the first.
 */
export function figureAddsOfVersionedFact(changes: FigureChange[] | undefined, guard?: FigureGuard): GuardedWrite[] {
  return figureAdds(changes, guard).map((write) => {
    if (!('increments' in write)) return write;
    const { increments: _, ...once } = write;
    return once;
  });
}

/**
 * A callback's addition to its agent's `callbacksDue` of the day, landing only while they have
 * fewer than `capacity`: the ceiling holds even against a job run at the same time that read
 * the day's figures before this one's gifts landed.
 */
export const callbacksDueBelow =
  (staffId: string, capacity: number): FigureGuard =>
  (change) =>
    change.staffId === staffId && change.add.callbacksDue
      ? {
          ConditionExpression: 'attribute_not_exists(#due) OR #due < :capacity',
          ExpressionAttributeNames: { '#due': 'callbacksDue' },
          ExpressionAttributeValues: { ':capacity': capacity },
          onConditionFailed: () => new CapacityReachedError(`${staffId} has ${capacity} callbacks on ${change.day}`, { staffId, day: change.day }),
        }
      : undefined;

export function counterStore(
  t: TableAccess,
): Pick<ReportStore, 'listDailyFigures' | 'closeDay' | 'listServiceFigures' | 'listServiceSites' | 'listRegistrations'> {
  const dayItems = (siteId: string, day: string) => t.all<Item>({ ...partitionQuery(figuresOfDayPk(siteId, day), STAFF_PREFIX, true), ConsistentRead: true });
  return {
    async listDailyFigures(siteId, day) {
      // The whole partition: the staff items and the marker of a closed day, in one Query.
      const items = await t.all<Item>({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': figuresOfDayPk(siteId, day) },
        ConsistentRead: true,
      });
      // Records come back without their keys and tag: the marker is the one that counts for nobody.
      const marker = items.find((item) => item.staffId === undefined) as { closedAt: string } | undefined;
      const staff = items.filter((item) => item.staffId !== undefined).map((item) => withZeros(item as DailyFigures, [...DAILY_FIGURES, 'followUpsOverdue']));
      return { closedAt: marker?.closedAt ?? null, staff };
    },
    async closeDay(close) {
      for (const writes of closeWrites(close)) await t.write(writes);
    },
    async listServiceFigures(siteId, day) {
      return (await dayItems(siteId, day)).map((item) => withZeros(item as ServiceFigures, SERVICE_FIGURES));
    },
    async listServiceSites(day) {
      const markers = await t.all<{ siteId: string }>({ ...partitionQuery(serviceSitesOfDayPk(day), SITE_PREFIX, true), ConsistentRead: true });
      return markers.map((m) => m.siteId);
    },
    async listRegistrations(siteId, day) {
      const items = await t.all<RegistrationFigures>({ ...partitionQuery(registrationsOfDayPk(siteId, day), STAFF_PREFIX, true), ConsistentRead: true });
      return items.map((item) => withZeros(item, REGISTRATION_FIGURES));
    },
  };
}
