import type { Context } from './context.ts';
import type { Customer, Task, TaskKind } from './model.ts';

/** A new open task on the customer, for its owner unless someone else is named. */
export function openTask(ctx: Pick<Context, 'ids'>, kind: TaskKind, customer: Customer, dueAt: Date, at: string, assigneeId: string | null = customer.ownerId): Task {
  return {
    id: ctx.ids.next(),
    kind,
    status: 'open',
    siteId: customer.siteId,
    customerId: customer.id,
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
    attempts: 0,
    result: null,
    version: 1,
  };
}
