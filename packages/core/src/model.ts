import type { Stage } from './stages.ts';

/** The records Guanjia keeps. Times are ISO instants (UTC, `Z`); days are `YYYY-MM-DD` in the site's zone. */

export const ROLES = ['admin', 'manager', 'sales', 'service', 'designer', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['manager', 'sales', 'service', 'designer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Principal {
  sub: string;
  role: Role;
  /** Site ids the staff member works at; empty for admins and owners. */
  sites: string[];
  /** E.164; owners only. */
  phone?: string;
  /** Who vouched for the token (its `iss`): a sub is only unique within one issuer. */
  issuer?: string;
}

export const SITE_KINDS = ['real_estate', 'auto', 'decoration', 'flooring', 'retail'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const INTENT_LEVELS = ['H', 'A', 'B', 'C'] as const;
export type IntentLevel = (typeof INTENT_LEVELS)[number];

/** Days between follow-ups. `undecided` applies while no intent level is known (twice a week, 000). */
export interface FollowUpCadence {
  firstVisitDays: number;
  undecidedDays: number;
  H: number;
  A: number;
  B: number;
  C: number;
}

export interface QuietHours {
  start: string;
  end: string;
}

export interface CallbackPlanEntry {
  plan: string;
  /** ISO 8601 duration from the delivery date, e.g. `P3M`. */
  offset: string;
  checklist: string[];
}

/** The needs dates a site may chase by (004: a flooring lead is chased by their renovation's progress). */
export const MILESTONE_FIELDS = ['installDate', 'handoverDate'] as const;
export type MilestoneField = (typeof MILESTONE_FIELDS)[number];

/** A call this many days before the customer's date, beside the follow-ups. */
export interface MilestoneRule {
  field: MilestoneField;
  daysBefore: number;
}

export interface Site {
  id: string;
  name: string;
  kind: SiteKind;
  timezone: string;
  smsSignature: string;
  quietHours: QuietHours;
  followUpCadence: FollowUpCadence;
  callbackPlan: CallbackPlanEntry[];
  /** Unreached calls before a callback closes as unreached. */
  callbackAttempts: number;
  /** Callbacks the callbacks job gives each service agent in a day, at most. */
  callbackCapacity: number;
  /** Days between the reviews of a potential lead, who is watched, not chased (004). */
  potentialReviewDays: number;
  /** Calls timed by the customer's own dates (`needs.installDate`, `needs.handoverDate`). */
  milestones: MilestoneRule[];
  /** Site days a loss request may wait for a manager before it becomes a task for each of them. */
  lossRequestAnswerDays: number;
  /** Hours to answer a complaint, by severity (002: within 24 hours). */
  complaintAnswerHours: { normal: number; urgent: number };
  /** At most `count` care messages to one customer in `days` days. */
  smsCareCap: { count: number; days: number };
  /** The site's own texts by purpose; a purpose not here uses the default text. */
  smsTemplates: Record<string, string>;
  /** Yuan per m² of each designer level (decoration, 000). */
  designerFees: import('./model-designers.ts').DesignerFees;
  /** The share of a customer's budget, in percent, that the design fee may take. */
  designBudgetPercent: number;
  /** Match scores this close (points of 100) are equal, and the less loaded designer goes first (效率优先、兼顾公平). */
  matchMargin: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Staff {
  siteId: string;
  id: string;
  name: string;
  role: StaffRole;
  phone: string | null;
  createdAt: string;
  /** When a manager deactivated them (离职), and who: their tokens are refused from then on. Absent while active. */
  deactivatedAt?: string | null;
  deactivatedBy?: string | null;
}

/** The on-duty reception rotation of a site: whose turn it is is `staffIds[turn % length]`. */
export interface Duty {
  siteId: string;
  staffIds: string[];
  turn: number;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export const LEAD_TYPES = ['direct', 'key_person', 'potential'] as const;
export type LeadType = (typeof LEAD_TYPES)[number];
export const INTAKE_CHANNELS = ['walk_in', 'phone', 'referral', 'event', 'partner', 'sweep', 'online'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const INTERACTION_CHANNELS = ['call', 'visit', 'walk_in', 'sms', 'wechat'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export interface Needs {
  project?: string;
  area?: number;
  budget?: number;
  layout?: string;
  handoverDate?: string;
  householdSize?: number;
  model?: string;
  quantity?: number;
  installDate?: string;
  notes?: string;
}

export interface Customer {
  id: string;
  siteId: string;
  name: string;
  phone: string;
  ownerId: string;
  stage: Stage;
  leadType: LeadType;
  intentLevel: IntentLevel | null;
  channel: IntakeChannel;
  needs: Needs;
  birthday: string | null;
  smsConsent: boolean;
  note: string | null;
  /**
   * The one open chasing task, so that an interaction can close it without a search: a
   * follow-up, or for a potential lead the periodic review that watches it instead.
   */
  openFollowUpId: string | null;
  /** A rep's pending request to mark the lead lost, for a manager to decide; absent on customers saved before requests were kept. */
  lossRequest?: LossRequest | null;
  /** The last decision on such a request, so that the rep sees why the lead was lost or sent back. */
  lossDecision?: LossDecision | null;
  /** The designer assigned to the customer (decoration, 000); absent on customers saved before designers were matched. */
  designerId?: string | null;
  /** Who assigned that designer and when, so that a later question of why has an answer. */
  designerDecision?: { decidedBy: string; at: string } | null;
  /** When the customer signed the design agreement (设计协议, 000) at a closed loop; absent until then. */
  designAgreementAt?: string | null;
  /**
   * The customer (a key person, 关键人, 004) who brought this one, named at the intake; absent
   * on customers saved before referrals were kept and on those nobody brought.
   */
  referredBy?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Losing a lead (战败) needs a manager (dealer practice): the rep asks, with the reason. */
export interface LossRequest {
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** Set once the request waited too long and became a task for each manager (the tasks' ids): so that it happens once. */
  escalation?: { at: string; taskIds: string[] } | null;
}

export interface LossDecision extends LossRequest {
  outcome: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: string;
  note: string | null;
}

export interface Reception {
  id: string;
  customerId: string;
  siteId: string;
  receivedBy: string;
  channel: IntakeChannel;
  /** What the customer gave at this reception: kept as entered, so nothing a rep typed is lost. */
  name: string;
  needs: Needs;
  note: string | null;
  conflictId: string | null;
  at: string;
}

export interface Interaction {
  id: string;
  customerId: string;
  siteId: string;
  staffId: string;
  channel: InteractionChannel;
  summary: string;
  intentLevel: IntentLevel | null;
  nextFollowUpAt: string | null;
  /** The follow-up task this interaction closed, if any. */
  taskId: string | null;
  at: string;
}

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
  closeLoop?: import('./model-designers.ts').CloseLoopAnswers | null;
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

export * from './model-after-sale.ts';
export * from './model-designers.ts';
export * from './stages.ts';
