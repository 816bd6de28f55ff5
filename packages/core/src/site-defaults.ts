import type { CallbackPlanEntry, DesignerFees, DesignerLevel, MilestoneRule, QuietHours } from './model.ts';

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
/** A callback that reaches nobody is tried on three days before it closes as unreached. */
export const DEFAULT_CALLBACK_ATTEMPTS = 3;
/** About a working day of calls for one agent: a few minutes each, with notes, between other work. */
export const DEFAULT_CALLBACK_CAPACITY = 40;

/** A potential lead is looked at once a quarter: often enough to notice a need, never a chase. */
export const DEFAULT_POTENTIAL_REVIEW_DAYS = 90;

/** Care messages are welcome when they are rare: at most 4 in 30 days to one customer. */
export const DEFAULT_SMS_CARE_CAP = { count: 4, days: 30 };

/** 002: every problem answered within 24 hours; an urgent one within 4. */
export const DEFAULT_ANSWER_HOURS = { normal: 24, urgent: 4 };

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '09:00' };

/** 001's "6+2 steps": the living check three months after move-in, the inspection after a year. */
export const DEFAULT_CALLBACK_PLAN: CallbackPlanEntry[] = [
  { plan: 'P3M', offset: 'P3M', checklist: ['problems_to_solve', 'quality_inspection_offer', 'product_opinion', 'service_opinion'] },
  { plan: 'P1Y', offset: 'P1Y', checklist: ['hardware_fittings', 'drainage', 'electrical_safety', 'gas_safety'] },
];

export function isTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** 000's fees per m²: 普通 30, 优秀 60, 副主任 120, 主任 200 yuan. */
export const DEFAULT_DESIGNER_FEES: DesignerFees = { standard: 30, excellent: 60, deputy_chief: 120, chief: 200 };

/** Design commonly takes about a tenth of a renovation budget. */
export const DEFAULT_DESIGN_BUDGET_PERCENT = 10;

/** Five points of a hundred: closer than that, two designers fit the customer alike. */
export const DEFAULT_MATCH_MARGIN = 5;

/**
 * Customers a year by level: 000 says a 副主任 serves at most 15 a year, with large homes;
 * the top level takes as few, and lower levels, with smaller jobs, more.
 */
export const DEFAULT_CAPACITY: Record<DesignerLevel, number> = { standard: 40, excellent: 30, deputy_chief: 15, chief: 15 };

/** A rep's request to mark a lead lost waits two site days for a manager before it is put on their lists. */
export const DEFAULT_LOSS_REQUEST_ANSWER_DAYS = 2;

/** The example of the issue: a month and a week before an installation, two weeks before a handover. */
export const DEFAULT_MILESTONES: MilestoneRule[] = [
  { field: 'installDate', daysBefore: 30 },
  { field: 'installDate', daysBefore: 7 },
  { field: 'handoverDate', daysBefore: 14 },
];
