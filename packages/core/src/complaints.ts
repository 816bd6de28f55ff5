import { addHours } from 'date-fns';
import { localTime, siteDay } from './calendar.ts';
import { ComplaintNumberTakenError, drawComplaintNumber } from './complaint-numbers.ts';
import { complaintInReach, ownersCustomers } from './complaint-reach.ts';
import type { Context } from './context.ts';
import { getCustomer } from './customers.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import type { Actor, Complaint, ComplaintCategory, ComplaintChannel, ComplaintEntry, Customer, Principal, Severity, Task } from './model.ts';
import { composeMessage } from './outbox.ts';
import type { Page, PageRequest } from './ports.ts';
import { authorize, requireSite, siteInScope } from './reach.ts';
import { complaintFiledFigures } from './reports/service-figures.ts';
import { loadSite } from './sites.ts';

export interface ComplaintInput {
  customerId?: string;
  deliveryId?: string;
  category: ComplaintCategory;
  severity?: Severity;
  channel: ComplaintChannel;
  description: string;
}

export { COMPLAINT_NUMBER, ComplaintNumberTakenError } from './complaint-numbers.ts';
export { ownersCustomers } from './complaint-reach.ts';
export { complaintForOwner, complaintsForOwner, type OwnerActor, type OwnerComplaint, type OwnerComplaintEntry } from './complaint-owner-view.ts';

/** Far more draws than a day's complaints can need; only a fault could take them all. */
const MAX_NUMBER_DRAWS = 20;

const actorOf = (principal: Principal): Actor => ({ kind: principal.role === 'owner' ? 'owner' : 'staff', id: principal.sub });

async function complainant(ctx: Context, principal: Principal, customerId: string | undefined): Promise<Customer> {
  if (principal.role !== 'owner') {
    authorize(principal, 'complaint.create');
    if (!customerId)
      throw new ValidationError('name the customer', [{ path: 'customerId', code: 'required', message: 'required when staff file a complaint' }]);
    return getCustomer(ctx, principal, customerId);
  }
  const mine = await ownersCustomers(ctx, principal);
  if (customerId !== undefined) {
    const found = mine.find((c) => c.id === customerId);
    if (!found) throw new NotFoundError('customer not found', { what: 'customer' }, 'record');
    return found;
  }
  if (mine.length === 1) return mine[0]!;
  if (mine.length === 0) throw new NotFoundError('no customer record for this phone', {}, 'no_record_for_phone');
  throw new ValidationError('you are known at several sites', [{ path: 'customerId', code: 'choose_record', message: 'name the record, from GET /v1/me' }]);
}

/**
 * 投诉受理: the complaint is recorded with its answer deadline (the site's window, 24 hours by
 * default, 4 when urgent), and the acknowledgement SMS with the complaint number is queued in
 * the same transaction.
 */
export async function fileComplaint(ctx: Context, principal: Principal, input: ComplaintInput): Promise<Complaint> {
  const customer = await complainant(ctx, principal, input.customerId);
  if (input.deliveryId !== undefined && !(await ctx.store.getDelivery(customer.id, input.deliveryId))) {
    throw new ValidationError('not a delivery of this customer', [{ path: 'deliveryId', code: 'unknown_record', message: 'unknown delivery' }]);
  }
  return recordComplaint(ctx, principal, customer, input, { id: ctx.ids.next(), callbackId: null });
}

/**
 * What a callback found, each issue a complaint of its own, linked to the callback. Ids are
 * made from the callback's, so completing it again (a retry) files nothing twice.
 */
