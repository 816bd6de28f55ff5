import { chaseKindOf, chaseOnTypeChange } from './chase.ts';
import { careConsentRefusal } from './consent.ts';
import type { Context } from './context.ts';
import { withVersionRetry } from './version-retry.ts';
import { ForbiddenError, InvalidTransitionError } from './errors.ts';
import { closedTask, openFollowUpOf, openTask } from './open-task.ts';
import { changedMilestones } from './milestones.ts';
import type { ConsentRecord, Customer, IntentLevel, LeadType, Needs, Principal, Reception, Stage, Task } from './model.ts';
import type { Page, PageRequest, VersionedTask } from './ports.ts';
import { authorize, canSeeCustomer, siteInScope, visible } from './reach.ts';
import { customerHistory, type CustomerChange } from './reports/lead-figures.ts';
import { loadSite } from './sites.ts';
import { retellLater, retoldTasks, withCustomerCopy } from './task-copies.ts';

export async function getCustomer(ctx: Context, principal: Principal, id: string): Promise<Customer> {
  authorize(principal, 'customer.read');
  return visible(await ctx.store.getCustomer(id), (c) => canSeeCustomer(principal, c), 'customer');
}

export interface CustomerFilter {
  siteId?: string;
  ownerId?: string;
  designerId?: string;
  intentLevel?: IntentLevel;
  leadType?: LeadType;
  stage?: Stage;
  lossRequested?: boolean;
}

export async function listCustomers(ctx: Context, principal: Principal, filter: CustomerFilter, page: PageRequest): Promise<Page<Customer>> {
  authorize(principal, 'customer.list');
  const siteId = siteInScope(principal, filter.siteId);
  let { ownerId, designerId } = filter;
  if (principal.role === 'sales') {
    // A designer's list holds other reps' customers: a rep finds the designer on each of their own.
    if ((ownerId !== undefined && ownerId !== principal.sub) || designerId !== undefined)
      throw new ForbiddenError('a sales rep lists only the customers they own', {}, 'own_customers_only');
    ownerId = principal.sub;
  }
  if (principal.role === 'designer') {
    if (designerId !== undefined && designerId !== principal.sub)
      throw new ForbiddenError('a designer lists only the customers assigned to them', {}, 'own_designs_only');
    designerId = principal.sub;
  }
  return ctx.store.listCustomers({ ...filter, siteId, ...(ownerId ? { ownerId } : {}), ...(designerId ? { designerId } : {}) }, page);
}

export async function listReceptions(ctx: Context, principal: Principal, customerId: string, page: PageRequest): Promise<Page<Reception>> {
  await getCustomer(ctx, principal, customerId);
  return ctx.store.listReceptions(customerId, page);
}

/** A change of the needs: a field given null is cleared (a date the customer no longer has), one left out stays. */
export type NeedsPatch = { [K in keyof Needs]?: Needs[K] | null };

export interface CustomerPatch {
  name?: string;
  leadType?: LeadType;
  intentLevel?: IntentLevel | null;
  needs?: NeedsPatch;
  birthday?: string | null;
  smsConsent?: boolean;
  note?: string | null;
  stage?: 'customer';
}

/**
 * Edits what the owner knows of the customer. Signing the contract (`stage: customer`) ends
 * the chase: the open follow-up is cancelled, since follow-ups are for the undecided. A lead
 * turned potential is watched, not chased, and one turned back is chased again (004): its
 * open follow-up or review is cancelled and the other kind opened, in the same write.
 */
export async function updateCustomer(ctx: Context, principal: Principal, id: string, patch: CustomerPatch): Promise<Customer> {
  authorize(principal, 'customer.update');
  return withVersionRetry(async () => {
    const current = await getCustomer(ctx, principal, id);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const next: Customer = {
      ...current,
      ...patch,
      needs: patch.needs === undefined ? current.needs : mergedNeeds(current.needs, patch.needs),
      updatedAt: at,
      version: current.version + 1,
    };
    const site = await loadSite(ctx, current.siteId);
    let closeTask: VersionedTask | undefined;
    let openNext: Task | undefined;
    if (patch.stage === 'customer' && current.stage !== 'customer') {
      if (current.stage !== 'lead')
        throw new InvalidTransitionError(`a customer at stage '${current.stage}' cannot go back to 'customer'`, { stage: current.stage }, 'stage_back');
      const open = await openFollowUpOf(ctx, current);
      if (open) closeTask = closedTask(withCustomerCopy(open, next), { status: 'cancelled', note: 'contract signed' }, principal.sub, at, site.timezone);
      next.openFollowUpId = null;
      next.openFollowUpDueAt = null;
      // A signed lead is not lost: a request still pending has nothing left to decide.
      if (current.lossRequest) next.lossRequest = null;
    } else if (next.stage === 'lead' && chaseKindOf(next.leadType) !== chaseKindOf(current.leadType)) {
      const open = await openFollowUpOf(ctx, current);
      const note = `lead type changed to ${next.leadType}`;
      if (open) closeTask = closedTask(withCustomerCopy(open, next), { status: 'cancelled', note }, principal.sub, at, site.timezone);
      const { kind, dueAt } = chaseOnTypeChange(now, site, next.leadType, next.intentLevel);
      const opened = openTask(ctx, kind, next, dueAt, at);
      next.openFollowUpId = opened.id;
      next.openFollowUpDueAt = opened.dueAt;
      openNext = opened;
    }
    // Compared with the phone's consent, not this record's flag, which another site or the owner may have overtaken.
    const consent: ConsentRecord | undefined =
      patch.smsConsent !== undefined && patch.smsConsent !== ((await careConsentRefusal(ctx, current.phone)) === null)
        ? { phone: current.phone, granted: patch.smsConsent, source: 'customer_update', by: principal.sub, at }
        : undefined;
    const milestones = await changedMilestones(ctx, site, current, next, now, principal.sub);
    const saved = new Set(milestones.save.map((m) => m.task.id));
    const retold = await retoldTasks(ctx, current, next, closeTask?.task.id);
    // A milestone moved or cancelled carries the new copies already; one item cannot be written twice in a transaction.
    const retoldNow = retold.now.filter((r) => !saved.has(r.task.id));
    await ctx.store.updateCustomer({
      customer: next,
      retold: retoldNow,
      tasks: milestones,
      expectedVersion: current.version,
      previousBirthday: current.birthday,
      ...(closeTask ? { closeTask } : {}),
      ...(openNext ? { openTask: openNext } : {}),
      ...(consent ? { consent } : {}),
      history: customerHistory(ctx.ids, current, next, principal.sub, 'update', now, site.timezone),
    });
    await retellLater(ctx, retold.later);
    return next;
  });
}

function mergedNeeds(current: Needs, patch: NeedsPatch): Needs {
  const merged: Record<string, unknown> = { ...current, ...patch };
  for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key];
  return merged as Needs;
}

/** The customer's change log (level, lead type, stage, owner), oldest first, within the caller's reach. */
export async function listCustomerChanges(ctx: Context, principal: Principal, customerId: string): Promise<CustomerChange[]> {
  await getCustomer(ctx, principal, customerId);
  return ctx.store.listCustomerChanges(customerId);
}
