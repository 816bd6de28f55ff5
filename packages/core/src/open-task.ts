import type { Context } from './context.ts';
import type { Customer, Task, TaskKind, TaskOutcome, TaskRecord } from './model.ts';
import { closedLateOn } from './reports/overdue.ts';
import type { VersionedTask } from './write-shapes.ts';

type NoDetails = { plan: null; dueOn: null; deliveryId: null; complaintId: null; checklist: null; assetLabel: null };

/** A new open task on the customer, for its owner unless someone else is named; a kind with details adds its own. */
export function openTask<K extends TaskKind>(
  ctx: Pick<Context, 'ids'>,
  kind: K,
  customer: Customer,
  dueAt: Date,
  at: string,
  assigneeId: string | null = customer.ownerId,
): TaskRecord & { kind: K } & NoDetails {
  return {
    id: ctx.ids.next(),
    kind,
    status: 'open',
    siteId: customer.siteId,
    customerId: customer.id,
    customerName: customer.name,
    customerPhone: customer.phone,
    assigneeId,
    dueAt: dueAt.toISOString(),
    createdAt: at,
    outcome: null,
    note: null,
    closedAt: null,
    closedBy: null,
    plan: null,
    dueOn: null,
    deliveryId: null,
    complaintId: null,
    checklist: null,
    assetLabel: null,
    attempts: 0,
    result: null,
    version: 1,
  };
}

/** The customer's follow-up while it is still open; null when there is none or it was closed meanwhile. */
export async function openFollowUpOf(ctx: Pick<Context, 'store'>, customer: Customer): Promise<Task | null> {
  if (!customer.openFollowUpId) return null;
  const task = await ctx.store.getTask(customer.openFollowUpId);
  return task?.status === 'open' ? task : null;
}

/**
 * The open task closed, under the version it was read at: done by a contact, or cancelled
 * when the chase ends (a contract signed, a handover). Closed on a later site day than it
 * fell due, it says so, for the overdue counts of the days between.
 */
export function closedTask(
  task: Task,
  close: { status: 'done' | 'cancelled'; note: string; outcome?: TaskOutcome },
  by: string,
  at: string,
  timezone: string,
): VersionedTask {
  const lateOn = closedLateOn(task, at, timezone);
  return {
    task: { ...task, status: close.status, outcome: close.outcome ?? task.outcome, note: close.note, closedAt: at, closedBy: by, version: task.version + 1 },
    expectedVersion: task.version,
    ...(lateOn ? { closedLateOn: lateOn } : {}),
  };
}
