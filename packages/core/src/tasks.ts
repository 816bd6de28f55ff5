import { addOffset, atSiteTime, isCalendarDay } from './calendar.ts';
import type { Context } from './context.ts';
import { loadSite } from './sites.ts';
import { maskPhone } from './phone.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { completeCallback, type CompletionInput } from './callbacks.ts';
import { assertOpen, recordContact } from './follow-up.ts';
import { completeCloseLoop } from './close-loop.ts';
import type { Complaint, FollowUpTask, Principal, ReviewTask, Task, TaskKind, TaskOutcome, TaskStatus } from './model.ts';
import type { Page, PageRequest, TaskQuery } from './ports.ts';
import { authorize, canSeeTask, OWN_TASKS_ONLY, siteInScope, visible } from './reach.ts';

export interface TaskFilter {
  assigneeId?: string;
  siteId?: string;
  kind?: TaskKind;
  status?: TaskStatus;
  dueBefore?: string;
}

/**
 * The kinds of task a sales rep holds to phone their own customer: the chase (follow-up or
 * review), a milestone call before an install or handover date, and the call after the
 * designer meeting (close-the-loop). Each moves with ownership (a settled conflict, a hand-over).
 */
const OWNERS_CALLS: readonly TaskKind[] = ['follow_up', 'review', 'milestone', 'close_loop'];

/**
 * A task as its reader may see it. The customer's phone is whole only to those who may see
 * the customer: a sales rep sees only customers they own, so the number is whole on their
 * own open calls to their customer and masked on any other task they read. A task written
 * before it carried the copies shows them as null.
 */
export function taskSeenBy(principal: Principal, task: Task): Task {
  const phone = task.customerPhone ?? null;
  const whole = principal.role !== 'sales' || (OWNERS_CALLS.includes(task.kind) && task.status === 'open' && task.assigneeId === principal.sub);
  return {
    ...task,
    customerName: task.customerName ?? null,
    customerPhone: phone === null || whole ? phone : maskPhone(phone),
    assetLabel: task.assetLabel ?? null,
  } as Task;
}

/**
 * `dueBefore` as the stored due times read it (UTC). A plain day means the whole of that day
 * at the site, "today's calls": due before the next day begins in the site's zone, so the
 * site must be known, named or the only one the caller works at.
 */
async function dueBeforeInstant(ctx: Context, principal: Principal, dueBefore: string, siteId: string | undefined): Promise<string> {
  if (!isCalendarDay(dueBefore)) return new Date(dueBefore).toISOString();
  const site = siteId ?? (principal.sites.length === 1 ? principal.sites[0] : undefined);
  if (site === undefined)
    throw new ValidationError('siteId is required', [{ path: 'siteId', code: 'required', message: 'name the site whose day dueBefore is' }]);
  const { timezone } = await loadSite(ctx, site);
  return atSiteTime(addOffset(dueBefore, 'P1D'), '00:00', timezone).toISOString();
}

/** A rep's work list, soonest due first. A sales rep sees the tasks assigned to them. */
export async function listTasks(ctx: Context, principal: Principal, filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
  authorize(principal, 'task.read');
  const query: TaskQuery = { status: filter.status ?? 'open' };
  if (filter.kind) query.kind = filter.kind;
  if (OWN_TASKS_ONLY.includes(principal.role)) {
    if (filter.assigneeId !== undefined && filter.assigneeId !== principal.sub)
      throw new ForbiddenError('a sales rep or designer lists only their own tasks', {}, 'own_tasks_only');
    query.assigneeId = principal.sub;
    if (filter.siteId !== undefined) query.siteId = siteInScope(principal, filter.siteId);
  } else {
    query.siteId = siteInScope(principal, filter.siteId);
    if (filter.assigneeId) query.assigneeId = filter.assigneeId;
  }
  if (filter.dueBefore) query.dueBefore = await dueBeforeInstant(ctx, principal, filter.dueBefore, query.siteId);
  const listed = await ctx.store.listTasks(query, page);
  return { ...listed, items: listed.items.map((task) => taskSeenBy(principal, task)) };
}

export async function getTask(ctx: Context, principal: Principal, id: string): Promise<Task> {
  authorize(principal, 'task.read');
  return visible(await ctx.store.getTask(id), (t) => canSeeTask(principal, t), 'task');
}

/** The customer's one open chasing task (follow-up or review) is closed by a contact; the other kinds are callbacks. */
const isChase = (task: Task): task is FollowUpTask | ReviewTask => task.kind === 'follow_up' || task.kind === 'review';

const OUTCOME_SUMMARY: Record<TaskOutcome, string> = { reached: '已联系', unreachable: '未接通', declined: '客户婉拒' };

/** The task as closed or moved on, with the complaints a callback's findings opened (none for a follow-up). */
export async function completeTask(ctx: Context, principal: Principal, id: string, input: CompletionInput): Promise<{ task: Task; complaints: Complaint[] }> {
  authorize(principal, 'task.complete');
  const task = await getTask(ctx, principal, id);
  assertOpen(task);
  if (task.kind === 'close_loop') return { task: taskSeenBy(principal, await completeCloseLoop(ctx, principal, task.id, input)), complaints: [] };
  if (input.closeLoop)
    throw new ValidationError('only a close_loop task takes closeLoop', [
      { path: 'closeLoop', code: 'close_loop_only', message: 'closeLoop belongs to a close_loop task' },
    ]);
  if (!isChase(task)) {
    const done = await completeCallback(ctx, principal, task, input);
    return { task: taskSeenBy(principal, done.task), complaints: done.complaints };
  }
  if (input.checklist || input.issues || input.satisfaction !== undefined) {
    throw new ValidationError('a follow-up takes an outcome and a note', [
      { path: 'checklist', code: 'callbacks_only', message: 'checklist, issues and satisfaction belong to callbacks' },
    ]);
  }
  const { closed } = await recordContact(ctx, principal, task.customerId, {
    channel: input.channel ?? 'call',
    summary: input.note ?? OUTCOME_SUMMARY[input.outcome],
    outcome: input.outcome,
    task,
  });
  return { task: taskSeenBy(principal, closed!), complaints: [] };
}
