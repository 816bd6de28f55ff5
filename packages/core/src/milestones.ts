import { atSiteTime, dayBefore, siteDay } from './calendar.ts';
import type { Context } from './context.ts';
import type { Customer, MilestoneRule, MilestoneTask, Needs, Site, Task } from './model.ts';
import { closedTask, openTask } from './open-task.ts';
import { withCustomerCopy } from './task-copies.ts';
import type { VersionedTask } from './write-shapes.ts';

/*
 * Chasing by the customer's own timeline (004): a site names calls some days before a date in
 * the customer's needs (`installDate`, `handoverDate`). They are tasks of kind `milestone`
 * beside the one open follow-up, which they never close: the agreed time still decides the
 * next follow-up. Each (customer, field, daysBefore) is one task with an id worked out from
 * it, so a date set again or moved opens nothing twice.
 *
 * Decided here: a milestone whose day has passed when its date is set or moved is not opened
 * (nobody can call 30 days before a date 10 days off), and an open one moved into the past is
 * cancelled; one due today is opened. A milestone already done stays done when its date
 * moves: the call was made. Rules changed on the site apply to dates set or moved afterwards.
 */

/** The time of day a milestone falls due: the start of the working day, so it heads that day's list. */
export const MILESTONE_DUE_TIME = '09:00';

export const milestoneId = (customerId: string, rule: MilestoneRule): string => `milestone:${customerId}:${rule.field}:${rule.daysBefore}`;
/** What the rep sees of the rule on the task: `installDate-30`. */
const planOf = (rule: MilestoneRule): string => `${rule.field}-${rule.daysBefore}`;

function daysEarlier(day: string, days: number): string {
  let out = day;
  for (let i = 0; i < days; i++) out = dayBefore(out);
  return out;
}

/** The site day the rule's call falls on for these needs, or null: no date, a lost lead, or the day already past. */
function dueOnFor(rule: MilestoneRule, needs: Needs, customer: Customer, today: string): string | null {
  const date = needs[rule.field];
  if (!date || customer.stage === 'lost') return null;
  const dueOn = daysEarlier(date, rule.daysBefore);
  return dueOn < today ? null : dueOn;
}

function milestoneTask(ctx: Pick<Context, 'ids'>, site: Site, customer: Customer, rule: MilestoneRule, dueOn: string, at: string): MilestoneTask {
  return {
    ...openTask(ctx, 'milestone', customer, atSiteTime(dueOn, MILESTONE_DUE_TIME, site.timezone), at),
    id: milestoneId(customer.id, rule),
    plan: planOf(rule),
    dueOn,
  };
}

/** A new customer's milestones, opened with it. */
export function newMilestones(ctx: Pick<Context, 'ids'>, site: Site, customer: Customer, now: Date): MilestoneTask[] {
  const today = siteDay(now, site.timezone);
  const at = now.toISOString();
  return site.milestones.flatMap((rule) => {
    const dueOn = dueOnFor(rule, customer.needs, customer, today);
    return dueOn ? [milestoneTask(ctx, site, customer, rule, dueOn, at)] : [];
  });
}

export interface MilestoneChanges {
  open: Task[];
  save: VersionedTask[];
}

/**
 * What a change of the customer does to its milestones: for each rule whose date changed (or
 * every rule, when the lead is lost), the task is opened, moved, reopened or cancelled. The
 * tasks are read from their items (consistent), and carry the customer's copies as `after`
 * has them, so they stand in for any retold copy of the same task in the same transaction.
 */
export async function changedMilestones(
  ctx: Pick<Context, 'ids' | 'store'>,
  site: Site,
  before: Customer,
  after: Customer,
  now: Date,
  by: string,
): Promise<MilestoneChanges> {
  const changes: MilestoneChanges = { open: [], save: [] };
  const lost = after.stage === 'lost' && before.stage !== 'lost';
  const rules = site.milestones.filter((rule) => lost || before.needs[rule.field] !== after.needs[rule.field]);
  if (rules.length === 0) return changes;
  const today = siteDay(now, site.timezone);
  const at = now.toISOString();
  const stored = await Promise.all(rules.map((rule) => ctx.store.getTask(milestoneId(after.id, rule))));
  rules.forEach((rule, i) => {
    const task = stored[i] ?? null;
    const dueOn = dueOnFor(rule, after.needs, after, today);
    if (dueOn === null) {
      if (task?.status !== 'open') return;
      const note = after.needs[rule.field] ? `${rule.field} moved: the milestone has passed` : `${rule.field} cleared`;
      changes.save.push(closedTask(withCustomerCopy(task, after), { status: 'cancelled', note: lost ? 'lead lost' : note }, by, at, site.timezone));
      return;
    }
    if (task === null) {
      changes.open.push(milestoneTask(ctx, site, after, rule, dueOn, at));
      return;
    }
    if (task.status === 'done' || (task.status === 'open' && task.dueOn === dueOn)) return;
    // Moved, or reopened after a cleared date came back: the same task, so the rep sees one call per milestone.
    const moved = milestoneTask(ctx, site, after, rule, dueOn, task.createdAt);
    changes.save.push({ task: { ...moved, version: task.version + 1 }, expectedVersion: task.version });
  });
  return changes;
}

/**
 * The owner's open calls beside the chase, to move with its ownership: the milestones, read by
 * the ids the site's rules give (consistent) and from the customer's open tasks for a rule the
 * site has dropped since, and the close-the-loop calls, from the same list. Each of them exists
 * to phone the customer, so the rep who holds one sees the whole number: left with a rep who
 * lost the customer, it would show them a number no longer theirs.
 */
export async function openOwnerCallsOf(ctx: Pick<Context, 'store'>, site: Site, customer: Customer): Promise<Task[]> {
  const [byRule, listed] = await Promise.all([
    Promise.all(site.milestones.map((rule) => ctx.store.getTask(milestoneId(customer.id, rule)))),
    ctx.store.listOpenTasksOfCustomer(customer.id),
  ]);
  const open = new Map<string, Task>();
  for (const task of listed) if (task.kind === 'milestone' || task.kind === 'close_loop') open.set(task.id, task);
  for (const task of byRule) if (task) open.set(task.id, task);
  return [...open.values()].filter((task) => task.status === 'open');
}
