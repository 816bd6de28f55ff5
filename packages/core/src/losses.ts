import type { Context } from './context.ts';
import { getCustomer } from './customers.ts';
import { InvalidTransitionError } from './errors.ts';
import type { Customer, LossDecision, LossRequest, Principal } from './model.ts';
import { changedMilestones } from './milestones.ts';
import { closedTask, openFollowUpOf } from './open-task.ts';
import type { VersionedTask } from './write-shapes.ts';
import { authorize } from './reach.ts';
import { customerHistory } from './reports/lead-figures.ts';
import { loadSite } from './sites.ts';
import { withCustomerCopy } from './task-copies.ts';
import { withVersionRetry } from './version-retry.ts';

/*
 * Losing a lead (战败) needs a manager (dealer practice): the rep asks, with the reason; a
 * manager of the site approves, and the lead stops being chased and counts as lost in its
 * month, or sends it back and the chase goes on. One request at a time; a step that does not
 * fit the customer's state is 409 and changes nothing.
 */

const pending = (customer: Customer) => customer.lossRequest ?? null;

/** The owning rep (or a manager) asks to mark a lead lost. */
export async function requestLoss(ctx: Context, principal: Principal, id: string, input: { reason: string }): Promise<Customer> {
  authorize(principal, 'customer.request_loss');
  return withVersionRetry(async () => {
    const current = await getCustomer(ctx, principal, id);
    if (current.stage !== 'lead')
      throw new InvalidTransitionError(`a customer at stage '${current.stage}' cannot be lost`, { stage: current.stage }, 'loss_not_lead');
    if (pending(current)) throw new InvalidTransitionError('a loss request is pending already', {}, 'loss_pending');
    const at = ctx.clock.now().toISOString();
    const next: Customer = {
      ...current,
      lossRequest: { reason: input.reason, requestedBy: principal.sub, requestedAt: at },
      updatedAt: at,
      version: current.version + 1,
    };
    await ctx.store.updateCustomer({ customer: next, expectedVersion: current.version });
    return next;
  });
}

/**
 * A manager decides a pending request. Approved, the lead becomes `lost`: its open follow-up
 * and milestones are cancelled (nobody chases it any more) and the stage change is logged
 * and counted like a signing, as `lost` for the owner in the month. Rejected, the request is cleared and the
 * open follow-up stays, so the chase goes on. Either way the decision is kept on the customer.
 */
export async function decideLoss(
  ctx: Context,
  principal: Principal,
  id: string,
  outcome: LossDecision['outcome'],
  input: { note?: string },
): Promise<Customer> {
  authorize(principal, 'customer.decide_loss');
  return withVersionRetry(async () => {
    const current = await getCustomer(ctx, principal, id);
    const request = pending(current);
    if (!request) throw new InvalidTransitionError('no loss request is pending', {}, 'no_loss_request');
    if (outcome === 'approved' && current.stage !== 'lead')
      throw new InvalidTransitionError(`a customer at stage '${current.stage}' cannot be lost`, { stage: current.stage }, 'loss_not_lead');
    const now = ctx.clock.now();
    const at = now.toISOString();
    const decision: LossDecision = { ...request, outcome, decidedBy: principal.sub, decidedAt: at, note: input.note ?? null };
    const next: Customer = { ...current, lossRequest: null, lossDecision: decision, updatedAt: at, version: current.version + 1 };
    const site = await loadSite(ctx, current.siteId);
    // The managers' tasks for a request left waiting are done once one of them decides it.
    const decided = await escalationsClosed(ctx, request, `loss request ${outcome}`, principal.sub, at, site.timezone);
    if (outcome === 'rejected') {
      await ctx.store.updateCustomer({ customer: next, expectedVersion: current.version, tasks: { open: [], save: decided } });
      return next;
    }
    next.stage = 'lost';
    next.openFollowUpId = null;
    next.openFollowUpDueAt = null;
    const open = await openFollowUpOf(ctx, current);
    const closeTask: VersionedTask | undefined = open
      ? closedTask(withCustomerCopy(open, next), { status: 'cancelled', note: `lead lost: ${request.reason}` }, principal.sub, at, site.timezone)
      : undefined;
    // Nobody calls a lost lead ahead of its installation either: its open milestones go with the follow-up.
    const milestones = await changedMilestones(ctx, site, current, next, now, principal.sub);
    await ctx.store.updateCustomer({
      customer: next,
      expectedVersion: current.version,
      tasks: { open: milestones.open, save: [...milestones.save, ...decided] },
      ...(closeTask ? { closeTask } : {}),
      history: customerHistory(ctx.ids, current, next, principal.sub, 'loss', now, site.timezone),
    });
    return next;
  });
}

async function escalationsClosed(ctx: Context, request: LossRequest, note: string, by: string, at: string, timezone: string): Promise<VersionedTask[]> {
  const tasks = await Promise.all((request.escalation?.taskIds ?? []).map((id) => ctx.store.getTask(id)));
  return tasks.filter((t) => t?.status === 'open').map((t) => closedTask(t!, { status: 'done', note }, by, at, timezone));
}
