import { addOffset, atSiteTime, siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { loadSite } from '../sites.ts';
import { DAILY_FIGURES, type DailyFigure } from './figures.ts';
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
 * A site's day, read from the figures its facts kept (one Query) and the open follow-ups due
 * by the day's end (one Query of the open-task index): its cost grows with the staff, never
 * with the customers or tasks kept. Follow-ups closed since the day ended are no longer in
 * the open index, so a past day counts as overdue only those still open now.
 */
export async function dailyActivity(ctx: Context, principal: Principal, query: { siteId: string; date?: string }): Promise<DailyActivityReport> {
  authorize(principal, 'report.daily_activity');
  requireSite(principal, query.siteId);
  const site = await loadSite(ctx, query.siteId);
  const now = ctx.clock.now();
  const today = siteDay(now, site.timezone);
  const date = query.date ?? today;
  if (date > today) throw new ValidationError('the day has not begun yet', [{ path: 'date', message: `${date} is after the site's today, ${today}` }]);
  const dayEnd = atSiteTime(addOffset(date, 'P1D'), '00:00', site.timezone);
  const cutoff = date === today ? now : dayEnd;

  const [staff, figures, overdue] = await Promise.all([
    ctx.store.listStaff(site.id),
    ctx.store.listDailyFigures(site.id, date),
    ctx.store.countOpenTasksDueBefore(site.id, 'follow_up', cutoff.toISOString()),
  ]);
  const table = new StaffRows(staff, FIGURE_NAMES);
  for (const f of figures) for (const name of DAILY_FIGURES) table.of(f.staffId)[name] += f[name];
  for (const [staffId, count] of overdue) table.of(staffId).followUpsOverdue = count;
  return { siteId: site.id, date, ...table.readBy(principal) };
}
