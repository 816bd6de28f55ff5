import { addOffset, isCalendarDay, siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { IntakeChannel } from '../model.ts';
import { loadSite } from '../sites.ts';
import { DAILY_FIGURES, SERVICE_FIGURES } from './figures.ts';
import { LEAD_EVENTS, LEAD_GAUGES } from './lead-figures.ts';
import { readSiteRecords } from './rebuild-records.ts';
import type { CounterTarget } from './rebuild-store.ts';
import { recount, summed } from './recount.ts';
import { REFERRAL_FIGURES } from './referral-figures.ts';
import { REGISTRATION_FIGURES } from './registration-figures.ts';

export interface RebuildOptions {
  /** Site days, inclusive; by default from the day of the site's first customer to today. */
  from?: string;
  to?: string;
  /** Report the differences and write nothing. */
  dryRun?: boolean;
}

/** One figure of one counter item that the records do not add up to. */
export interface FigureDifference {
  target: CounterTarget;
  figure: string;
  stored: number;
  recomputed: number;
}

export interface RebuildReport {
  job: 'reports-rebuild';
  siteId: string;
  from: string;
  to: string;
  /** The months whose lead figures were checked: those the days touch. */
  months: string[];
  dryRun: boolean;
  /** Counter items compared, stored or recomputed. */
  compared: number;
  differences: FigureDifference[];
  /** Items set to what the records add up to. */
  fixed: number;
  /** Items a fact added to while the rebuild ran: left as they are, for another run to check. */
  moved: number;
}

const DAY_FIGURES = [...DAILY_FIGURES, ...SERVICE_FIGURES] as const;
const MONTH_FIGURES = [...LEAD_GAUGES, ...LEAD_EVENTS] as const;
/** Days read at once. */
const BATCH = 8;

function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addOffset(day, 'P1D')) days.push(day);
  return days;
}

const numbers = (item: Record<string, unknown>, names: readonly string[]): Record<string, number> =>
  Object.fromEntries(names.map((name) => [name, Number(item[name] ?? 0)]));

async function perDay<T>(days: string[], read: (day: string) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < days.length; i += BATCH) all.push(...(await Promise.all(days.slice(i, i + BATCH).map(read))).flat());
  return all;
}

/** A counter item as stored and as the records add it up. */
interface Compared {
  target: CounterTarget;
  names: readonly string[];
  stored: Record<string, number>;
  recomputed: Record<string, number>;
}

/**
 * Recounts a site's figures from its records, compares them with the counters its facts kept,
 * and (unless a dry run) sets each counter that differs to what the records add up to. The
 * counters are read first and set only while they still hold what was read, so a fact that
 * lands during the rebuild is never lost: its item is reported as moved instead.
 */
