import { addOffset, atSiteTime, daysBetween, siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { Task } from '../model.ts';
import type { DayFigures } from './figures.ts';
import type { TaskDue } from './report-store.ts';

/** The instant a site day ends: the next day's midnight in the site's zone. */
export const dayEnd = (day: string, timezone: string): Date => atSiteTime(addOffset(day, 'P1D'), '00:00', timezone);

/**
 * How far back the days after a past day are read to find the follow-ups that were open at its
 * end. Every day a report or the day-close job can ask about is within it: ten years.
 */
const LATE_DAYS_LIMIT = 3660;

const PARALLEL_READS = 8;

/**
 * The site day a follow-up is closed on, when that is a later day than the one it fell due on:
 * it was overdue at the end of each day between, so the store files it under the day it
 * closed. A follow-up closed on its due day or before is overdue at no day's end and is not
 * filed, so reading a past day never goes through the follow-ups done in time.
 */
export function closedLateOn(task: Pick<Task, 'kind' | 'dueAt'>, closedAt: string, timezone: string): string | undefined {
  if (task.kind !== 'follow_up') return undefined;
  const closedOn = siteDay(new Date(closedAt), timezone);
  return closedOn > siteDay(new Date(task.dueAt), timezone) ? closedOn : undefined;
}

/** Overdue follow-ups counted per assignee; one the store lists twice (it closed between two reads) counts once. */
function countByAssignee(tasks: Iterable<TaskDue>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { assigneeId } of tasks) if (assigneeId) counts.set(assigneeId, (counts.get(assigneeId) ?? 0) + 1);
  return counts;
}

/** Today's: the follow-ups due before now and still open. */
export async function followUpsOverdueNow(ctx: Context, siteId: string, now: Date): Promise<Map<string, number>> {
  return countByAssignee(await ctx.store.listOpenTasksDueBefore(siteId, 'follow_up', now.toISOString()));
}

/**
 * Each past day's follow-ups open at its end, per assignee: those due before its end that are
 * open still, and those closed on a later day than it (up to today) that were due before its
 * end. The open ones are read first: a follow-up closed between the two reads is then found
 * by the second and counted once by its id, never missed. One Query for the open ones and one
 * per day closed on, whatever the number of days asked: the reads grow with the days, and the
 * items read are the ones counted.
 */
export async function followUpsOpenAtEnds(
  ctx: Context,
  site: { id: string; timezone: string },
  days: string[],
  today: string,
): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  if (days.length === 0) return result;
  const sorted = [...days].sort();
  const first = sorted[0]!;
  const last = dayEnd(sorted.at(-1)!, site.timezone).toISOString();
  const open = await ctx.store.listOpenTasksDueBefore(site.id, 'follow_up', last);
  const closedOn = daysBetween(first, today, LATE_DAYS_LIMIT);
  const late: { on: string; tasks: TaskDue[] }[] = [];
  // A few at a time: a day long past has many days after it, and they need not all go at once.
  for (let i = 0; i < closedOn.length; i += PARALLEL_READS) {
    const batch = closedOn.slice(i, i + PARALLEL_READS);
    late.push(...(await Promise.all(batch.map(async (on) => ({ on, tasks: await ctx.store.listFollowUpsClosedLate(site.id, on, last) })))));
  }
  for (const day of sorted) {
    const end = dayEnd(day, site.timezone).toISOString();
    const atEnd = new Map<string, TaskDue>();
    for (const task of open) if (task.dueAt < end) atEnd.set(task.id, task);
    for (const { on, tasks } of late) if (on > day) for (const task of tasks) if (task.dueAt < end) atEnd.set(task.id, task);
    result.set(day, countByAssignee(atEnd.values()));
  }
  return result;
}

/**
 * A site day's overdue follow-ups per staff member: today's as of now; a closed day's as the
 * day-close job wrote them beside its figures (read already, with them); any other past day's
 * worked out from the days after it.
 */
export async function followUpsOverdueOn(ctx: Context, site: { id: string; timezone: string }, day: string, figures: DayFigures): Promise<Map<string, number>> {
  const now = ctx.clock.now();
  const today = siteDay(now, site.timezone);
  if (day === today) return followUpsOverdueNow(ctx, site.id, now);
  if (figures.closedAt !== null) return new Map(figures.staff.filter((f) => f.followUpsOverdue !== 0).map((f) => [f.staffId, f.followUpsOverdue]));
  return (await followUpsOpenAtEnds(ctx, site, [day], today)).get(day)!;
}
