import { addOffset } from '../calendar.ts';
import type { Context } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { SERVICE_FIGURES, type ServiceFigure, type ServiceFigures } from './figures.ts';
import { NO_STAFF } from './service-figures.ts';

/** Each day is one Query per site with service activity on it: a quarter is plenty for one report. */
export const SERVICE_REPORT_MAX_DAYS = 92;

export interface ServiceAggregate {
  callbacks: { due: number; done: number; reached: number; unreached: number; completionRate: number | null };
  complaints: { filed: number; answered: number; answeredInWindow: number; answeredInWindowRate: number | null; averageResponseMinutes: number | null };
  satisfaction: { count: number; average: number | null; satisfiedRate: number | null };
}

export interface ServiceRow {
  siteId: string;
  staffId: string;
  name: string;
  callbacksDone: number;
  complaintsAnswered: number;
  answeredInWindowRate: number | null;
  satisfactionAverage: number | null;
  satisfactionCount: number;
}

export interface ServiceReport {
  from: string;
  to: string;
  sites: ({ siteId: string } & ServiceAggregate)[];
  rows: ServiceRow[];
  totals: ServiceAggregate;
  group: ServiceAggregate;
}

type Sums = Record<ServiceFigure, number>;

const zeros = (): Sums => Object.fromEntries(SERVICE_FIGURES.map((name) => [name, 0])) as Sums;
const addInto = (sums: Sums, figures: Sums) => {
  for (const name of SERVICE_FIGURES) sums[name] += figures[name];
};
/** A rate of nothing has no value: null, never 0. */
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function serviceAggregate(s: Sums): ServiceAggregate {
  return {
    callbacks: {
      due: s.callbacksDue,
      done: s.callbacksDone,
      reached: s.callbacksReached,
      unreached: s.callbacksUnreached,
      completionRate: ratio(s.callbacksDone, s.callbacksDue),
    },
    complaints: {
      filed: s.complaintsFiled,
      answered: s.complaintsAnswered,
      answeredInWindow: s.complaintsAnsweredInWindow,
      answeredInWindowRate: ratio(s.complaintsAnsweredInWindow, s.complaintsAnswered),
      averageResponseMinutes: ratio(s.responseMinutes, s.complaintsAnswered),
    },
    satisfaction: {
      count: s.satisfactionCount,
      average: ratio(s.satisfactionSum, s.satisfactionCount),
      satisfiedRate: ratio(s.satisfied, s.satisfactionCount),
    },
  };
}

/** The site days from `from` to `to`, both included, refused past the report's reach. */
export function spanDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length <= SERVICE_REPORT_MAX_DAYS; day = addOffset(day, 'P1D')) days.push(day);
  if (from > to || days.length > SERVICE_REPORT_MAX_DAYS) {
    throw new ValidationError('the span is out of reach', [
      {
        path: 'to',
        code: 'out_of_range',
        message: `from ${from}, up to ${SERVICE_REPORT_MAX_DAYS} days, not before it`,
        params: { min: from, days: SERVICE_REPORT_MAX_DAYS },
      },
    ]);
  }
  return days;
}

/**
 * Callbacks, complaints and satisfaction over a span of site days. Every figure was kept by
 * its fact, per (site, day, staff member), so the report reads, for each day, the sites with
 * service activity (one Query) and each such site's figures (one Query): its cost grows with
 * the days, the sites and their staff, never with the calls or complaints kept. The group's
 * aggregate is summed from every site's figures rather than kept on one company-wide item,
 * which every service fact of the company would otherwise contend for.
 */
export async function serviceReport(ctx: Context, principal: Principal, query: { siteId?: string; from: string; to: string }): Promise<ServiceReport> {
  authorize(principal, 'report.service');
  if (query.siteId !== undefined) requireSite(principal, query.siteId);
  const days = spanDays(query.from, query.to);

  const perDay = await Promise.all(
    days.map(async (day) => {
      const sites = await ctx.store.listServiceSites(day);
      return Promise.all(sites.map((siteId) => ctx.store.listServiceFigures(siteId, day)));
    }),
  );
  const figures: ServiceFigures[] = perDay.flat(2);
  const inReach = (siteId: string) => (query.siteId !== undefined ? siteId === query.siteId : principal.role === 'admin' || principal.sites.includes(siteId));
  const reachedSites = new Set(query.siteId !== undefined ? [query.siteId] : principal.role === 'admin' ? [] : principal.sites);
  for (const f of figures) if (inReach(f.siteId)) reachedSites.add(f.siteId);

  const group = zeros();
  const totals = zeros();
  const bySite = new Map<string, Sums>([...reachedSites].sort().map((siteId) => [siteId, zeros()]));
  const byStaff = new Map<string, { siteId: string; staffId: string; sums: Sums }>();
  for (const f of figures) {
    addInto(group, f);
    if (!inReach(f.siteId)) continue;
    addInto(totals, f);
    addInto(bySite.get(f.siteId)!, f);
    // The same items keep the day's sales activity: a rep with none of the service figures has no row.
    if (f.staffId === NO_STAFF || SERVICE_FIGURES.every((name) => f[name] === 0)) continue;
    const key = `${f.siteId}\n${f.staffId}`;
    if (!byStaff.has(key)) byStaff.set(key, { siteId: f.siteId, staffId: f.staffId, sums: zeros() });
    addInto(byStaff.get(key)!.sums, f);
  }

  const staffSites = [...new Set([...byStaff.values()].map((r) => r.siteId))];
  const staffLists = await Promise.all(staffSites.map((siteId) => ctx.store.listStaff(siteId)));
  const names = new Map(staffLists.flat().map((s) => [`${s.siteId}\n${s.id}`, s.name]));
  const rows = [...byStaff.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { siteId, staffId, sums }]) => ({
      siteId,
      staffId,
      name: names.get(key) ?? staffId,
      callbacksDone: sums.callbacksDone,
      complaintsAnswered: sums.complaintsAnswered,
      answeredInWindowRate: ratio(sums.complaintsAnsweredInWindow, sums.complaintsAnswered),
      satisfactionAverage: ratio(sums.satisfactionSum, sums.satisfactionCount),
      satisfactionCount: sums.satisfactionCount,
    }));

  return {
    from: query.from,
    to: query.to,
    sites: [...bySite].map(([siteId, sums]) => ({ siteId, ...serviceAggregate(sums) })),
    rows,
    totals: serviceAggregate(totals),
    group: serviceAggregate(group),
  };
}
