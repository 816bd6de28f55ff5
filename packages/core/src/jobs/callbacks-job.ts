import { activeStaff } from '../active-staff.ts';
import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { CapacityReachedError, ConflictError } from '../errors.ts';
import type { Customer, Site, Task } from '../model.ts';
import type { OutboxMessage } from '../model-after-sale.ts';
import { composeMessage } from '../outbox.ts';
import { callbackGivenFigures } from '../reports/service-figures.ts';
import { isSmsPurpose, type SmsPurpose } from '../sms-text.ts';
import { loadSite } from '../sites.ts';
import { agentLoads, nextAgent, roomLeft } from './callback-shares.ts';
import { daysToRun, finishDay } from './job-state.ts';

export interface CallbacksReport {
  job: 'callbacks';
  days: string[];
  /** Callbacks due that the run took up: at most what the sites' agents had room for. */
  due: number;
  announced: number;
  /** Taken by a run at the same time, or already given out. */
  skipped: number;
  /** Sites with callbacks due but no service agent to give them to. */
  sitesWithoutAgents: string[];
  /** Sites with more due than their agents had room for today: the rest follow on the next days, oldest first. */
  sitesAtCapacity: string[];
}

/** The SMS that tells the owner a callback is coming, by its plan: its id names the task, so a rebuild finds when it was given. */
export function announcementPurpose(task: Task): SmsPurpose {
  const purpose = `callback_${task.plan ?? 'P3M'}`;
  return isSmsPurpose(purpose) ? purpose : 'callback_P3M';
}

/**
 * 回访: the callbacks due by today that nobody has been given yet, including days a missed run
 * left behind, go to the service agents of their site and are announced to the owner by SMS,
 * both in one transaction. Each agent is given at most the site's `callbackCapacity` a day,
 * counting what they were given earlier that day, so a big handover is worked through over
 * the next days in due order rather than landing on one. A second run, or one at the same
 * time, finds the callback already given out and leaves it.
 */
export async function runCallbacksJob(ctx: Context, today: string): Promise<CallbacksReport> {
  const days = await daysToRun(ctx, 'callbacks', today);
  const report: CallbacksReport = { job: 'callbacks', days, due: 0, announced: 0, skipped: 0, sitesWithoutAgents: [], sitesAtCapacity: [] };
  // Site by site, each reading no more of its list than it can give out: a site with a backlog
  // costs the others nothing.
  for (const siteId of await ctx.store.listSitesWithCallbacksDue(today)) {
    await runAtSite(ctx, siteId, today, report);
  }
  await finishDay(ctx, 'callbacks', today);
  return report;
}

async function runAtSite(ctx: Context, siteId: string, today: string, report: CallbacksReport): Promise<void> {
  const agents = (await activeStaff(ctx, siteId))
    .filter((s) => s.role === 'service')
    .map((s) => s.id)
    .sort();
  if (agents.length === 0) {
    report.sitesWithoutAgents.push(siteId);
    return;
  }
  const site = await loadSite(ctx, siteId);
  // The day the gifts count on in the service figures, so a second run that day reads what the first gave.
  const loads = await agentLoads(ctx, siteId, siteDay(ctx.clock.now(), site.timezone), agents);
  const room = roomLeft(loads, site.callbackCapacity);
  // One more than there is room for tells whether any is left over, without reading the backlog.
  const listed = room > 0 ? await ctx.store.listUnannouncedCallbacks(siteId, today, room + 1) : [];
  if (room === 0 || listed.length > room) report.sitesAtCapacity.push(siteId);
  const tasks = listed.slice(0, room);
  report.due += tasks.length;
  const given = await announceAtSite(ctx, site, agents, loads, tasks);
  report.announced += given;
  report.skipped += tasks.length - given;
}

async function announceAtSite(ctx: Context, site: Site, agents: string[], loads: Map<string, number>, tasks: Task[]): Promise<number> {
  if (tasks.length === 0) return 0;
  const turn = await ctx.store.getTurn(site.id, 'callbacks');
  const now = ctx.clock.now();
  const at = now.toISOString();
  let given = 0;
  for (const task of tasks) {
    const told = await announced(ctx, task);
    if (!told) continue;
    const message = composeMessage(site, told.customer, announcementPurpose(task), task.id, { asset: told.asset }, at);
    const outcome = await giveToAnAgent(ctx, { site, agents, loads, turn: (turn?.turn ?? 0) + given, now }, task, message);
    if (outcome === 'given') given++;
    if (outcome === 'no room') break;
  }
  if (given > 0) {
    try {
      await ctx.store.saveTurn(
        { siteId: site.id, rotation: 'callbacks', turn: (turn?.turn ?? 0) + given, version: (turn?.version ?? 0) + 1 },
        turn?.version ?? null,
      );
    } catch (error) {
      // A run at the same time moved the turn on; the next run picks up from theirs.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return given;
}

/**
 * Whom the announcement goes to and about what. The callback carries its customer's name and
 * phone and its asset's label, so announcing it reads nothing more. A rename saves the open
 * callback at a new version, and the announcement is written only at the version read here,
 * so a rename that lands first is never announced under the old name. One bound: a customer
 * with more than 80 open tasks has the rest retold just after the rename's transaction
 * (task-copies.ts), and a run that reads one of those in that moment sends the old name. A delivery's
 * label never changes (it is what tells one delivery from another). A callback written before
 * it carried the copies is announced from its customer and delivery, read as they are now.
 */
async function announced(ctx: Context, task: Task): Promise<{ customer: Pick<Customer, 'id' | 'name' | 'phone'>; asset: string } | null> {
  const copied = task.customerName != null && task.customerPhone != null ? { id: task.customerId, name: task.customerName, phone: task.customerPhone } : null;
  const customer = copied ?? (await ctx.store.getCustomer(task.customerId));
  if (!customer) return null;
  // Typed as always there on a callback, but absent on one written before it was carried.
  const label: string | null | undefined = task.assetLabel;
  if (label != null) return { customer, asset: label };
  const delivery = task.deliveryId ? await ctx.store.getDelivery(task.customerId, task.deliveryId) : null;
  return { customer, asset: delivery?.asset.label ?? '' };
}

/** A site's agents, what each has been given today, and where the rotation stands. */
interface Round {
  site: Site;
  agents: string[];
  loads: Map<string, number>;
  turn: number;
  now: Date;
}

/**
 * Gives the callback to the agent with the fewest today. An agent whose figures show the day
 * full (a run at the same time gave them the rest) is counted full and the next one tried.
 */
async function giveToAnAgent(ctx: Context, round: Round, task: Task, message: OutboxMessage): Promise<'given' | 'taken' | 'no room'> {
  const { site, agents, loads, turn, now } = round;
  for (;;) {
    const assigneeId = nextAgent(agents, loads, site.callbackCapacity, turn);
    if (assigneeId === null) return 'no room';
    const handed: Task = { ...task, assigneeId, version: task.version + 1 };
    try {
      const figures = callbackGivenFigures(handed, now, site.timezone);
      await ctx.store.announceCallback({ task: handed, expectedVersion: task.version, message, figures, capacity: site.callbackCapacity });
      loads.set(assigneeId, (loads.get(assigneeId) ?? 0) + 1);
      return 'given';
    } catch (error) {
      if (error instanceof CapacityReachedError) loads.set(assigneeId, site.callbackCapacity);
      else if (error instanceof ConflictError) return 'taken';
      else throw error;
    }
  }
}
