/** Tasks: what someone has to do for a customer, by when; one record shape for every kind. */

import type { CloseLoopAnswers } from './model-designers.ts';

export const TASK_KINDS = ['follow_up', 'review', 'callback', 'repair_callback', 'escalation', 'milestone', 'loss_escalation', 'close_loop'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_OUTCOMES = ['reached', 'unreachable', 'declined'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export const CHECK_RESULTS = ['ok', 'issue', 'n_a'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** What a callback found: kept with the task, so nothing the agent recorded is lost. */
export interface CallbackResult {
  checklist: Record<string, CheckResult>;
  satisfaction: number | null;
  issues: { category: string; description: string }[];
  /** A closed loop's answers (闭环, 000); null or absent on every other kind. */
  closeLoop?: CloseLoopAnswers | null;
}

/** What every task has, whatever its kind. */
export interface TaskRecord {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  siteId: string;
  customerId: string;
  /**
   * Copies of the customer's name and phone, so that a work list is one Query with whom to
   * call and at what number. Written when the task opens and kept true on an open task when
   * the customer's change; null on a task written before they were carried.
   */
  customerName: string | null;
  customerPhone: string | null;
  /** Null for a callback until the callbacks job gives it to a service agent. */
  assigneeId: string | null;
  dueAt: string;
  createdAt: string;
  outcome: TaskOutcome | null;
  note: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** Calls that reached nobody so far. */
  attempts: number;
  result: CallbackResult | null;
  version: number;
}

/**
 * What only some kinds have. A kind without a detail holds null there, as the item is
 * stored and the task served, so the shape is the same for every kind.
 */
interface TaskDetails {
  /** The plan entry (`P3M`, `repair`, or a milestone's `installDate-30`) and the site day the call is due. */
  plan: string;
  dueOn: string;
  /** The handover a callback follows. */
  deliveryId: string;
  /** The complaint a repair callback or an escalation belongs to. */
  complaintId: string;
  /** What a callback checks. */
  checklist: string[];
  /** The handed-over asset a callback is about (the home, the car), copied from its delivery for the list. */
  assetLabel: string;
}
type WithDetails<K extends TaskKind, Has extends keyof TaskDetails> = TaskRecord & { kind: K } & Pick<TaskDetails, Has> & {
    [D in Exclude<keyof TaskDetails, Has>]: null;
  };

/** A sales rep's next contact with a lead. */
export type FollowUpTask = WithDetails<'follow_up', never>;
/** A light periodic look at a potential lead, in place of a follow-up: watched, not chased (004). */
export type ReviewTask = WithDetails<'review', never>;
/** A call of a delivery's callback plan. */
export type CallbackTask = WithDetails<'callback', 'plan' | 'dueOn' | 'deliveryId' | 'checklist' | 'assetLabel'>;
/** The call that asks the owner whether a resolved repair holds. */
export type RepairCallbackTask = WithDetails<'repair_callback', 'plan' | 'dueOn' | 'complaintId'>;
/** A manager's task when a complaint's answer is overdue. */
export type EscalationTask = WithDetails<'escalation', 'complaintId'>;
/** A call timed by a date in the customer's needs (30 days before the installation), beside the follow-up. */
export type MilestoneTask = WithDetails<'milestone', 'plan' | 'dueOn'>;
/** A manager's task when a rep's request to mark a lead lost waited past the site's answer days. */
export type LossEscalationTask = WithDetails<'loss_escalation', never>;
/** The rep's 闭环 after a designer meeting (000), due that site day, beside the follow-up; `dueOn` is the meeting's day. */
export type CloseLoopTask = WithDetails<'close_loop', 'dueOn'>;
export type Task = FollowUpTask | ReviewTask | CallbackTask | RepairCallbackTask | EscalationTask | MilestoneTask | LossEscalationTask | CloseLoopTask;
