import { addSiteDays, nextFollowUpDue } from './cadence.ts';
import type { Context } from './context.ts';
import { withVersionRetry } from './context.ts';
import { getCustomer } from './customers.ts';
import { InvalidTransitionError, ValidationError } from './errors.ts';
import type { Customer, Interaction, InteractionChannel, IntentLevel, Principal, Site, Task, TaskOutcome } from './model.ts';
import type { Page, PageRequest } from './ports.ts';
import { authorize } from './reach.ts';
import { loadSite } from './sites.ts';
import { openTask } from './open-task.ts';

export interface InteractionInput {
  channel: InteractionChannel;
  summary: string;
  intentLevel?: IntentLevel;
  /** The time agreed with the customer; it wins over the cadence (000). */
  nextFollowUpAt?: string;
}

interface Contact extends InteractionInput {
  outcome: TaskOutcome;
  /** Set when a specific follow-up task is being completed: it must be the open one. */
  taskId?: string;
}

/**
 * 跟踪: one contact with the customer. It is recorded, closes the open follow-up, and opens the
 * next one: at the agreed time, else by the cadence of the intent level while the customer
 * is still a lead. Everything is one transaction, so a follow-up is never lost or doubled.
 */
export async function recordContact(ctx: Context, principal: Principal, customerId: string, contact: Contact): Promise<{ interaction: Interaction; closed: Task | null; opened: Task | null; customer: Customer }> {
  const now = ctx.clock.now();
  if (contact.nextFollowUpAt !== undefined && new Date(contact.nextFollowUpAt) <= now) {
    throw new ValidationError('the agreed follow-up time has passed', [{ path: 'nextFollowUpAt', message: 'must be in the future' }]);
  }
  return withVersionRetry(async () => {
    const customer = await getCustomer(ctx, principal, customerId);
    if (contact.taskId !== undefined && customer.openFollowUpId !== contact.taskId) {
      throw new InvalidTransitionError('this follow-up is no longer the open one');
    }
    const site = await loadSite(ctx, customer.siteId);
    const at = now.toISOString();
    const open = customer.openFollowUpId ? await ctx.store.getTask(customer.openFollowUpId) : null;
    const closed: Task | null =
      open && open.status === 'open'
        ? { ...open, status: 'done', outcome: contact.outcome, note: contact.summary, closedAt: at, closedBy: principal.sub, version: open.version + 1 }
        : null;
    const level = contact.intentLevel ?? customer.intentLevel;
    const dueAt = nextDue(now, site, customer, level, contact);
    const opened: Task | null = dueAt && openTask(ctx, 'follow_up', customer, dueAt, at);
    const interaction: Interaction = {
      id: ctx.ids.next(),
      customerId: customer.id,
      siteId: customer.siteId,
      staffId: principal.sub,
      channel: contact.channel,
      summary: contact.summary,
      intentLevel: contact.intentLevel ?? null,
      nextFollowUpAt: contact.nextFollowUpAt ?? null,
      taskId: closed?.id ?? null,
      at,
    };
    const next: Customer = {
      ...customer,
      intentLevel: level,
      openFollowUpId: opened?.id ?? (closed ? null : customer.openFollowUpId),
      updatedAt: at,
      version: customer.version + 1,
    };
    await ctx.store.updateCustomer({
      customer: next,
      expectedVersion: customer.version,
      ...(closed && open ? { closeTask: { task: closed, expectedVersion: open.version } } : {}),
      ...(opened ? { openTask: opened } : {}),
      interaction,
    });
    return { interaction, closed, opened, customer: next };
  });
}

function nextDue(now: Date, site: Site, customer: Customer, level: IntentLevel | null, contact: Contact): Date | null {
  if (contact.nextFollowUpAt !== undefined) return new Date(contact.nextFollowUpAt);
  if (customer.stage !== 'lead') return null;
  switch (contact.outcome) {
    case 'declined':
      return null;
    case 'unreachable':
      return addSiteDays(now, 1, site.timezone);
    case 'reached':
      return nextFollowUpDue(now, site.followUpCadence, level, site.timezone);
  }
}

export async function addInteraction(ctx: Context, principal: Principal, customerId: string, input: InteractionInput) {
  authorize(principal, 'interaction.create');
  return recordContact(ctx, principal, customerId, { ...input, outcome: 'reached' });
}

export async function listInteractions(ctx: Context, principal: Principal, customerId: string, page: PageRequest): Promise<Page<Interaction>> {
  await getCustomer(ctx, principal, customerId);
  return ctx.store.listInteractions(customerId, page);
}

export function assertOpen(task: Task): void {
  if (task.status !== 'open') throw new InvalidTransitionError(`the task is ${task.status} already`);
}
