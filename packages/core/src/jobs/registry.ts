import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { nudgeStalledImports } from '../imports/work-import.ts';
import { nudgeStalledHandovers } from '../leavers/handover-work.ts';
import { releaseDeferred, requeueStalled } from '../outbox.ts';
import { JOB_ZONE, type JobSchedule } from '../schedules.ts';
import { runCallbacksJob } from './callbacks-job.ts';
import { runCareJob } from './care-job.ts';
import { runDayCloseJob } from './day-close-job.ts';
import { runSlaJob } from './sla-job.ts';

export type JobName = JobSchedule['job'];

type JobRun = (ctx: Context) => Promise<Record<string, unknown>>;

/**
 * The jobs there are, each as of the context's clock: the same functions run from
 * EventBridge, from the local scheduler and from `npm run job`.
 */
export const JOBS: Partial<Record<JobName, JobRun>> = {
  callbacks: async (ctx) => ({ ...(await runCallbacksJob(ctx, siteDay(ctx.clock.now(), JOB_ZONE))) }),
  care: async (ctx) => ({ ...(await runCareJob(ctx, siteDay(ctx.clock.now(), JOB_ZONE))) }),
  outbox: async (ctx) => ({
    job: 'outbox',
    released: await releaseDeferred(ctx),
    ...(await requeueStalled(ctx)),
    importsNudged: await nudgeStalledImports(ctx),
    handoversNudged: await nudgeStalledHandovers(ctx),
  }),
  sla: async (ctx) => ({ ...(await runSlaJob(ctx)) }),
  'day-close': async (ctx) => ({ ...(await runDayCloseJob(ctx)) }),
};

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export async function runJob(name: JobName, ctx: Context): Promise<Record<string, unknown>> {
  const run = JOBS[name];
  if (!run) throw new Error(`no job '${name}'; jobs: ${Object.keys(JOBS).join(', ')}`);
  return run(ctx);
}
