import { activeStaff } from '../active-staff.ts';
import { localTime } from '../calendar.ts';
import type { Context } from '../context.ts';
import { NotFoundError, VersionConflictError } from '../errors.ts';
import type { Actor, Complaint, ComplaintEntry, OutboxMessage, Site, Staff, Task } from '../model.ts';
import { openTask } from '../open-task.ts';
import { composeStaffMessage } from '../outbox.ts';
import type { SmsPurpose } from '../sms-text.ts';
import { loadSite } from '../sites.ts';
import { memo } from './memo.ts';

export interface SlaReport {
  job: 'sla';
  /** Unanswered complaints near or past their deadline. */
  checked: number;
  warned: number;
  escalated: number;
}

/** How long before its deadline an unanswered complaint is warned about. */
export const SLA_WARNING_MS = 2 * 3600_000;

/**
 * Past-breach complaints stay on the list until answered and sort first, so this must stay
 * well above what can pile up unanswered, or new breaches would wait behind old ones.
 */
const LIMIT = 10_000;
const TRIES = 3;
const SLA_ACTOR: Actor = { kind: 'system', id: 'sla' };

type Step = 'warn' | 'escalate';

function stepFor(complaint: Complaint, now: Date): Step | null {
  if (complaint.status !== 'received' || complaint.escalated) return null;
  const due = Date.parse(complaint.respondBy);
  if (now.getTime() >= due) return 'escalate';
  // `!` rather than `=== null`: complaints filed before the field existed have none.
  if (!complaint.warnedAt && now.getTime() >= due - SLA_WARNING_MS) return 'warn';
  return null;
}

interface SiteStaff {
  site: Site;
  staff: Staff[];
}

/**
 * 投诉时限: two hours before an unanswered complaint's deadline its assignee (or, with none,
 * the site's service agents) is warned, and at the deadline it is escalated to the site's
 * managers: a task and an SMS each. Each step is one transaction conditional on the
 * complaint's version and leaves a mark on it (`warnedAt`, `escalated`), so however often
 * the job runs, and with runs at the same time, it happens once. Only the sparse list of
 * complaints due within the warning window is read.
 */
export async function runSlaJob(ctx: Context): Promise<SlaReport> {
  const now = ctx.clock.now();
  const listed = await ctx.store.listUnanswered(new Date(now.getTime() + SLA_WARNING_MS).toISOString(), LIMIT);
  const report: SlaReport = { job: 'sla', checked: listed.length, warned: 0, escalated: 0 };
  const staffOf = memo(
    (siteId): Promise<SiteStaff> => Promise.all([loadSite(ctx, siteId), activeStaff(ctx, siteId)]).then(([site, staff]) => ({ site, staff })),
  );
  for (const complaint of listed) {
    const done = await actOn(ctx, complaint, now, staffOf);
    if (done === 'warn') report.warned++;
    if (done === 'escalate') report.escalated++;
  }
  return report;
}

/**
 * The listed copy comes from an index that may lag behind, so it is acted on as listed and
 * read again only when its version turns out to have moved (answered, or taken by another run).
 */
async function actOn(ctx: Context, listed: Complaint, now: Date, staffOf: (siteId: string) => Promise<SiteStaff>): Promise<Step | null> {
  let complaint: Complaint | null = listed;
  for (let attempt = 1; complaint && attempt <= TRIES; attempt++) {
    const step = stepFor(complaint, now);
    if (!step) return null;
    try {
      const siteStaff = await staffOf(complaint.siteId);
      if (step === 'warn') await warn(ctx, complaint, now, siteStaff);
      else if (!(await escalate(ctx, complaint, now, siteStaff))) return null;
      return step;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      complaint = await ctx.store.getComplaint(listed.id);
    }
  }
  // Still moving under us: the next run judges it again.
  return null;
}

function slaEntry(ctx: Context, complaint: Complaint, event: string, at: string, details: Record<string, unknown>): ComplaintEntry {
  // Internal: how staff are chased is the company's business, not the owner's timeline.
  return {
    id: ctx.ids.next(),
    complaintId: complaint.id,
    event,
    by: SLA_ACTOR,
    at,
    note: null,
    internal: true,
    fromState: complaint.status,
    toState: complaint.status,
    details,
  };
}

/** Staff with a phone get the SMS; the others still have the timeline entry and, for managers, the task. */
function textsTo(people: Staff[], complaint: Complaint, purpose: SmsPurpose, { site }: SiteStaff, at: string): OutboxMessage[] {
  // The number the customer was given, so that staff and customer speak of the same complaint.
  const values = { complaintId: complaint.number, respondBy: localTime(new Date(complaint.respondBy), site.timezone) };
  return people.flatMap((person) =>
    person.phone
      ? [composeStaffMessage(site, { ...person, phone: person.phone }, complaint.customerId, purpose, `${complaint.id}:${person.id}`, values, at)]
      : [],
  );
}

async function warn(ctx: Context, complaint: Complaint, now: Date, siteStaff: SiteStaff): Promise<void> {
  const at = now.toISOString();
  // The staff are the active ones: an assignee who has left is warned no more, the service agents are, as for a complaint nobody holds.
  const assignee = complaint.assigneeId ? siteStaff.staff.find((s) => s.id === complaint.assigneeId) : undefined;
  const people = assignee ? [assignee] : siteStaff.staff.filter((s) => s.role === 'service');
  const to = people.map((s) => s.id);
  await ctx.store.saveSlaStep({
    complaint: { ...complaint, warnedAt: at, updatedAt: at, version: complaint.version + 1 },
    expectedVersion: complaint.version,
    entry: slaEntry(ctx, complaint, 'sla_warning', at, { respondBy: complaint.respondBy, to }),
    tasks: [],
    messages: textsTo(people, complaint, 'sla_warning', siteStaff, at),
  });
}

/**
 * One transaction holds at most 100 writes: two for the complaint, two per manager. With no
 * active manager (the only one has left) it is not marked, and waits for one: false.
 */
async function escalate(ctx: Context, complaint: Complaint, now: Date, siteStaff: SiteStaff): Promise<boolean> {
  const at = now.toISOString();
  const managers = siteStaff.staff.filter((s) => s.role === 'manager');
  if (managers.length === 0) return false;
  const customer = await ctx.store.getCustomer(complaint.customerId);
  if (!customer) throw new NotFoundError(`customer ${complaint.customerId} of complaint ${complaint.id} not found`);
  const tasks: Task[] = managers.map((m) => ({
    ...openTask(ctx, 'escalation', customer, now, at, m.id),
    id: `escalation:${complaint.id}:${m.id}`,
    complaintId: complaint.id,
  }));
  await ctx.store.saveSlaStep({
    complaint: { ...complaint, escalated: true, updatedAt: at, version: complaint.version + 1 },
    expectedVersion: complaint.version,
    entry: slaEntry(ctx, complaint, 'escalated', at, { respondBy: complaint.respondBy, to: managers.map((m) => m.id), taskIds: tasks.map((t) => t.id) }),
    tasks,
    messages: textsTo(managers, complaint, 'sla_escalation', siteStaff, at),
  });
  return true;
}
