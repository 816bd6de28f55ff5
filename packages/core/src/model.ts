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
  /**
   * When that task falls due, kept beside the pointer so that a contact can close the task
   * without reading it; the close holds it by its condition, so a stale copy costs a read,
   * never a wrong close. Absent on customers saved before it was kept. Not shown to clients.
   */
  openFollowUpDueAt?: string | null;
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

export * from './model-after-sale.ts';
export * from './model-tasks.ts';
export * from './model-designers.ts';
export * from './stages.ts';
