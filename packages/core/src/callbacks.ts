import type { Context } from './context.ts';
import { nextCallbackSlot } from './callback-time.ts';
import { nextComplaintState } from './complaint-states.ts';
import { complaintEntry, complaintsFromCallback } from './complaints.ts';
import { ValidationError, VersionConflictError } from './errors.ts';
import { announcementPurpose } from './jobs/callbacks-job.ts';
import {
  COMPLAINT_CATEGORIES,
  type CloseLoopAnswers,
  type Complaint,
  type ComplaintCategory,
  type InteractionChannel,
  type FollowUpTask,
  type ReviewTask,
  type Principal,
  type Task,
  type TaskOutcome,
} from './model.ts';
import { messageId, withdrawn } from './outbox.ts';
import { callbackClosedFigures } from './reports/service-figures.ts';
import { loadSite } from './sites.ts';

/**
 * A callback's outcome. Reaching nobody keeps it open for the next site day until the site's
 * attempt limit, then it closes as unreached; everything the agent found is kept on it.
 */
export async function completeCallback(
  ctx: Context,
  principal: Principal,
  task: Exclude<Task, FollowUpTask | ReviewTask>,
  input: CompletionInput,
): Promise<{ task: Task; complaints: Complaint[] }> {
  const unknown = Object.keys(input.checklist ?? {}).filter((item) => !(task.checklist ?? []).includes(item));
  if (unknown.length) {
    throw new ValidationError(
      "not on this callback's checklist",
      unknown.map((item) => ({
        path: `checklist.${item}`,
        code: 'not_on_checklist' as const,
        message: `expected one of: ${(task.checklist ?? []).join(', ')}`,
        params: { values: (task.checklist ?? []).join(', ') },
      })),
    );
  }
  if (input.outcome !== 'reached' && (input.checklist || input.satisfaction !== undefined)) {
    throw new ValidationError('only a reached callback has findings', [
      { path: 'outcome', code: 'needs_reached', message: 'checklist and satisfaction need outcome reached' },
    ]);
  }
  const issues = input.issues ?? [];
  const badCategory = issues.findIndex((i) => !(COMPLAINT_CATEGORIES as readonly string[]).includes(i.category));
  if (badCategory >= 0)
    throw new ValidationError('not a complaint category', [
      {
        path: `issues.${badCategory}.category`,
        code: 'not_allowed',
        message: `expected one of: ${COMPLAINT_CATEGORIES.join(', ')}`,
        params: { values: COMPLAINT_CATEGORIES.join(', ') },
      },
    ]);
  if (issues.length && input.outcome !== 'reached')
    throw new ValidationError('only a reached callback has findings', [{ path: 'issues', code: 'needs_reached', message: 'issues need outcome reached' }]);
  const site = await loadSite(ctx, task.siteId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const attempts = task.attempts + (input.outcome === 'unreachable' ? 1 : 0);
  let next: Task;
  // An escalation is the manager's own task: nobody is called, so there is nothing to retry. A
  // milestone unreached closes too: the follow-up beside it keeps chasing the customer.
  const retried = task.kind === 'callback' || task.kind === 'repair_callback';
  if (input.outcome === 'unreachable' && attempts < site.callbackAttempts && retried) {
    const { dueOn, dueAt } = nextCallbackSlot(now, site.timezone);
    next = { ...task, attempts, dueOn, dueAt: dueAt.toISOString(), note: input.note ?? task.note, version: task.version + 1 };
  } else {
    next = {
      ...task,
      status: 'done',
      outcome: input.outcome,
      attempts,
      note: input.note ?? null,
      result: { checklist: input.checklist ?? {}, satisfaction: input.satisfaction ?? null, issues: input.issues ?? [] },
      closedAt: at,
      closedBy: principal.sub,
      version: task.version + 1,
    };
  }
  const figures = callbackClosedFigures(task, next, principal, now, site.timezone);
  const complaint = task.kind === 'repair_callback' ? await ratedRepair(ctx, principal, task, input, at) : null;
  for (let tries = 1; ; tries++) {
    const withdrawal = retried && next.status !== 'open' ? await withdrawnAnnouncement(ctx, task, at) : null;
    try {
      if (task.kind === 'repair_callback') {
        await ctx.store.completeRepairCallback({ task: next, expectedVersion: task.version, complaint, figures, withdrawn: withdrawal });
      } else {
        await ctx.store.closeCallback({ task: next, expectedVersion: task.version, figures, withdrawn: withdrawal });
      }
      break;
    } catch (error) {
      // A dispatcher took the announcement (or the outbox job released it) between the read and
      // the write: read it again, and close without it once it has left.
      const lostTheMessage = withdrawal !== null && error instanceof VersionConflictError && error.details?.id === withdrawal.message.id;
      if (!lostTheMessage || tries >= 4) throw error;
    }
  }
  // The agent is told which complaints their findings opened (the numbers to quote to the owner).
  const complaints = issues.length ? await complaintsFromCallback(ctx, principal, next, issues as { category: ComplaintCategory; description: string }[]) : [];
  return { task: next, complaints };
}

/**
 * The SMS that told the owner this callback is coming (its id names the task), withdrawn as the
 * callback closes if it has not left yet: sent after the call (say, deferred by quiet hours
 * and the call made at night) it would tell the owner of a call that has happened. One strong
 * read, on closing only; the dispatcher, which sends only what is queued, reads nothing more.
 */
async function withdrawnAnnouncement(ctx: Context, task: Task, at: string) {
  return withdrawn(await ctx.store.getMessage(messageId(announcementPurpose(task), task.id)), 'callback_closed', at);
}

/**
 * The owner's rating of a repair decides its complaint: a good one (3 to 5) closes it, a
 * poor one (1 or 2) reopens it, in the same transaction as the callback.
 */
async function ratedRepair(ctx: Context, principal: Principal, task: Task, input: CompletionInput, at: string) {
  if (input.outcome !== 'reached' || input.satisfaction === undefined || !task.complaintId) return null;
  const complaint = await ctx.store.getComplaint(task.complaintId);
  if (complaint?.status !== 'resolved') return null;
  const event = input.satisfaction <= 2 ? 'reopen' : 'close';
  const status = nextComplaintState(complaint.status, event);
  const updated: Complaint = { ...complaint, status, satisfaction: input.satisfaction, updatedAt: at, version: complaint.version + 1 };
  // The agent's note stays on the callback: the entry is the owner's to read, and a staff note is internal.
  const entry = complaintEntry(ctx, complaint, principal, event, status, at, {
    note: null,
    details: { satisfaction: input.satisfaction, callbackId: task.id },
  });
  return { complaint: updated, expectedVersion: complaint.version, entry };
}

/** How a task was closed: what the agent heard, and for a callback what they checked and found. */
export interface CompletionInput {
  outcome: TaskOutcome;
  note?: string;
  satisfaction?: number;
  checklist?: Record<string, 'ok' | 'issue' | 'n_a'>;
  issues?: { category: string; description: string }[];
  /** How the follow-up was made; a call unless said otherwise. */
  channel?: InteractionChannel;
  /** A close_loop task's answers and what comes next (闭环, 000); no other kind takes them. */
  closeLoop?: CloseLoopAnswers;
}
