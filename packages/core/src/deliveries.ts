import { callbackDueAt } from './callback-time.ts';
import { addOffset } from './calendar.ts';
import type { Context } from './context.ts';
import type { Page, PageRequest } from './paging.ts';
import { withVersionRetry } from './version-retry.ts';
import { getCustomer } from './customers.ts';
import { NotFoundError } from './errors.ts';
import type { AssetKind, CallbackTask, Customer, Delivery, Principal, Site, Task } from './model.ts';
import { closedTask, openFollowUpOf, openTask } from './open-task.ts';
import { authorize } from './reach.ts';
import { loadSite } from './sites.ts';
import { customerHistory } from './reports/lead-figures.ts';

/** Callbacks are due on their day at the time the callbacks job announces them. */

export const callbackId = (deliveryId: string, plan: string) => `callback:${deliveryId}:${plan}`;

export interface DeliveryInput {
  asset: { kind: AssetKind; label: string };
  deliveredOn: string;
}

/** Two labels name the same asset when they read the same once full-width forms are folded and the ends trimmed. */
export const assetKey = (label: string): string => label.normalize('NFKC').trim();

/** What recording a delivery did: a new one, a known one with its date corrected, or a known one as it was. */
export type DeliveryOutcome = 'created' | 'updated' | 'unchanged';

export interface DeliveryOptions {
  /**
   * Plan entries due before this site day are recorded as skipped rather than opened: a list
   * of homes handed over long ago must not put its overdue calls and SMS on today.
   */
  skipDueBefore?: string;
  /** False when the caller has no use for the callbacks of a delivery found unchanged (an import): three reads spared. */
  callbacksOfUnchanged?: boolean;
}

/** The site's callback plan for one delivery, every date counted from the delivery day. */
export function callbackTasks(ctx: Context, site: Site, customer: Customer, delivery: Delivery, at: string): CallbackTask[] {
  return site.callbackPlan.map((entry) => {
    const dueOn = addOffset(delivery.deliveredOn, entry.offset);
    return {
      ...openTask(ctx, 'callback', customer, callbackDueAt(dueOn, site.timezone), at, null),
      id: callbackId(delivery.id, entry.plan),
      plan: entry.plan,
      dueOn,
      deliveryId: delivery.id,
      checklist: entry.checklist,
      assetLabel: delivery.asset.label,
    };
  });
}

/** A plan entry already past when the delivery is recorded: kept, closed as skipped, never given out. */
const skipped = (task: CallbackTask, by: string, at: string): CallbackTask => ({
  ...task,
  status: 'cancelled',
  note: 'skipped: past when recorded',
  closedAt: at,
  closedBy: by,
});

/**
 * 交付: records the handover, makes the customer an owner (the sales chase ends) and opens
 * the callbacks of the site's plan (3 months, 1 year, ...), in one transaction. The same
 * asset again (by `assetKey`) is the same delivery: recorded as it was, or its date
 * corrected, so a list imported twice creates nothing new. The customer's version guards
 * the transaction, so two recordings of one asset at once make one delivery.
 */