export async function complaintsFromCallback(
  ctx: Context,
  principal: Principal,
  callback: Task,
  issues: { category: ComplaintCategory; description: string }[],
): Promise<Complaint[]> {
  const customer = await ctx.store.getCustomer(callback.customerId);
  if (!customer) throw new NotFoundError('customer not found', { what: 'customer' }, 'record');
  const filed: Complaint[] = [];
  for (const [i, issue] of issues.entries()) {
    const input: ComplaintInput = {
      category: issue.category,
      channel: 'callback',
      description: issue.description,
      ...(callback.deliveryId ? { deliveryId: callback.deliveryId } : {}),
    };
    try {
      filed.push(await recordComplaint(ctx, principal, customer, input, { id: `${callback.id}:issue:${i + 1}`, callbackId: callback.id }));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return filed;
}

async function recordComplaint(
  ctx: Context,
  principal: Principal,
  customer: Customer,
  input: ComplaintInput,
  origin: { id: string; callbackId: string | null },
): Promise<Complaint> {
  const site = await loadSite(ctx, customer.siteId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const severity = input.severity ?? 'normal';
  for (let draw = 1; ; draw++) {
    const complaint: Complaint = {
      id: origin.id,
      number: drawComplaintNumber(siteDay(now, site.timezone)),
      siteId: site.id,
      customerId: customer.id,
      deliveryId: input.deliveryId ?? null,
      callbackId: origin.callbackId,
      category: input.category,
      severity,
      channel: input.channel,
      description: input.description,
      status: 'received',
      assigneeId: null,
      filedBy: actorOf(principal),
      respondBy: addHours(now, site.complaintAnswerHours[severity]).toISOString(),
      respondedAt: null,
      responseMinutes: null,
      escalated: false,
      warnedAt: null,
      satisfaction: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const entry = complaintEntry(ctx, complaint, principal, 'received', 'received', at, { note: null });
    const message = composeMessage(
      site,
      customer,
      'complaint_ack',
      complaint.id,
      { complaintId: complaint.number, respondBy: localTime(new Date(complaint.respondBy), site.timezone) },
      at,
    );
    try {
      await ctx.store.createComplaint({ complaint, entry, message, figures: complaintFiledFigures(complaint, principal, site.timezone) });
      return complaint;
    } catch (error) {
      if (!(error instanceof ComplaintNumberTakenError) || draw >= MAX_NUMBER_DRAWS) throw error;
    }
  }
}

export function complaintEntry(
  ctx: Context,
  complaint: Complaint,
  principal: Principal,
  event: string,
  toState: Complaint['status'],
  at: string,
  extra: { note: string | null; internal?: boolean; details?: Record<string, unknown> },
): ComplaintEntry {
  return {
    id: ctx.ids.next(),
    complaintId: complaint.id,
    event,
    by: actorOf(principal),
    at,
    note: extra.note,
    internal: extra.internal ?? false,
    fromState: complaint.status,
    toState,
    details: extra.details ?? {},
  };
}

/** The complaint with its whole timeline; an owner sees no internal staff note. */
export async function getComplaint(ctx: Context, principal: Principal, id: string): Promise<{ complaint: Complaint; timeline: ComplaintEntry[] }> {
  const complaint = await complaintInReach(ctx, principal, id);
  const timeline = await ctx.store.listComplaintEntries(id);
  return { complaint, timeline: principal.role === 'owner' ? timeline.filter((e) => !e.internal) : timeline };
}

export interface ComplaintFilter {
  siteId?: string;
  status?: Complaint['status'];
  overdue?: boolean;
  /** 投诉编号: the one complaint of that number, looked up through its claim. */
  number?: string;
}

/** A site's complaints; `overdue` is the managers' queue of unanswered ones past their deadline, oldest breach first. */
export async function listComplaints(ctx: Context, principal: Principal, filter: ComplaintFilter, page: PageRequest): Promise<Page<Complaint>> {
  if (filter.number !== undefined) return { items: await numbered(ctx, principal, filter, filter.number), next: null };
  authorize(principal, 'complaint.read');
  const siteId = siteInScope(principal, filter.siteId);
  if (filter.overdue) return ctx.store.listUnansweredOfSite(siteId, ctx.clock.now().toISOString(), page);
  return ctx.store.listComplaints({ siteId, ...(filter.status ? { status: filter.status } : {}) }, page);
}

/**
 * The complaint a caller quotes by number, when it is within their reach and matches the
 * other filters. Any other answers an empty list, as a number never given out does, so that
 * a number tried at random tells nothing of another's complaint.
 */
async function numbered(ctx: Context, principal: Principal, filter: ComplaintFilter, number: string): Promise<Complaint[]> {
  if (principal.role !== 'owner') {
    authorize(principal, 'complaint.read');
    if (filter.siteId !== undefined) requireSite(principal, filter.siteId);
  }
  const id = await ctx.store.findComplaintIdByNumber(number);
  if (id === null) return [];
  let complaint: Complaint;
  try {
    complaint = await complaintInReach(ctx, principal, id);
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
  const overdue = complaint.status === 'received' && complaint.respondBy < ctx.clock.now().toISOString();
  const matches =
    (filter.siteId === undefined || complaint.siteId === filter.siteId) &&
    (filter.status === undefined || complaint.status === filter.status) &&
    (!filter.overdue || overdue);
  return matches ? [complaint] : [];
}
