import type { Context } from './context.ts';
import { VersionConflictError } from './errors.ts';
import { withVersionRetry } from './version-retry.ts';
import type { Customer, Task } from './model.ts';
import { openFollowUpOf } from './open-task.ts';
import type { VersionedTask } from './write-shapes.ts';

/**
 * A transaction holds at most 100 writes; the customer's own change takes a handful, so the
 * open tasks past this many are saved after it, each on its own.
 */
export const RETOLD_IN_TRANSACTION = 80;

/** The task with the customer's name and phone as they are now. */
export const withCustomerCopy = <T extends Task>(task: T, customer: Customer): T => ({
  ...task,
  customerName: customer.name,
  customerPhone: customer.phone,
});

const copyChanged = (before: Customer, after: Customer) => before.name !== after.name || before.phone !== after.phone;

/**
 * The customer's open tasks given its new name or phone, under the versions they were read
 * at: none when neither changed, so an edit of anything else reads nothing more. One Query
 * finds them all (the store lists a customer's open tasks whatever their kind). `except`
 * names a task the same change closes, which its caller saves itself.
 */
export async function retoldTasks(
  ctx: Pick<Context, 'store'>,
  before: Customer,
  after: Customer,
  except?: string,
): Promise<{ now: VersionedTask[]; later: VersionedTask[] }> {
  if (!copyChanged(before, after)) return { now: [], later: [] };
  // The index is read eventually consistent; the follow-up, the task most likely opened a
  // moment ago, is also read from its item, and that read wins.
  const [listed, followUp] = await Promise.all([ctx.store.listOpenTasksOfCustomer(after.id), openFollowUpOf(ctx, before)]);
  const byId = new Map(listed.map((task) => [task.id, task]));
  if (followUp) byId.set(followUp.id, followUp);
  const open = [...byId.values()].filter((task) => task.id !== except);
  const retold = open.map((task) => ({ task: { ...withCustomerCopy(task, after), version: task.version + 1 }, expectedVersion: task.version }));
  return { now: retold.slice(0, RETOLD_IN_TRANSACTION), later: retold.slice(RETOLD_IN_TRANSACTION) };
}

/**
 * The tasks past what the customer's transaction could hold, saved one by one after it. One
 * saved meanwhile by someone else is left as they saved it: rare (a customer with over 80
 * open tasks, edited while one of them is).
 *
 * In a leaver's hand-over such a task, left with the leaver by a worker that died between the
 * customer's transaction and these saves, is not lost: the hand-over ends by moving every open
 * task still given to the leaver (`tasksChunk` in leavers/handover-work.ts).
 */
export async function saveRetoldLater(ctx: Pick<Context, 'store'>, later: VersionedTask[]): Promise<void> {
  for (const { task, expectedVersion } of later) {
    try {
      await ctx.store.saveTask(task, expectedVersion);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}

/**
 * A rename's copies past what its transaction could hold, saved one by one after it. A task
 * saved meanwhile (a callback the callbacks job gave out, say) is read again with its
 * customer and told the name and phone the customer has now: the backfill leaves a task that
 * has a copy alone, so a copy missed here would stay wrong on the agent's list.
 */
export async function retellLater(ctx: Pick<Context, 'store'>, later: VersionedTask[]): Promise<void> {
  for (const { task, expectedVersion } of later) {
    try {
      await ctx.store.saveTask(task, expectedVersion);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      await withVersionRetry(async () => {
        const [current, customer] = await Promise.all([ctx.store.getTask(task.id), ctx.store.getCustomer(task.customerId)]);
        if (current?.status !== 'open' || !customer || (current.customerName === customer.name && current.customerPhone === customer.phone)) return;
        await ctx.store.saveTask({ ...withCustomerCopy(current, customer), version: current.version + 1 }, current.version);
      });
    }
  }
}
