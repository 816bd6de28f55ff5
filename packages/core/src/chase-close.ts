import { chaseKindOf } from './chase.ts';
import type { Context } from './context.ts';
import type { Customer, Task, TaskKind, TaskOutcome } from './model.ts';
import { closedTask, openFollowUpOf } from './open-task.ts';
import { closedLateOn } from './reports/overdue.ts';
import type { UnreadClose, VersionedTask } from './write-shapes.ts';

/** What a contact closes the open chase with, by whom, when, and the site's zone its days are told in. */
export interface ContactClose {
  outcome: TaskOutcome;
  note: string;
  by: string;
  at: string;
  timezone: string;
}

/** The open chase a contact closes: read and saved whole under its version, or closed unread from the customer's copy. */
export type ChaseClosing = { id: string; kind: TaskKind } & ({ read: VersionedTask; unread?: undefined } | { unread: UnreadClose; read?: undefined });

/**
 * How a contact closes the customer's open chase. A task its caller has read already, or the
 * customer's copy of the due time, spares reading the task: the copy's kind and assignee are
 * the ones the customer's lead type and owner give, as every write that opens or moves the
 * chase keeps them, and the store's condition holds all of them, so a copy gone stale fails
 * the write. A caller trying again passes neither and the task is read: a stale copy costs
 * one round, never a wrong close.
 */
export async function closingOf(
  ctx: Pick<Context, 'store'>,
  customer: Customer,
  close: ContactClose,
  spare: { known?: Task; copy: boolean },
): Promise<ChaseClosing | null> {
  const id = customer.openFollowUpId;
  if (!id) return null;
  if (spare.known?.id === id && spare.known.status === 'open') return readClosing(spare.known, close);
  if (spare.copy && typeof customer.openFollowUpDueAt === 'string') {
    const kind = chaseKindOf(customer.leadType);
    const dueAt = customer.openFollowUpDueAt;
    const lateOn = closedLateOn({ kind, dueAt }, close.at, close.timezone);
    const unread: UnreadClose = {
      id,
      kind,
      siteId: customer.siteId,
      customerId: customer.id,
      assigneeId: customer.ownerId,
      dueAt,
      outcome: close.outcome,
      note: close.note,
      closedAt: close.at,
      closedBy: close.by,
      ...(lateOn ? { closedLateOn: lateOn } : {}),
    };
    return { id, kind, unread };
  }
  const open = await openFollowUpOf(ctx, customer);
  return open && readClosing(open, close);
}

function readClosing(task: Task, close: ContactClose): ChaseClosing {
  const read = closedTask(task, { status: 'done', outcome: close.outcome, note: close.note }, close.by, close.at, close.timezone);
  return { id: task.id, kind: task.kind, read };
}