export async function rebuildReports(ctx: Context, siteId: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  const site = await loadSite(ctx, siteId);
  const today = siteDay(ctx.clock.now(), site.timezone);
  const first = await ctx.store.firstCustomerCreatedAt(site.id);
  const from = options.from ?? (first ? siteDay(new Date(first), site.timezone) : today);
  const to = options.to ?? today;
  for (const [path, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isCalendarDay(day))
      throw new ValidationError(`${path} '${day}' is not a YYYY-MM-DD day`, [{ path, code: 'invalid_date', message: `'${day}' is not YYYY-MM-DD` }]);
  }
  if (from > to) throw new ValidationError(`from ${from} is after to ${to}`, [{ path: 'from', code: 'out_of_range', message: `${from} is after ${to}` }]);
  if (to > today)
    throw new ValidationError(`to ${to} is after the site's today, ${today}`, [
      { path: 'to', code: 'in_the_future', message: `${to} is after the site's today, ${today}` },
    ]);
  const days = daysFrom(from, to);
  const months = [...new Set(days.map((day) => day.slice(0, 7)))];

  // The counters before the records: a fact landing in between then shows as a counter moved, never as one to undo.
  const [dayItems, registrationItems, referralItems, gaugeItems, monthItems] = await Promise.all([
    perDay(days, async (day) => (await ctx.store.listDailyFigures(site.id, day)).staff),
    perDay(days, (day) => ctx.store.listRegistrations(site.id, day)),
    perDay(days, (day) => ctx.store.listReferralFigures(site.id, day)),
    ctx.store.listLeadGauges(site.id),
    perDay(months, (month) => ctx.store.listLeadMonth(site.id, month)),
  ]);
  const counted = recount(await readSiteRecords(ctx, site.id), site.timezone);

  const compared = new Map<string, Compared>();
  const slot = (target: CounterTarget, names: readonly string[]): Compared => {
    const key = JSON.stringify(target);
    let entry = compared.get(key);
    if (!entry) compared.set(key, (entry = { target, names, stored: {}, recomputed: {} }));
    return entry;
  };
  const inDays = (day: string) => day >= from && day <= to;
  const inMonths = (month: string) => months.includes(month);

  for (const f of dayItems) slot({ kind: 'day', siteId, day: f.day, staffId: f.staffId }, DAY_FIGURES).stored = numbers(f, DAY_FIGURES);
  for (const r of registrationItems)
    slot({ kind: 'registrations', siteId, day: r.day, staffId: r.staffId, channel: r.channel }, REGISTRATION_FIGURES).stored = numbers(r, REGISTRATION_FIGURES);
  for (const r of referralItems)
    slot({ kind: 'referrals', siteId, day: r.day, keyPersonId: r.keyPersonId }, REFERRAL_FIGURES).stored = numbers(r, REFERRAL_FIGURES);
  for (const g of gaugeItems) slot({ kind: 'lead_gauge', siteId, staffId: g.staffId }, LEAD_GAUGES).stored = numbers(g, LEAD_GAUGES);
  for (const m of monthItems) slot({ kind: 'lead_month', siteId, month: m.month, staffId: m.staffId }, MONTH_FIGURES).stored = numbers(m, MONTH_FIGURES);

  const byDay = summed(
    counted.figures.filter((f) => inDays(f.day)),
    (f) => `${f.day}\n${f.staffId}`,
    (f) => f.add,
  );
  for (const [key, sums] of byDay) {
    const [day, staffId] = key.split('\n') as [string, string];
    slot({ kind: 'day', siteId, day, staffId }, DAY_FIGURES).recomputed = sums;
  }
  const byRegistration = summed(
    counted.registrations.filter((r) => inDays(r.day)),
    (r) => `${r.day}\n${r.staffId}\n${r.channel}`,
    (r) => r.add,
  );
  for (const [key, sums] of byRegistration) {
    const [day, staffId, channel] = key.split('\n') as [string, string, IntakeChannel];
    slot({ kind: 'registrations', siteId, day, staffId, channel }, REGISTRATION_FIGURES).recomputed = sums;
  }
  const byReferral = summed(
    counted.referrals.filter((r) => inDays(r.day)),
    (r) => `${r.day}\n${r.keyPersonId}`,
    (r) => r.add,
  );
  for (const [key, sums] of byReferral) {
    const [day, keyPersonId] = key.split('\n') as [string, string];
    slot({ kind: 'referrals', siteId, day, keyPersonId }, REFERRAL_FIGURES).recomputed = sums;
  }
  for (const [staffId, sums] of summed(
    counted.gauges,
    (g) => g.staffId,
    (g) => g.gauge,
  )) {
    slot({ kind: 'lead_gauge', siteId, staffId }, LEAD_GAUGES).recomputed = sums;
  }
  const byMonth = summed(
    counted.leads.filter((l) => inMonths(l.month)),
    (l) => `${l.month}\n${l.staffId}`,
    (l) => ({ ...l.gauge, ...l.events }),
  );
  for (const [key, sums] of byMonth) {
    const [month, staffId] = key.split('\n') as [string, string];
    slot({ kind: 'lead_month', siteId, month, staffId }, MONTH_FIGURES).recomputed = sums;
  }

  const report: RebuildReport = {
    job: 'reports-rebuild',
    siteId,
    from,
    to,
    months,
    dryRun: options.dryRun ?? false,
    compared: compared.size,
    differences: [],
    fixed: 0,
    moved: 0,
  };
  for (const { target, names, stored, recomputed } of compared.values()) {
    const differing = names.filter((name) => (stored[name] ?? 0) !== (recomputed[name] ?? 0));
    if (differing.length === 0) continue;
    for (const figure of differing) report.differences.push({ target, figure, stored: stored[figure] ?? 0, recomputed: recomputed[figure] ?? 0 });
    if (report.dryRun) continue;
    const values = Object.fromEntries(differing.map((name) => [name, recomputed[name] ?? 0]));
    const expected = Object.fromEntries(differing.map((name) => [name, stored[name] ?? 0]));
    if (await ctx.store.setCounters(target, values, expected)) report.fixed++;
    else report.moved++;
  }
  return report;
}
