import { isActive } from '../active-staff.ts';
import { addSiteDays } from '../cadence.ts';
import type { Context } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { Customer, LossEscalationTask, LossRequest, Site, Staff } from '../model.ts';
import { openTask } from '../open-task.ts';

/*
 * 战败申请 (dealer practice): a rep's request to mark a lead lost waits for a manager. One
 * left undecided for the site's `lossRequestAnswerDays` (same time of day, that many site
 * days on) becomes a `loss_escalation` task for each manager of the site. The request is
 * marked with the tasks' ids in the same transaction, under the customer's version, and the
 * ids are worked out from the request, so however often the job runs, and with runs at the
 * same time, each manager gets one task per request. Every pending request stays on the
 * site's list until decided, so a run after missed ones finds every request they missed.
 */

/** A day's length either way of a DST change: the list is read this much further, and each request judged exactly. */
const DST_MARGIN_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

export const lossEscalationId = (customer: Customer, request: LossRequest, managerId: string): string =>
  `loss_escalation:${customer.id}:${Date.parse(request.requestedAt).toString(36)}:${managerId}`;

const isOverdue = (request: LossRequest, site: Site, now: Date): boolean =>
  !request.escalation && addSiteDays(new Date(request.requestedAt), site.lossRequestAnswerDays, site.timezone) <= now;

/** The site's overdue requests escalated in this run; a request moved meanwhile (decided, edited) is left to the next run. */
export async function escalateLossRequests(ctx: Context, site: Site, now: Date, staff?: Staff[]): Promise<number> {
  const before = new Date(now.getTime() - site.lossRequestAnswerDays * DAY_MS + DST_MARGIN_MS).toISOString();
  const waiting = (await ctx.store.listLossRequestsBefore(site.id, before)).filter((c) => c.lossRequest && isOverdue(c.lossRequest, site, now));
  if (waiting.length === 0) return 0;
  const managers = (staff ?? (await ctx.store.listStaff(site.id))).filter((s) => s.role === 'manager' && isActive(s));
  // With no manager yet there is nobody to give it to: it stays unmarked for when one joins.
  if (managers.length === 0) return 0;
  let escalated = 0;
  for (const listed of waiting) {
    // The list is eventually consistent: the customer is read again, and judged as it is now.
    const customer = await ctx.store.getCustomer(listed.id);
    const request = customer?.lossRequest;
    if (!customer || !request || customer.stage !== 'lead' || !isOverdue(request, site, now)) continue;
    const at = now.toISOString();
    const tasks: LossEscalationTask[] = managers.map((m) => ({
      ...openTask(ctx, 'loss_escalation', customer, now, at, m.id),
      id: lossEscalationId(customer, request, m.id),
    }));
    const next: Customer = {
      ...customer,
      lossRequest: { ...request, escalation: { at, taskIds: tasks.map((t) => t.id) } },
      version: customer.version + 1,
    };
    try {
      await ctx.store.updateCustomer({ customer: next, expectedVersion: customer.version, tasks: { open: tasks, save: [] } });
      escalated++;
    } catch (error) {
      // Another run took it (a task exists, or the version moved), or someone changed the customer: judged again next run.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return escalated;
}
