import { addSiteDays, nextFollowUpDue } from './cadence.ts';
import { chaseKindOf, nextReviewDue } from './chase.ts';
import type { Context } from './context.ts';
import { getCustomer } from './customers.ts';
import { InvalidTransitionError, ValidationError, VersionConflictError } from './errors.ts';
import type { Customer, Interaction, InteractionChannel, IntentLevel, LeadType, Principal, Site, Task, TaskOutcome } from './model.ts';
import type { FollowUpSwap, Page, PageRequest } from './ports.ts';
import { authorize } from './reach.ts';
import { loadSite } from './sites.ts';
import { closingOf } from './chase-close.ts';
import { openFollowUpOf, openTask } from './open-task.ts';
import { contactFigures } from './reports/figures.ts';
import { customerHistory } from './reports/lead-figures.ts';

export interface InteractionInput {
  channel: InteractionChannel;
  summary: string;
  intentLevel?: IntentLevel;
  /** What the contact learnt of the lead's type; into or out of `potential` it swaps a follow-up for a review or back (004). */
  leadType?: LeadType;
  /** The time agreed with the customer; it wins over the cadence (000). */
  nextFollowUpAt?: string;
}

interface Contact extends InteractionInput {
  outcome: TaskOutcome;
  /** Set when a specific follow-up task is being completed, as its caller read it: it must be the open one. */
  task?: Task;
}

/** Far above what contacts at once can cause; only a fault could spin this long. */
const MAX_ROUNDS = 50;

/**
 * 跟踪: one contact with the customer. It is recorded, closes the open follow-up, and opens the
 * next one: at the agreed time, else by the cadence of the intent level while the customer
 * is still a lead. Contact and swap are one transaction, so a follow-up is never lost or
 * doubled; it takes no version of the customer, so contacts made at once are all recorded.
 * When another contact closed the follow-up first, this one stands beside it and the next
 * follow-up that one opened stays, unless this contact brings an agreed time or a new intent
 * level: then it takes that follow-up over. Each round lost is another change landed, so
 * the rounds end. The first round closes the follow-up without reading it when it can (see
 * `closingOf`); `closed` is the whole task only when it was read, as it always is for a `task`
 * given.
 */
export async function recordContact(
  ctx: Context,
  principal: Principal,
  customerId: string,
  contact: Contact,
): Promise<{ interaction: Interaction; closed: Task | null; nextFollowUp: Task | null }> {
  const now = ctx.clock.now();
  if (contact.nextFollowUpAt !== undefined && new Date(contact.nextFollowUpAt) <= now) {
    throw new ValidationError('the agreed follow-up time has passed', [{ path: 'nextFollowUpAt', code: 'in_the_past', message: 'must be in the future' }]);
  }
  const at = now.toISOString();
  const id = ctx.ids.next();
  const shapesNext = contact.nextFollowUpAt !== undefined || contact.intentLevel !== undefined || contact.leadType !== undefined;
  let seen: string | null = null;
  for (let round = 1; ; round++) {
    const customer = await getCustomer(ctx, principal, customerId);
    if (contact.task !== undefined && customer.openFollowUpId !== contact.task.id) {
      throw new InvalidTransitionError('this follow-up is no longer the open one', {}, 'follow_up_closed');
    }
    if (round === 1) seen = customer.openFollowUpId;
    const interaction: Interaction = {
      id,
      customerId: customer.id,
      siteId: customer.siteId,
      staffId: principal.sub,
      channel: contact.channel,
      summary: contact.summary,
      intentLevel: contact.intentLevel ?? null,
      nextFollowUpAt: contact.nextFollowUpAt ?? null,
      taskId: null,
      at,
    };
    const site = await loadSite(ctx, customer.siteId);
    if (customer.openFollowUpId !== seen && !shapesNext) {
      const open = await openFollowUpOf(ctx, customer);
      await ctx.store.recordInteraction({ interaction, swap: null, figures: contactFigures(interaction, site.timezone, false) });
      return { interaction, closed: null, nextFollowUp: open };
    }
    const closeAs = { outcome: contact.outcome, note: contact.summary, by: principal.sub, at, timezone: site.timezone };
    const closing = await closingOf(ctx, customer, closeAs, round === 1 ? { ...(contact.task ? { known: contact.task } : {}), copy: true } : { copy: false });
    // The contact's own word on the lead decides what comes next: the level's cadence, or the watch.
    const lead: Customer = { ...customer, intentLevel: contact.intentLevel ?? customer.intentLevel, leadType: contact.leadType ?? customer.leadType };
    const dueAt = nextDue(now, site, lead, contact);
    const opened: Task | null = dueAt && openTask(ctx, chaseKindOf(lead.leadType), customer, dueAt, at);
    // A review closed is no follow-up done: the interaction names only a follow-up, as the figures and their recount read it.
    const doneFollowUp = closing?.kind === 'follow_up' ? closing : null;
    const recorded = { ...interaction, taskId: doneFollowUp?.id ?? null };
    const swap: FollowUpSwap | null =
      closing || opened || contact.intentLevel !== undefined || contact.leadType !== undefined
        ? {
            from: customer.openFollowUpId,
            to: opened?.id ?? (closing ? null : customer.openFollowUpId),
            ...(opened ? { toDueAt: opened.dueAt } : closing ? { toDueAt: null } : {}),
            ...(closing?.read ? { close: closing.read } : {}),
            ...(closing?.unread ? { closeUnread: closing.unread } : {}),
            ...(opened ? { open: opened } : {}),
            ...(contact.intentLevel !== undefined ? { intentLevel: contact.intentLevel } : {}),
            ...(contact.leadType !== undefined ? { leadType: contact.leadType } : {}),
            at,
          }
        : null;
    try {
      // A level or type set over an edit made meanwhile would move it uncounted: the one read must still hold.
      const history =
        contact.intentLevel === undefined && contact.leadType === undefined
          ? {}
          : { history: customerHistory(ctx.ids, customer, lead, principal.sub, 'interaction', now, site.timezone), customerWas: customer };
      await ctx.store.recordInteraction({ interaction: recorded, swap, figures: contactFigures(recorded, site.timezone, doneFollowUp !== null), ...history });
      return { interaction: recorded, closed: closing?.read?.task ?? null, nextFollowUp: opened };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || round >= MAX_ROUNDS) throw error;
    }
  }
}

function nextDue(now: Date, site: Site, customer: Customer, contact: Contact): Date | null {
  if (contact.nextFollowUpAt !== undefined) return new Date(contact.nextFollowUpAt);
  if (customer.stage !== 'lead') return null;
  // A watched lead is looked at again after the period whatever came of this look: only its type ends the watch.
  if (chaseKindOf(customer.leadType) === 'review') return nextReviewDue(now, site);
  switch (contact.outcome) {
    case 'declined':
      return null;
    case 'unreachable':
      return addSiteDays(now, 1, site.timezone);
    case 'reached':
      return nextFollowUpDue(now, site.followUpCadence, customer.intentLevel, site.timezone);
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
  if (task.status !== 'open') throw new InvalidTransitionError(`the task is ${task.status} already`, { status: task.status }, 'task_closed');
}
