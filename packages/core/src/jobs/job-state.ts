import type { Context } from '../context.ts';
import { withVersionRetry } from '../version-retry.ts';
import { daysBetween } from '../calendar.ts';

/** The days a run for `today` covers: every day since the last one finished (capped), and today. */
export async function daysToRun(ctx: Context, job: string, today: string): Promise<string[]> {
  const state = await ctx.store.getJobState(job);
  const days = daysBetween(state?.lastDay ?? null, today);
  return days.length ? days : [today];
}

/** Remembers the day as finished; an older day never moves the mark back. */
export async function finishDay(ctx: Context, job: string, day: string): Promise<void> {
  await withVersionRetry(async () => {
    const state = await ctx.store.getJobState(job);
    if (state?.lastDay && state.lastDay >= day) return;
    await ctx.store.saveJobState({ job, lastDay: day, lastRunAt: ctx.clock.now().toISOString(), version: (state?.version ?? 0) + 1 }, state?.version ?? null);
  });
}
