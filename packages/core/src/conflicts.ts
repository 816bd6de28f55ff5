import { requireActive } from './active-staff.ts';
import { siteDay } from './calendar.ts';
import { closeLoopId } from './close-loop.ts';
import type { Context } from './context.ts';
import { withVersionRetry } from './version-retry.ts';
import { InvalidTransitionError, ValidationError } from './errors.ts';
import { openOwnerCallsOf } from './milestones.ts';
import { openFollowUpOf } from './open-task.ts';
import type { Conflict, ConflictStatus, Customer, Principal, Task } from './model.ts';
import type { Page, PageRequest } from './ports.ts';
import { authorize, requireSite, siteInScope, visible, worksAt } from './reach.ts';
import { customerHistory } from './reports/lead-figures.ts';
import { loadSite } from './sites.ts';

/** A conflict opened before the names were carried shows them as null. */
const withNames = (c: Conflict): Conflict => ({ ...c, ownerName: c.ownerName ?? null, claimantName: c.claimantName ?? null });

export async function listConflicts(
  ctx: Context,
  principal: Principal,
  filter: { siteId?: string; status?: ConflictStatus },
  page: PageRequest,
): Promise<Page<Conflict>> {
  authorize(principal, 'conflict.read');
  const siteId = siteInScope(principal, filter.siteId);
  requireSite(principal, siteId);
  const listed = await ctx.store.listConflicts({ siteId, status: filter.status ?? 'open' }, page);
  return { ...listed, items: listed.items.map(withNames) };
}

/**
 * The manager decides who owns the customer (001). Every open conflict over the customer is
 * settled by the one decision, with who decided and when, and the open follow-up and
 * milestones move to the owner so that nobody else keeps chasing the customer.
 */
export async function resolveConflict(ctx: Context, principal: Principal, id: string, ownerId: string): Promise<Conflict> {
  authorize(principal, 'conflict.resolve');
  return withVersionRetry(async () => {
    const conflict = visible(await ctx.store.getConflict(id), (c) => worksAt(principal, c.siteId), 'conflict');
    if (conflict.status !== 'open') throw new InvalidTransitionError('the conflict is settled already', {}, 'conflict_settled');
    const owner = await ctx.store.getStaff(conflict.siteId, ownerId);
    if (!owner)
      throw new ValidationError('the owner must be staff of the site', [
        {
          path: 'ownerId',
          code: 'not_staff',
          message: `'${ownerId}' is not staff of site '${conflict.siteId}'`,
          params: { value: ownerId, siteId: conflict.siteId },
        },
      ]);
    requireActive(owner, 'ownerId');
    const customer = await ctx.store.getCustomer(conflict.customerId);
    if (!customer) throw new Error(`conflict ${id} names a missing customer`);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const settle = (c: Conflict): Conflict => ({ ...c, status: 'resolved', resolvedAt: at, resolvedBy: principal.sub, decidedOwnerId: ownerId });
    const open = await ctx.store.listOpenConflictsOfCustomer(customer.id);
    const conflicts = [conflict, ...open.filter((c) => c.id !== conflict.id)].map(settle);
    const site = await loadSite(ctx, customer.siteId);
    const followUp = await openFollowUpOf(ctx, customer);
    // Today's close-the-loop call is read by its id too: one opened a moment ago may not be on the index yet.
    const [calls, today] = await Promise.all([openOwnerCallsOf(ctx, site, customer), ctx.store.getTask(closeLoopId(customer.id, siteDay(now, site.timezone)))]);
    const byId = new Map([...calls, ...(today?.status === 'open' ? [today] : [])].map((task) => [task.id, task]));
    const chasing: Task[] = [...(followUp ? [followUp] : []), ...byId.values()];
    const movedTasks: { task: Task; expectedVersion: number }[] = chasing
      .filter((task) => task.assigneeId !== ownerId)
      .map((task) => ({ task: { ...task, assigneeId: ownerId, version: task.version + 1 }, expectedVersion: task.version }));
    const next: Customer = { ...customer, ownerId, updatedAt: at, version: customer.version + 1 };
    const history = customerHistory(ctx.ids, customer, next, principal.sub, 'conflict', now, site.timezone);
    await ctx.store.resolveConflicts({ conflicts, customer: next, expectedVersion: customer.version, movedTasks, history });
    return withNames(conflicts[0]!);
  });
}
