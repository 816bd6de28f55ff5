import { atSiteTime, siteDay } from './calendar.ts';
import { chaseKindOf } from './chase.ts';
import type { CompletionInput } from './callbacks.ts';
import type { Context } from './context.ts';
import { InvalidTransitionError, ValidationError } from './errors.ts';
import type { CloseLoopAnswers, CloseLoopTask, Customer, Principal, Task } from './model.ts';
import { openFollowUpOf, openTask } from './open-task.ts';
import { authorize, canSeeCustomer, visible } from './reach.ts';
import { customerHistory } from './reports/lead-figures.ts';
import { loadSite } from './sites.ts';
import { withVersionRetry } from './version-retry.ts';
import type { VersionedTask } from './write-shapes.ts';

/*
 * 闭环 (000): after the customer met their designer, the rep asks what the customer made of
 * the designer, the work shown, the design idea and the budget, and either signs the design
 * agreement or books a second visit. The meeting, recorded by the rep, a manager or the
 * designer, opens a `close_loop` task for the customer's owner due by the end of that site
 * day. It stands beside the one open follow-up and never closes it: a second visit moves that
 * follow-up to the time agreed, as an agreed time does elsewhere.
 *
 * Decided here: a meeting's key is the customer and the site day it took place, so the task's
 * id is worked out from them and a meeting recorded twice (the rep and the designer both, or a
 * retry) opens one task. A customer without a designer has had no designer meeting.
 */

/** The last minute of the site day: the loop is closed the day of the meeting, whatever the hour. */
export const CLOSE_LOOP_DUE_TIME = '23:59';

export const closeLoopId = (customerId: string, day: string): string => `close_loop:${customerId}:${day}`;

/** The meeting recorded: the close_loop task, and whether this record opened it (false: it was open or done already). */
export async function recordDesignerMeeting(ctx: Context, principal: Principal, customerId: string): Promise<{ task: Task; opened: boolean }> {
  authorize(principal, 'customer.record_meeting');
  const customer = visible(await ctx.store.getCustomer(customerId), (c) => canSeeCustomer(principal, c), 'customer');
  if (!customer.designerId) throw new InvalidTransitionError('the customer has no designer to have met', {}, 'no_designer');
  const site = await loadSite(ctx, customer.siteId);
  const now = ctx.clock.now();
  const day = siteDay(now, site.timezone);
  const task: CloseLoopTask = {
    ...openTask(ctx, 'close_loop', customer, atSiteTime(day, CLOSE_LOOP_DUE_TIME, site.timezone), now.toISOString()),
    id: closeLoopId(customer.id, day),
    dueOn: day,
  };
  if (await ctx.store.openTaskOnce(task)) return { task, opened: true };
  return { task: (await ctx.store.getTask(task.id)) ?? task, opened: false };
}

function answersOf(input: CompletionInput, now: Date): CloseLoopAnswers {
  const answers = input.closeLoop;
  if (!answers)
    throw new ValidationError('a closed loop records the answers', [{ path: 'closeLoop', code: 'required', message: 'a close_loop task takes closeLoop' }]);
  if (input.checklist || input.issues || input.satisfaction !== undefined)
    throw new ValidationError('a closed loop takes its answers', [
      { path: 'checklist', code: 'callbacks_only', message: 'checklist, issues and satisfaction belong to callbacks' },
    ]);
  if (answers.next === 'second_visit') {
    if (answers.secondVisitAt === undefined)
      throw new ValidationError('a second visit needs its time', [
        { path: 'closeLoop.secondVisitAt', code: 'required', message: 'the time agreed for the second visit' },
      ]);
    if (new Date(answers.secondVisitAt) <= now)
      throw new ValidationError('the second visit has passed', [{ path: 'closeLoop.secondVisitAt', code: 'in_the_past', message: 'must be in the future' }]);
  } else if (answers.secondVisitAt !== undefined) {
    throw new ValidationError('only a second visit has a time', [
      { path: 'closeLoop.secondVisitAt', code: 'not_allowed', message: 'secondVisitAt goes with next: second_visit' },
    ]);
  }
  return answers;
}

/**
 * The loop closed: the answers kept on the task's result and, in the same transaction, the
 * design agreement recorded on the customer (and its change log), or the open follow-up moved
 * to the second visit (a new one opened if the customer had none). Redone on a version clash,
 * so that a rep's edit meanwhile is kept, and a second completion finds the task closed.
 */
export async function completeCloseLoop(ctx: Context, principal: Principal, taskId: string, input: CompletionInput): Promise<Task> {
  const now = ctx.clock.now();
  const answers = answersOf(input, now);
  const at = now.toISOString();
  return withVersionRetry(async () => {
    const task = await ctx.store.getTask(taskId);
    if (task?.kind !== 'close_loop') throw new InvalidTransitionError('the task is not a close_loop', {}, 'task_closed');
    if (task.status !== 'open') throw new InvalidTransitionError(`the task is ${task.status} already`, { status: task.status }, 'task_closed');
    const customer = await ctx.store.getCustomer(task.customerId);
    if (!customer) throw new InvalidTransitionError('the customer is gone', {}, 'task_closed');
    const site = await loadSite(ctx, customer.siteId);
    const done: Task = {
      ...task,
      status: 'done',
      outcome: input.outcome,
      note: input.note ?? null,
      result: { checklist: {}, satisfaction: null, issues: [], closeLoop: answers },
      closedAt: at,
      closedBy: principal.sub,
      version: task.version + 1,
    };
    const next: Customer = {
      ...customer,
      ...(answers.next === 'sign_design_agreement' ? { designAgreementAt: at } : {}),
      updatedAt: at,
      version: customer.version + 1,
    };
    const save: VersionedTask[] = [{ task: done, expectedVersion: task.version }];
    let opened: Task | undefined;
    if (answers.secondVisitAt !== undefined) {
      // The customer's agreed time wins over the cadence (000): the follow-up they have moves there.
      const open = await openFollowUpOf(ctx, customer);
      if (open) {
        save.push({ task: { ...open, dueAt: new Date(answers.secondVisitAt).toISOString(), version: open.version + 1 }, expectedVersion: open.version });
        next.openFollowUpDueAt = new Date(answers.secondVisitAt).toISOString();
      } else if (customer.stage === 'lead') {
        const chase = openTask(ctx, chaseKindOf(customer.leadType), customer, new Date(answers.secondVisitAt), at);
        next.openFollowUpId = chase.id;
        next.openFollowUpDueAt = chase.dueAt;
        opened = chase;
      }
    }
    await ctx.store.updateCustomer({
      customer: next,
      expectedVersion: customer.version,
      ...(opened ? { openTask: opened } : {}),
      tasks: { open: [], save },
      history: customerHistory(ctx.ids, customer, next, principal.sub, 'close_loop', now, site.timezone),
    });
    return done;
  });
}
