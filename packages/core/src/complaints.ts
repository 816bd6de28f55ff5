import { addHours } from 'date-fns';
import { localTime, siteDay } from './calendar.ts';
import { nextCallbackSlot } from './callback-time.ts';
import { openTask } from './open-task.ts';
import { ComplaintNumberTakenError, drawComplaintNumber } from './complaint-numbers.ts';
import { complaintInReach, ownersCustomers } from './complaint-reach.ts';
import { nextComplaintState, type ComplaintEvent } from './complaint-states.ts';
import type { Context } from './context.ts';
import { withVersionRetry } from './version-retry.ts';
import { getCustomer } from './customers.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { Actor, Complaint, ComplaintCategory, ComplaintChannel, ComplaintEntry, Customer, Principal, Severity, Task } from './model.ts';
import { composeMessage } from './outbox.ts';
import type { Page, PageRequest } from './ports.ts';
import { authorize, requireSite, siteInScope } from './reach.ts';
import { merged } from './reports/figures.ts';
import { callbackGivenFigures, complaintFiledFigures, complaintStepFigures } from './reports/service-figures.ts';
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

/** Far more draws than a day's complaints can need; only a fault could take them all. */
const MAX_NUMBER_DRAWS = 20;

const actorOf = (principal: Principal): Actor => ({ kind: principal.role === 'owner' ? 'owner' : 'staff', id: principal.sub });

async function complainant(ctx: Context, principal: Principal, customerId: string | undefined): Promise<Customer> {
  if (principal.role !== 'owner') {
    authorize(principal, 'complaint.create');
    if (!customerId) throw new ValidationError('name the customer', [{ path: 'customerId', message: 'required when staff file a complaint' }]);
    return getCustomer(ctx, principal, customerId);
  }
  const mine = await ownersCustomers(ctx, principal);
  if (customerId !== undefined) {
    const found = mine.find((c) => c.id === customerId);
    if (!found) throw new NotFoundError('customer not found');
    return found;
  }
  if (mine.length === 1) return mine[0]!;
  if (mine.length === 0) throw new NotFoundError('no customer record for this phone');
  throw new ValidationError('you are known at several sites', [{ path: 'customerId', message: 'name the record, from GET /v1/me' }]);
}

/**
 * 投诉受理: the complaint is recorded with its answer deadline (the site's window, 24 hours by
 * default, 4 when urgent), and the acknowledgement SMS with the complaint number is queued in
 * the same transaction.
 */