export async function recordDelivery(
  ctx: Context,
  principal: Principal,
  customerId: string,
  input: DeliveryInput,
  options: DeliveryOptions = {},
): Promise<{ delivery: Delivery; callbacks: Task[]; outcome: DeliveryOutcome }> {
  authorize(principal, 'delivery.create');
  const id = ctx.ids.next();
  return withVersionRetry(async () => {
    const customer = await getCustomer(ctx, principal, customerId);
    const same = (await ctx.store.listDeliveries(customerId)).find((d) => assetKey(d.asset.label) === assetKey(input.asset.label));
    if (same) {
      if (same.deliveredOn === input.deliveredOn) {
        const callbacks = options.callbacksOfUnchanged === false ? [] : await callbacksOf(ctx, same);
        return { delivery: same, callbacks, outcome: 'unchanged' as const };
      }
      return { ...(await correctDelivery(ctx, principal, customerId, same.id, input.deliveredOn)), outcome: 'updated' as const };
    }
    const site = await loadSite(ctx, customer.siteId);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const delivery: Delivery = {
      id,
      customerId,
      siteId: customer.siteId,
      asset: input.asset,
      deliveredOn: input.deliveredOn,
      createdAt: at,
      createdBy: principal.sub,
      updatedAt: at,
      version: 1,
    };
    const followUp = await openFollowUpOf(ctx, customer);
    const closeTask = followUp ? closedTask(followUp, { status: 'cancelled', note: 'delivered' }, principal.sub, at, site.timezone) : undefined;
    const owner: Customer = { ...customer, stage: 'owner', openFollowUpId: null, openFollowUpDueAt: null, updatedAt: at, version: customer.version + 1 };
    const { skipDueBefore } = options;
    const callbacks = callbackTasks(ctx, site, owner, delivery, at).map((task) =>
      skipDueBefore !== undefined && task.dueOn < skipDueBefore ? skipped(task, principal.sub, at) : task,
    );
    const history = customerHistory(ctx.ids, customer, owner, principal.sub, 'delivery', now, site.timezone);
    await ctx.store.createDelivery({ delivery, customer: owner, expectedVersion: customer.version, callbacks, ...(closeTask ? { closeTask } : {}), history });
    return { delivery, callbacks, outcome: 'created' as const };
  });
}

/** The callbacks a delivery's plan opened, as they stand. */
async function callbacksOf(ctx: Context, delivery: Delivery): Promise<Task[]> {
  const site = await loadSite(ctx, delivery.siteId);
  const tasks = await Promise.all(site.callbackPlan.map((entry) => ctx.store.getTask(callbackId(delivery.id, entry.plan))));
  return tasks.filter((task): task is Task => task?.kind === 'callback');
}

export async function listDeliveries(ctx: Context, principal: Principal, customerId: string, page: PageRequest): Promise<Page<Delivery>> {
  authorize(principal, 'delivery.read');
  await getCustomer(ctx, principal, customerId);
  return ctx.store.pageDeliveries(customerId, page);
}

/**
 * A wrong handover date is corrected at the source: the open callbacks move with it, each
 * counted again from the corrected day. Callbacks already done stay as they were.
 */
export async function correctDelivery(
  ctx: Context,
  principal: Principal,
  customerId: string,
  deliveryId: string,
  deliveredOn: string,
): Promise<{ delivery: Delivery; callbacks: Task[] }> {
  authorize(principal, 'delivery.create');
  return withVersionRetry(async () => {
    const customer = await getCustomer(ctx, principal, customerId);
    const delivery = await ctx.store.getDelivery(customerId, deliveryId);
    if (!delivery) throw new NotFoundError('delivery not found', { what: 'delivery' }, 'record');
    const site = await loadSite(ctx, customer.siteId);
    const at = ctx.clock.now().toISOString();
    const next: Delivery = { ...delivery, deliveredOn, updatedAt: at, version: delivery.version + 1 };
    const planned = callbackTasks(ctx, site, customer, next, at);
    const moved: { task: Task; expectedVersion: number }[] = [];
    const callbacks: Task[] = [];
    for (const plan of planned) {
      const task = await ctx.store.getTask(plan.id);
      // The id is a callback's own, so anything else found there is not this plan's.
      if (task?.kind !== 'callback') continue;
      if (task.status !== 'open') {
        callbacks.push(task);
        continue;
      }
      const updated = { ...task, dueOn: plan.dueOn, dueAt: plan.dueAt, version: task.version + 1 };
      moved.push({ task: updated, expectedVersion: task.version });
      callbacks.push(updated);
    }
    await ctx.store.updateDelivery({ delivery: next, expectedVersion: delivery.version, movedTasks: moved });
    return { delivery: next, callbacks };
  });
}
