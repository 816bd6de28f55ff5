import { activeStaff } from '../active-staff.ts';
import { atSiteTime, dayBefore, siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { Site } from '../model.ts';
import { composeStaffMessage } from '../outbox.ts';
import { followUpsOverdueOn } from '../reports/overdue.ts';
import type { DIGEST_FIGURES } from '../sms-text.ts';
import { finishDay } from './job-state.ts';

/** The digest goes in the last run before the evening, so that it arrives before quiet hours. */
export const DIGEST_LEAD_MINUTES = 15;
/** A site whose quiet hours start in the morning, or that has none, has its evening at this time. */
const DEFAULT_EVENING = '21:00';

export const digestJob = (siteId: string) => `digest:${siteId}`;

/**
 * When a site day's digest is due: the start of the site's quiet hours, its evening, less the
 * lead. Quiet hours that start before noon are a night's end rather than an evening, and the
 * default evening stands in.
 */
export function digestDueAt(site: Pick<Site, 'quietHours' | 'timezone'>, day: string): Date {
  const { start, end } = site.quietHours;
  const evening = start !== end && start >= '12:00' ? start : DEFAULT_EVENING;
  return new Date(atSiteTime(day, evening, site.timezone).getTime() - DIGEST_LEAD_MINUTES * 60_000);
}

/**
 * A digest is about no customer: its messages list under the site's digests instead, so a
 * site's digests read together as a customer's messages do.
 */
export const digestListOf = (siteId: string) => `digest:${siteId}`;

const dayInWords = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const total = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);

/** The site's figures of the day as the digest tells them, as of now. */
async function digestFigures(ctx: Context, site: Site, day: string, now: Date): Promise<Record<(typeof DIGEST_FIGURES)[number], string>> {
  const [figures, service, complaintsOverdue] = await Promise.all([
    ctx.store.listDailyFigures(site.id, day),
    ctx.store.listServiceFigures(site.id, day),
    ctx.store.countUnansweredOfSite(site.id, now.toISOString()),
  ]);
  const overdue = await followUpsOverdueOn(ctx, site, day, figures);
  return {
    day: dayInWords(day),
    receptions: String(total(figures.staff.map((f) => f.receptions))),
    newCustomers: String(total(figures.staff.map((f) => f.newCustomers))),
    followUpsOverdue: String(total(overdue.values())),
    callbacksDone: String(total(service.map((f) => f.callbacksDone))),
    callbacksDue: String(total(service.map((f) => f.callbacksDue))),
    complaintsOverdue: String(complaintsOverdue),
  };
}

/**
 * 每日晚报: in the site's evening, each of its managers with a phone gets the day's figures in
 * one SMS notice, through the outbox. A run that finds an evening passed unsent since the
 * last one it sent sends the latest missed day's only, as of then; sent in quiet hours, the
 * dispatcher holds it to their end. The message id is unique per site, day and manager, and
 * the outbox put is conditional, so a rerun, or two runs at once, queue each one once.
 * Returns how many were queued.
 */
export async function sendEveningDigest(ctx: Context, site: Site, now: Date): Promise<number> {
  const today = siteDay(now, site.timezone);
  const day = now >= digestDueAt(site, today) ? today : dayBefore(today);
  const job = digestJob(site.id);
  const state = await ctx.store.getJobState(job);
  if (state?.lastDay && state.lastDay >= day) return 0;
  // A first run (the job just deployed) owes no evening that passed before it, nor does a site created after it.
  if ((!state && day < today) || digestDueAt(site, day).toISOString() < site.createdAt) {
    await finishDay(ctx, job, day);
    return 0;
  }
  const managers = (await activeStaff(ctx, site.id)).filter((s) => s.role === 'manager' && s.phone);
  let queued = 0;
  if (managers.length > 0) {
    const values = await digestFigures(ctx, site, day, now);
    const at = now.toISOString();
    const messages = managers.map((m) =>
      composeStaffMessage(site, { ...m, phone: m.phone! }, digestListOf(site.id), 'daily_digest', `${site.id}:${day}:${m.id}`, values, at),
    );
    queued = await ctx.store.enqueueMessages(messages);
  }
  await finishDay(ctx, job, day);
  return queued;
}
