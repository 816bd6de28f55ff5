import { isActive, requireActive } from './active-staff.ts';
/** The steps of a complaint after it is filed: answered, assigned, noted, resolved, closed, reopened. */
import { nextCallbackSlot } from './callback-time.ts';
import { complaintInReach } from './complaint-reach.ts';
import { nextComplaintState, type ComplaintEvent } from './complaint-states.ts';
import { complaintEntry } from './complaints.ts';
import type { Context } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { Complaint, ComplaintCategory, ComplaintEntry, Principal, Task } from './model.ts';
import { openTask } from './open-task.ts';
import { rolesFor } from './reach.ts';
import { merged } from './reports/figures.ts';
import { callbackGivenFigures, complaintStepFigures } from './reports/service-figures.ts';
import { loadSite } from './sites.ts';
import { withVersionRetry } from './version-retry.ts';

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
 * assignee, or, when there is none or they have left (离职), to a service agent through the
 * callbacks job. Its id
 * names the resolution it follows, so a repair resolved again gets a callback of its own.
 */
async function repairCallback(ctx: Context, resolved: Complaint, now: Date): Promise<Task> {
  const site = await loadSite(ctx, resolved.siteId);
  const customer = await ctx.store.getCustomer(resolved.customerId);
  if (!customer) throw new NotFoundError('customer not found', { what: 'customer' }, 'record');
  const { dueOn, dueAt } = nextCallbackSlot(now, site.timezone);
  const assignee = resolved.assigneeId ? await ctx.store.getStaff(resolved.siteId, resolved.assigneeId) : null;
  return {
    ...openTask(ctx, 'repair_callback', customer, dueAt, now.toISOString(), assignee && isActive(assignee) ? assignee.id : null),
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
  if (principal.role === 'owner' && !OWNER_EVENTS.includes(input.type))
    throw new ForbiddenError(`an owner may not ${input.type} a complaint`, { event: input.type }, 'owner_event');
  if (principal.role === 'owner' && input.internal)
    throw new ValidationError('owners write no internal notes', [{ path: 'internal', code: 'staff_only', message: 'staff only' }]);
  if (input.type === 'close' && input.satisfaction === undefined)
    throw new ValidationError('closing takes a satisfaction score', [{ path: 'satisfaction', code: 'required', message: 'required, 1 to 5' }]);
  if (input.type === 'assign' && !input.assigneeId)
    throw new ValidationError('assign names someone', [{ path: 'assigneeId', code: 'required', message: 'required' }]);
  if (input.type === 'note') return addNote(ctx, principal, id, input);
  return withVersionRetry(async () => {
    const complaint = await complaintInReach(ctx, principal, id);
    const assignee = input.type === 'assign' ? await ctx.store.getStaff(complaint.siteId, input.assigneeId!) : null;
    if (input.type === 'assign' && !assignee) {
      throw new ValidationError('not staff of this site', [
        {
          path: 'assigneeId',
          code: 'not_staff',
          message: `'${input.assigneeId}' is not staff of site '${complaint.siteId}'`,
          params: { value: input.assigneeId!, siteId: complaint.siteId },
        },
      ]);
    }
    requireActive(assignee, 'assigneeId');
    if (assignee && !rolesFor('complaint.read').includes(assignee.role)) {
      // A complaint given to someone who may not open it would sit unanswered behind a 403.
      throw new ValidationError('the assignee may not read complaints', [
        {
          path: 'assigneeId',
          code: 'cannot_read_complaints',
          message: `'${assignee.id}' is ${assignee.role} staff, who may not read complaints; assign service or manager staff`,
          params: { value: assignee.id, role: assignee.role },
        },
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
      // A staff note is the staff's unless it says otherwise (internal: false): what staff write to
      // each other must not reach the owner by a forgotten flag. The owner's own note is theirs to read.
      internal: input.internal ?? principal.role !== 'owner',
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
