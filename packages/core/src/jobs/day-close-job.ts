import { dayBefore, daysBetween, siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { Site } from '../model.ts';
import { followUpsOpenAtEnds } from '../reports/overdue.ts';
import { loadSites } from '../sites.ts';
import { sendEveningDigest } from './digest.ts';
import { escalateLossRequests } from './loss-escalation.ts';
import { finishDay } from './job-state.ts';

export interface DayCloseReport {
  job: 'day-close';
  sites: number;
  /** Site days whose overdue follow-ups were written in this run. */
  daysClosed: number;
  /** Evening digests queued, one per manager with a phone. */
  digests: number;
  /** Loss requests left undecided too long, turned into tasks for the managers in this run. */
  lossRequestsEscalated: number;
}

/**
 * How many ended days a site's run closes at most, the newest: a job down for longer leaves
 * the older ones to be worked out when a report asks for them.
 */
export const CLOSE_CATCH_UP_DAYS = 35;

/** Each site keeps its own mark: sites live in different zones, so their days end at different times. */
export const dayCloseJob = (siteId: string) => `day-close:${siteId}`;

/**
 * Every 15 minutes, site by site (one Query lists them): each site day that has ended since
 * the last run gets its overdue follow-ups written and is marked closed, and in the evening
 * the managers get the day's figures; loss requests left undecided past the site's answer
 * days go on the managers' lists on the same walk. A run after a missed one does what it
 * missed; a run twice, or two at once, write the same figures and queue each digest and
 * escalation once.
 */
export async function runDayCloseJob(ctx: Context): Promise<DayCloseReport> {
  const now = ctx.clock.now();
  const sites = await loadSites(ctx);
  const report: DayCloseReport = { job: 'day-close', sites: sites.length, daysClosed: 0, digests: 0, lossRequestsEscalated: 0 };
  for (const site of sites) {
    report.daysClosed += (await closeEndedDays(ctx, site, now)).length;
    report.digests += await sendEveningDigest(ctx, site, now);
    report.lossRequestsEscalated += await escalateLossRequests(ctx, site, now);
  }
  return report;
}

/**
 * The site's ended days not closed yet, from the day after the last one closed (a site's
 * first run: yesterday only) and none before the site existed. Their overdue follow-ups are
 * worked out together, with one Query per day since the first of them, and set, not added,
 * so a second run writes the same. The mark moves only once they are all written.
 */
export async function closeEndedDays(ctx: Context, site: Site, now: Date): Promise<string[]> {
  const today = siteDay(now, site.timezone);
  const yesterday = dayBefore(today);
  const job = dayCloseJob(site.id);
  const state = await ctx.store.getJobState(job);
  const since = siteDay(new Date(site.createdAt), site.timezone);
  const days = daysBetween(state?.lastDay ?? null, yesterday, CLOSE_CATCH_UP_DAYS).filter((day) => day >= since);
  if (days.length === 0) return [];
  const overdue = await followUpsOpenAtEnds(ctx, site, days, today);
  const at = now.toISOString();
  for (const day of days) await ctx.store.closeDay({ siteId: site.id, day, followUpsOverdue: overdue.get(day)!, at });
  await finishDay(ctx, job, days.at(-1)!);
  return days;
}
