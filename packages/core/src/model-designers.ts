/** Designers and their matching to home-decoration customers (000: 推荐设计师). */

/** 普通 / 优秀 / 副主任 / 主任, lowest first. */
export const DESIGNER_LEVELS = ['standard', 'excellent', 'deputy_chief', 'chief'] as const;
export type DesignerLevel = (typeof DESIGNER_LEVELS)[number];

/** Yuan per m² of each level; a site sets its own (000: 30 / 60 / 120 / 200). */
export type DesignerFees = Record<DesignerLevel, number>;

/**
 * A staff member's matching profile, one item per designer under the site, so that a match
 * reads every candidate with one Query. `recent` holds the instants of the designer's
 * assignments in the last 365 days (older ones are dropped when the next is added): the
 * load a match weighs, read with the profile instead of by a request per designer.
 */
export interface DesignerProfile {
  siteId: string;
  staffId: string;
  /** Copied from the staff record, so that a candidate list needs no other read. */
  name: string;
  level: DesignerLevel;
  styles: string[];
  /** Customers a year the designer takes at most (000: a 副主任 serves no more than 15). */
  capacityPerYear: number;
  languages: string[];
  notes: string | null;
  recent: string[];
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** One assignment of a designer to a customer, kept under the designer: who decided and when. */
export interface DesignerAssignment {
  siteId: string;
  staffId: string;
  customerId: string;
  decidedBy: string;
  at: string;
}

/** Why a candidate stands where it does: a stable code and the values a sentence is said with. */
export interface MatchReason {
  code:
    | 'fee_within_budget'
    | 'fee_over_budget'
    | 'fee_unknown'
    | 'style_match'
    | 'style_no_match'
    | 'style_not_asked'
    | 'capacity_left'
    | 'capacity_full'
    | 'fewer_assignments';
  params: Record<string, string | number>;
}

export interface MatchCandidate {
  staffId: string;
  name: string;
  level: DesignerLevel;
  score: number;
  feePerM2: number;
  /** area × fee per m², null when the customer's area is not known. */
  fee: number | null;
  remaining: number;
  assignmentsLastYear: number;
  reasons: MatchReason[];
}

/** What the rep asks after the designer meeting (闭环, 000), and what comes of it. */
export const CLOSE_LOOP_NEXT = ['sign_design_agreement', 'second_visit'] as const;
export type CloseLoopNext = (typeof CLOSE_LOOP_NEXT)[number];

export interface CloseLoopAnswers {
  satisfiedDesigner: boolean;
  satisfiedWork: boolean;
  satisfiedIdea: boolean;
  budgetClear: boolean;
  next: CloseLoopNext;
  /** The time agreed for the second visit; only with `second_visit`. */
  secondVisitAt?: string;
}
