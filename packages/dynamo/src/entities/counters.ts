import {
  DAILY_FIGURES,
  REGISTRATION_FIGURES,
  SERVICE_FIGURES,
  type DailyFigures,
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
import { addTo, type GuardedPut, type GuardedWrite } from '../transact.ts';

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
const registrationsOfDayPk = (siteId: string, day: string) => `REG#${siteId}#${day}`;
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

const countsService = (amounts: Record<string, number>) => SERVICE_FIGURES.some((name) => name in amounts);

/** The additions of a fact, written in the fact's transaction: they land, and count, only with it. */
export function figureAdds(changes: FigureChange[] | undefined): GuardedWrite[] {
  const adds = (changes ?? [])
    .map((change) => ({ change, amounts: Object.fromEntries(Object.entries(change.add).filter(([, amount]) => amount !== 0)) as Record<string, number> }))
    .filter(({ amounts }) => Object.keys(amounts).length > 0);
  // A transaction may touch each item once: one marker per (site, day), however many staff counted.
  const markers = new Map(adds.filter(({ amounts }) => countsService(amounts)).map(({ change }) => [`${change.siteId}\n${change.day}`, change]));
  return [
    ...adds.map(({ change, amounts }) => addTo(figuresKey(change.siteId, change.day, change.staffId), amounts, undefined, labels(change))),
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
export function figureAddsOfVersionedFact(changes: FigureChange[] | undefined): GuardedWrite[] {
  return figureAdds(changes).map((write) => {
    if (!('increments' in write)) return write;
    const { increments: _, ...once } = write;
    return once;
  });
}

export function counterStore(t: TableAccess): Pick<ReportStore, 'listDailyFigures' | 'listServiceFigures' | 'listServiceSites' | 'listRegistrations'> {
  const dayItems = (siteId: string, day: string) => t.all<Item>({ ...partitionQuery(figuresOfDayPk(siteId, day), STAFF_PREFIX, true), ConsistentRead: true });
  return {
    async listDailyFigures(siteId, day) {
      return (await dayItems(siteId, day)).map((item) => withZeros(item as DailyFigures, DAILY_FIGURES));
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
