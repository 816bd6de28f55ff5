import { siteDay } from '../calendar.ts';
import type { Complaint, Principal, Task } from '../model.ts';
import { type FigureChange, merged } from './figures.ts';

/**
 * Who a fact's service figures count for when no staff member made it (an owner filing or
 * closing a complaint): they count for the site, never in a staff member's row.
 */
export const NO_STAFF = '-';

const staffOf = (principal: Principal): string => (principal.role === 'owner' ? NO_STAFF : principal.sub);

/** The callbacks the service report counts; an escalation is a manager's own task, not a call. */
const isCallback = (task: Task): boolean => task.kind === 'callback' || task.kind === 'repair_callback';

/** A score of 4 or 5 is a satisfied one (满意率). */
const scoreFigures = (score: number): FigureChange['add'] => ({ satisfactionCount: 1, satisfactionSum: score, satisfied: score >= 4 ? 1 : 0 });

/** A callback counts as due for its agent on the day it is given to them. */
export function callbackGivenFigures(task: Task, now: Date, timezone: string): FigureChange[] {
  if (!isCallback(task) || task.assigneeId === null) return [];
  return [{ siteId: task.siteId, day: siteDay(now, timezone), staffId: task.assigneeId, add: { callbacksDue: 1 } }];
}

/**
 * A callback counts as done when it closes: reached, declined, or unreached after the last
 * attempt (an unreached call with attempts left stays open and counts nothing yet). The
 * owner's score on a reached call counts for the agent who made it. One closed before anyone
 * was given it (worked ahead of the callbacks job) is given to whoever closed it as they do:
 * it counts as due then, since the job will never give it, so no call is done without being due.
 */
export function callbackClosedFigures(before: Task, after: Task, by: Principal, now: Date, timezone: string): FigureChange[] {
  if (!isCallback(after) || before.status === 'done' || after.status !== 'done') return [];
  const add: FigureChange['add'] = before.assigneeId === null ? { callbacksDue: 1, callbacksDone: 1 } : { callbacksDone: 1 };
  if (after.outcome === 'reached') add.callbacksReached = 1;
  if (after.outcome === 'unreachable') add.callbacksUnreached = 1;
  const score = after.result?.satisfaction;
  if (typeof score === 'number') Object.assign(add, scoreFigures(score));
  return [{ siteId: after.siteId, day: siteDay(now, timezone), staffId: staffOf(by), add }];
}

/** A complaint counts as filed, for whoever filed it, on the day it was received. */
export function complaintFiledFigures(complaint: Complaint, by: Principal, timezone: string): FigureChange[] {
  return [{ siteId: complaint.siteId, day: siteDay(new Date(complaint.createdAt), timezone), staffId: staffOf(by), add: { complaintsFiled: 1 } }];
}

/**
 * A complaint's first answer counts for whoever gave it, in the window when it came by the
 * deadline, with its minutes from receipt; a score given on closing counts for the
 * complaint's assignee (whoever closed it when it has none).
 */
export function complaintStepFigures(before: Complaint, after: Complaint, by: Principal, now: Date, timezone: string): FigureChange[] {
  const day = siteDay(now, timezone);
  const changes: FigureChange[] = [];
  if (before.respondedAt === null && after.respondedAt !== null) {
    changes.push({
      siteId: after.siteId,
      day,
      staffId: staffOf(by),
      add: { complaintsAnswered: 1, complaintsAnsweredInWindow: after.respondedAt <= after.respondBy ? 1 : 0, responseMinutes: after.responseMinutes ?? 0 },
    });
  }
  if (before.status !== 'closed' && after.status === 'closed' && after.satisfaction !== null) {
    changes.push({ siteId: after.siteId, day, staffId: after.assigneeId ?? staffOf(by), add: scoreFigures(after.satisfaction) });
  }
  return merged(changes);
}
