import type { Context } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { Task } from '../model.ts';
import { composeMessage } from '../outbox.ts';
import { isSmsPurpose, type SmsPurpose } from '../sms-text.ts';
import { callbackGivenFigures } from '../reports/service-figures.ts';
import { loadSite } from '../sites.ts';
import { daysToRun, finishDay } from './job-state.ts';

export interface CallbacksReport {
  job: 'callbacks';
  days: string[];
  due: number;
  announced: number;
  /** Taken by a run at the same time, or already given out. */
  skipped: number;
  /** Sites with callbacks due but no service agent to give them to. */
  sitesWithoutAgents: string[];
}

const PAGE = 200;

/** The SMS that tells the owner a callback is coming, by its plan: its id names the task, so a rebuild finds when it was given. */
export function announcementPurpose(task: Task): SmsPurpose {
  const purpose = `callback_${task.plan ?? 'P3M'}`;
  return isSmsPurpose(purpose) ? purpose : 'callback_P3M';
}

/**
 * 回访: every callback due by today that nobody has been given yet, including days a missed
 * run left behind, goes to a service agent of its site in turn and is announced to the owner
 * by SMS, both in one transaction. A second run, or one at the same time, finds the callback
 * already given out and leaves it.
 */
export async function runCallbacksJob(ctx: Context, today: string): Promise<CallbacksReport> {
  const days = await daysToRun(ctx, 'callbacks', today);
  const report: CallbacksReport = { job: 'callbacks', days, due: 0, announced: 0, skipped: 0, sitesWithoutAgents: [] };
  const bySite = new Map<string, Task[]>();
  for (const task of await ctx.store.listUnannouncedCallbacks(today, PAGE * 50)) {
    bySite.set(task.siteId, [...(bySite.get(task.siteId) ?? []), task]);
  }
  for (const [siteId, tasks] of bySite) {
    report.due += tasks.length;
    const agents = (await ctx.store.listStaff(siteId))
      .filter((s) => s.role === 'service')
      .map((s) => s.id)
      .sort();
    if (agents.length === 0) {
      report.sitesWithoutAgents.push(siteId);
      continue;
    }
    const given = await announceAtSite(ctx, siteId, agents, tasks);
    report.announced += given;
    report.skipped += tasks.length - given;
  }
  await finishDay(ctx, 'callbacks', today);
  return report;
}

async function announceAtSite(ctx: Context, siteId: string, agents: string[], tasks: Task[]): Promise<number> {
  const site = await loadSite(ctx, siteId);
  const turn = await ctx.store.getTurn(siteId, 'callbacks');
  const now = ctx.clock.now();
  const at = now.toISOString();
  let given = 0;
  for (const task of tasks) {
    const customer = await ctx.store.getCustomer(task.customerId);
    const delivery = task.deliveryId ? await ctx.store.getDelivery(task.customerId, task.deliveryId) : null;
    if (!customer) continue;
    const message = composeMessage(site, customer, announcementPurpose(task), task.id, { asset: delivery?.asset.label ?? '' }, at);
    const assigneeId = agents[((turn?.turn ?? 0) + given) % agents.length]!;
    try {
      const handed: Task = { ...task, assigneeId, version: task.version + 1 };
      await ctx.store.announceCallback({ task: handed, expectedVersion: task.version, message, figures: callbackGivenFigures(handed, now, site.timezone) });
      given++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  if (given > 0) {
    try {
      await ctx.store.saveTurn({ siteId, rotation: 'callbacks', turn: (turn?.turn ?? 0) + given, version: (turn?.version ?? 0) + 1 }, turn?.version ?? null);
    } catch (error) {
      // A run at the same time moved the turn on; the next run picks up from theirs.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return given;
}