export async function fileComplaint(ctx: Context, principal: Principal, input: ComplaintInput): Promise<Complaint> {
  const customer = await complainant(ctx, principal, input.customerId);
  if (input.deliveryId !== undefined && !(await ctx.store.getDelivery(customer.id, input.deliveryId))) {
    throw new ValidationError('not a delivery of this customer', [{ path: 'deliveryId', message: 'unknown delivery' }]);
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
  if (!customer) throw new NotFoundError('customer not found');
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

export interface ComplaintEventInput {
  type: ComplaintEvent;
  note?: string;
  internal?: boolean;
  assigneeId?: string;
  satisfaction?: number;
}

const OWNER_EVENTS: ComplaintEvent[] = ['close', 'reopen', 'note'];

/** 工程维修100%电话回访: every repair is called back. */
const REPAIRS: ComplaintCategory[] = ['repair', 'quality'];

/**
 * The callback of a resolved repair, due the next site day; it goes to the complaint's
 * assignee, or, when there is none, to a service agent through the callbacks job. Its id
 * names the resolution it follows, so a repair resolved again gets a callback of its own.
 */
async function repairCallback(ctx: Context, resolved: Complaint, now: Date): Promise<Task> {
  const site = await loadSite(ctx, resolved.siteId);
  const customer = await ctx.store.getCustomer(resolved.customerId);
  if (!customer) throw new NotFoundError('customer not found');
  const { dueOn, dueAt } = nextCallbackSlot(now, site.timezone);
  return {
    ...openTask(ctx, 'repair_callback', customer, dueAt, now.toISOString(), resolved.assigneeId),
    id: `repair_callback:${resolved.id}:${resolved.version}`,
    plan: 'repair',
    dueOn,
    complaintId: resolved.id,
  };
}

/**
 * One step on the complaint, under its version: two people acting at once both land, one
 * after the other, each judged on the state the other left. A step the process does not
 * have is answered with 409 and changes nothing: a refused request leaves no trace on the
 * timeline the owner reads.
 */
export async function addComplaintEvent(
  ctx: Context,
  principal: Principal,
  id: string,
  input: ComplaintEventInput,
): Promise<{ complaint: Complaint; entry: ComplaintEntry }> {
  if (principal.role === 'owner' && !OWNER_EVENTS.includes(input.type)) throw new ForbiddenError(`an owner may not ${input.type} a complaint`);
  if (principal.role === 'owner' && input.internal) throw new ValidationError('owners write no internal notes', [{ path: 'internal', message: 'staff only' }]);
  if (input.type === 'close' && input.satisfaction === undefined)
    throw new ValidationError('closing takes a satisfaction score', [{ path: 'satisfaction', message: 'required, 1 to 5' }]);
  if (input.type === 'assign' && !input.assigneeId) throw new ValidationError('assign names someone', [{ path: 'assigneeId', message: 'required' }]);
  if (input.type === 'note') return addNote(ctx, principal, id, input);
  return withVersionRetry(async () => {
    const complaint = await complaintInReach(ctx, principal, id);
    if (input.type === 'assign' && !(await ctx.store.getStaff(complaint.siteId, input.assigneeId!))) {
      throw new ValidationError('not staff of this site', [
        { path: 'assigneeId', message: `'${input.assigneeId}' is not staff of site '${complaint.siteId}'` },
      ]);
    }
    const now = ctx.clock.now();
    const at = now.toISOString();
    const toState = nextComplaintState(complaint.status, input.type);
    const next: Complaint = { ...complaint, status: toState, updatedAt: at, version: complaint.version + 1 };
    if (input.type === 'respond' && complaint.respondedAt === null) {
      next.respondedAt = at;
      next.responseMinutes = Math.round((now.getTime() - Date.parse(complaint.createdAt)) / 60_000);
    }
    if (input.type === 'assign') next.assigneeId = input.assigneeId!;
    if (input.type === 'close') next.satisfaction = input.satisfaction!;
    const entry = complaintEntry(ctx, complaint, principal, input.type, toState, at, {
      note: input.note ?? null,
      internal: input.internal ?? false,
      details: stepDetails(input),
    });
    const openTask = input.type === 'resolve' && REPAIRS.includes(complaint.category) ? await repairCallback(ctx, next, now) : undefined;
    const { timezone } = await loadSite(ctx, complaint.siteId);
    const figures = [...complaintStepFigures(complaint, next, principal, now, timezone), ...(openTask ? callbackGivenFigures(openTask, now, timezone) : [])];
    await ctx.store.updateComplaint({
      complaint: next,
      expectedVersion: complaint.version,
      entry,
      figures: merged(figures),
      ...(openTask ? { openTask } : {}),
    });
    return { complaint: next, entry };
  });
}

/**
 * A note changes nothing of the complaint, so it takes no version of it: notes written at
 * once all land, and beside the steps of the process. It still lands only while the
 * complaint is in the state it was judged on; one closed meanwhile is read again.
 */
async function addNote(ctx: Context, principal: Principal, id: string, input: ComplaintEventInput): Promise<{ complaint: Complaint; entry: ComplaintEntry }> {
  return withVersionRetry(async () => {
    const complaint = await complaintInReach(ctx, principal, id);
    const at = ctx.clock.now().toISOString();
    const toState = nextComplaintState(complaint.status, input.type);
    const entry = complaintEntry(ctx, complaint, principal, input.type, toState, at, {
      note: input.note ?? null,
      internal: input.internal ?? false,
      details: stepDetails(input),
    });
    await ctx.store.addComplaintNote(entry);
    return { complaint, entry };
  });
}

function stepDetails(input: ComplaintEventInput): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (input.assigneeId) details.assigneeId = input.assigneeId;
  if (input.satisfaction !== undefined) details.satisfaction = input.satisfaction;
  return details;
}
