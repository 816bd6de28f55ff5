/** The records Guanjia keeps. Times are ISO instants (UTC, `Z`); days are `YYYY-MM-DD` in the site's zone. */

import type { ComplaintState } from './complaint-states.ts';

export const ROLES = ['admin', 'manager', 'sales', 'service', 'owner'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['manager', 'sales', 'service'] as const;
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
  /** Hours to answer a complaint, by severity (002: within 24 hours). */
  complaintAnswerHours: { normal: number; urgent: number };
  /** At most `count` care messages to one customer in `days` days. */
  smsCareCap: { count: number; days: number };
  /** The site's own texts by purpose; a purpose not here uses the default text. */
  smsTemplates: Record<string, string>;
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

export const STAGES = ['lead', 'customer', 'owner'] as const;
export type Stage = (typeof STAGES)[number];
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
  /** The one open follow-up task, so that an interaction can close it without a search. */
  openFollowUpId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
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

export const TASK_KINDS = ['follow_up', 'callback', 'repair_callback', 'escalation'] as const;
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
}

/** What every task has, whatever its kind. */
export interface TaskRecord {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  siteId: string;
  customerId: string;
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
  /** The plan entry (`P3M`, or `repair`) and the site day the call is due. */
  plan: string;
  dueOn: string;
  /** The handover a callback follows. */
  deliveryId: string;
  /** The complaint a repair callback or an escalation belongs to. */
  complaintId: string;
  /** What a callback checks. */
  checklist: string[];
}
type WithDetails<K extends TaskKind, Has extends keyof TaskDetails> = TaskRecord & { kind: K } & Pick<TaskDetails, Has> & {
    [D in Exclude<keyof TaskDetails, Has>]: null;
  };

/** A sales rep's next contact with a lead. */
export type FollowUpTask = WithDetails<'follow_up', never>;
/** A call of a delivery's callback plan. */
export type CallbackTask = WithDetails<'callback', 'plan' | 'dueOn' | 'deliveryId' | 'checklist'>;
/** The call that asks the owner whether a resolved repair holds. */
export type RepairCallbackTask = WithDetails<'repair_callback', 'plan' | 'dueOn' | 'complaintId'>;
/** A manager's task when a complaint's answer is overdue. */
export type EscalationTask = WithDetails<'escalation', 'complaintId'>;
export type Task = FollowUpTask | CallbackTask | RepairCallbackTask | EscalationTask;

export const ASSET_KINDS = ['home', 'car', 'installation', 'product'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** A handover (交付): what was delivered and on which site day; callbacks count from it. */
export interface Delivery {
  id: string;
  customerId: string;
  siteId: string;
  asset: { kind: AssetKind; label: string };
  deliveredOn: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export const CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** 碰车: a rep other than the owner received a known customer. Settled by a manager. */
export interface Conflict {
  id: string;
  siteId: string;
  customerId: string;
  /** Owner when the conflict was opened. */
  ownerId: string;
  claimantId: string;
  receptionId: string;
  status: ConflictStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  decidedOwnerId: string | null;
}

/** Consent is the phone's, company-wide, and kept as a history: never overwritten. */
export interface ConsentRecord {
  phone: string;
  granted: boolean;
  source: string;
  by: string;
  at: string;
}

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  state: 'pending' | 'done';
  status?: number;
  body?: string;
  contentType?: string;
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the record after this. */
  expiresAt: number;
}

export const SMS_STATES = ['queued', 'sending', 'sent', 'failed', 'suppressed', 'deferred'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/**
 * An SMS in the outbox. It is written in the same transaction as the fact that causes it,
 * under a deterministic id, and moves `queued → sending → sent | failed`, or to `deferred`
 * (quiet hours) or `suppressed` (no consent, over the cap); every move is kept in `history`.
 */
export interface OutboxMessage {
  id: string;
  purpose: string;
  kind: 'notice' | 'care';
  state: SmsState;
  siteId: string;
  /** The customer it is about, whose messages list it; for a message to staff too. */
  customerId: string;
  /** Set when it goes to a staff member's phone (SLA warnings and escalations), not the customer's. */
  staffId?: string;
  to: string;
  body: string;
  parts: number;
  createdAt: string;
  updatedAt: string;
  /** Deferred: not before this instant (the end of quiet hours). */
  sendAfter: string | null;
  sentAt: string | null;
  reason: string | null;
  providerId: string | null;
  history: { state: SmsState; at: string; reason?: string }[];
  version: number;
}

/** What a scheduled job remembers: the last day it finished, so that it can catch up. */
export interface JobState {
  job: string;
  lastDay: string | null;
  lastRunAt: string;
  version: number;
}

/** A site's fair-turn counter for handing out work (callbacks to service agents). */
export interface Turn {
  siteId: string;
  rotation: string;
  turn: number;
  version: number;
}

/** A care text for every customer of a stage at a site, queued by the care job on its day. */
export interface Campaign {
  id: string;
  siteId: string;
  name: string;
  /** The site day it goes out. */
  sendOn: string;
  template: string;
  audience: { stage: Stage };
  createdAt: string;
  createdBy: string;
  version: number;
}

export const COMPLAINT_CATEGORIES = ['quality', 'repair', 'service', 'sales', 'property', 'billing', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_CHANNELS = ['hotline', 'mini_program', 'web', 'on_site', 'callback'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const SEVERITIES = ['normal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Who did something: a staff member by id, the owner (by their principal's sub), or a job (`sla`). */
export interface Actor {
  kind: 'staff' | 'owner' | 'system';
  id: string;
}

export interface Complaint {
  id: string;
  /** 投诉编号, quoted on the phone and in the SMS: digits only, at most ten, unique company-wide. */
  number: string;
  siteId: string;
  customerId: string;
  deliveryId: string | null;
  /** A callback whose findings opened this complaint. */
  callbackId: string | null;
  category: ComplaintCategory;
  severity: Severity;
  channel: ComplaintChannel;
  description: string;
  status: ComplaintState;
  assigneeId: string | null;
  filedBy: Actor;
  /** Created + the site's answer window; the first response stops the clock. */
  respondBy: string;
  respondedAt: string | null;
  responseMinutes: number | null;
  escalated: boolean;
  /** When the SLA job warned that the deadline was near: set once, so it warns once. */
  warnedAt: string | null;
  satisfaction: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One entry of a complaint's append-only timeline; a refused step is kept too. */
export interface ComplaintEntry {
  id: string;
  complaintId: string;
  /** What was done: `received`, or the event (`respond`, `assign`, ...). */
  event: string;
  by: Actor;
  at: string;
  note: string | null;
  /** Staff-only notes never reach the owner. */
  internal: boolean;
  fromState: ComplaintState;
  toState: ComplaintState;
  details: Record<string, unknown>;
}
