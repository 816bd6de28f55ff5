import type { Context } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { completeCallback, type CompletionInput } from './callbacks.ts';
import { assertOpen, recordContact } from './follow-up.ts';
import type { Principal, Task, TaskKind, TaskOutcome, TaskStatus } from './model.ts';
import type { Page, PageRequest, TaskQuery } from './ports.ts';
import { authorize, canSeeTask, siteInScope, visible } from './reach.ts';

export interface TaskFilter {
  assigneeId?: string;
  siteId?: string;
  kind?: TaskKind;
  status?: TaskStatus;
  dueBefore?: string;
}

/** A rep's work list, soonest due first. A sales rep sees the tasks assigned to them. */
export async function listTasks(ctx: Context, principal: Principal, filter: TaskFilter, page: PageRequest): Promise<Page<Task>> {
  authorize(principal, 'task.read');
  const query: TaskQuery = { status: filter.status ?? 'open' };
  if (filter.kind) query.kind = filter.kind;
  if (filter.dueBefore) query.dueBefore = filter.dueBefore;
  if (principal.role === 'sales') {
    if (filter.assigneeId !== undefined && filter.assigneeId !== principal.sub)
      throw new ForbiddenError('a sales rep lists only their own tasks', {}, 'own_tasks_only');
    query.assigneeId = principal.sub;
    if (filter.siteId !== undefined) query.siteId = siteInScope(principal, filter.siteId);
  } else {
    query.siteId = siteInScope(principal, filter.siteId);
    if (filter.assigneeId) query.assigneeId = filter.assigneeId;
  }
  return ctx.store.listTasks(query, page);
}

export async function getTask(ctx: Context, principal: Principal, id: string): Promise<Task> {
  authorize(principal, 'task.read');
  return visible(await ctx.store.getTask(id), (t) => canSeeTask(principal, t), 'task');
}

const OUTCOME_SUMMARY: Record<TaskOutcome, string> = { reached: '已联系', unreachable: '未接通', declined: '客户婉拒' };

export async function completeTask(ctx: Context, principal: Principal, id: string, input: CompletionInput): Promise<Task> {
  authorize(principal, 'task.complete');
  const task = await getTask(ctx, principal, id);
  assertOpen(task);
  if (task.kind !== 'follow_up') return completeCallback(ctx, principal, task, input);
  if (input.checklist || input.issues || input.satisfaction !== undefined) {
    throw new ValidationError('a follow-up takes an outcome and a note', [
      { path: 'checklist', code: 'callbacks_only', message: 'checklist, issues and satisfaction belong to callbacks' },
    ]);
  }
  const { closed } = await recordContact(ctx, principal, task.customerId, {
    channel: input.channel ?? 'call',
    summary: input.note ?? OUTCOME_SUMMARY[input.outcome],
    outcome: input.outcome,
    taskId: task.id,
  });
  return closed!;
}
