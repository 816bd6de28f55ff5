import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { loadSite } from '../sites.ts';
import { DAILY_FIGURES, type DailyFigure } from './figures.ts';
import { followUpsOverdueOn } from './overdue.ts';
import { StaffRows, type StaffRow } from './staff-rows.ts';

export type DailyActivityFigures = Record<DailyFigure | 'followUpsOverdue', number>;
export type DailyActivityRow = StaffRow<DailyFigure | 'followUpsOverdue'>;

/** 《营业活动访问日报表》: one row per staff member with something to count, and every sales rep. */
export interface DailyActivityReport {
  siteId: string;
  date: string;
  rows: DailyActivityRow[];
  totals: DailyActivityFigures;
}

const FIGURE_NAMES = [...DAILY_FIGURES, 'followUpsOverdue'] as const;

/**
 * A site's day, read from the figures its facts kept (one Query): its cost grows with the
 * staff, never with the customers or tasks kept. Overdue follow-ups are the only figure that
 * needs the day's end. Today's are the open ones due before now. A past day's were written
 * by the day-close job onto the same items once it ended; until it has, they are worked out
 * from the open follow-ups and those closed late on a later day (see `followUpsOpenAtEnds`).
 */
export async function dailyActivity(ctx: Context, principal: Principal, query: { siteId: string; date?: string }): Promise<DailyActivityReport> {
  authorize(principal, 'report.daily_activity');
  requireSite(principal, query.siteId);
  const site = await loadSite(ctx, query.siteId);
  const now = ctx.clock.now();
  const today = siteDay(now, site.timezone);
  const date = query.date ?? today;
  if (date > today)
    throw new ValidationError('the day has not begun yet', [
      { path: 'date', code: 'in_the_future', message: `${date} is after the site's today, ${today}`, params: { max: today } },
    ]);

  const [staff, figures] = await Promise.all([ctx.store.listStaff(site.id), ctx.store.listDailyFigures(site.id, date)]);
  const table = new StaffRows(staff, FIGURE_NAMES);
  for (const f of figures.staff) for (const name of DAILY_FIGURES) table.of(f.staffId)[name] += f[name];
  for (const [staffId, count] of await followUpsOverdueOn(ctx, site, date, figures)) table.of(staffId).followUpsOverdue = count;
  return { siteId: site.id, date, ...table.readBy(principal) };
}
