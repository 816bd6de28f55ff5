import { parseOffset } from './calendar.ts';
import { ValidationError, type FieldError } from './errors.ts';
import {
  DESIGNER_LEVELS,
  type CallbackPlanEntry,
  type DesignerFees,
  type FollowUpCadence,
  MILESTONE_FIELDS,
  type MilestoneRule,
  type QuietHours,
} from './model.ts';

/**
 * The ranges a site's settings keep to. A setting is used long after it is saved (a callback
 * offset on every delivery, quiet hours on every SMS), so a value that would fail there is
 * refused when the site is saved, by whatever door it comes in. The API's schema shows the
 * same bounds.
 */
export const SITE_BOUNDS = {
  cadenceDays: { min: 1, max: 365 },
  callbackAttempts: { min: 1, max: 10 },
  callbackCapacity: { min: 1, max: 500 },
  potentialReviewDays: { min: 1, max: 365 },
  careCapCount: { min: 0, max: 100 },
  careCapDays: { min: 1, max: 365 },
  answerHours: { min: 1, max: 720 },
  callbackPlans: 20,
  /** A milestone's call at most a year before the date; all of a customer's milestones fit in the transaction of one change. */
  milestoneDays: { min: 1, max: 365 },
  milestones: 10,
  lossRequestAnswerDays: { min: 1, max: 30 },
  checklistItems: 50,
  checklistItemLength: 64,
  designerFee: { min: 1, max: 100_000 },
  designBudgetPercent: { min: 1, max: 100 },
  matchMargin: { min: 0, max: 100 },
} as const;

/** A plan's name is part of its callbacks' ids (`callback:<deliveryId>:P3M`). */
export const PLAN_NAME = /^[A-Za-z0-9_-]{1,32}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const CADENCE_KEYS = ['firstVisitDays', 'undecidedDays', 'H', 'A', 'B', 'C'] as const;

/**
 * The longest callback offset, P10Y: longer than any warranty a callback follows up on, and
 * far enough from the calendar's end (year 9999) that every delivery day a client can send
 * gets a due day. A month counts as 31 days, so P10Y, P120M and P3720D are the limits.
 */
export const MAX_CALLBACK_OFFSET = 'P10Y';
const MAX_OFFSET_DAYS = 120 * 31;

/** True for a date-only ISO 8601 duration of at most ten years (`P3M`, `P1Y`, `P2W3D`). */
export function isCallbackOffset(offset: string): boolean {
  try {
    const { years, months, weeks, days } = parseOffset(offset);
    return (years * 12 + months) * 31 + weeks * 7 + days <= MAX_OFFSET_DAYS;
  } catch {
    return false;
  }
}

/** The settings of a site that its rules run on, as a site is created or changed with them. */
export interface SiteSettings {
  quietHours?: QuietHours;
  followUpCadence?: Partial<FollowUpCadence>;
  callbackPlan?: CallbackPlanEntry[];
  callbackAttempts?: number;
  callbackCapacity?: number;
  potentialReviewDays?: number;
  milestones?: MilestoneRule[];
  lossRequestAnswerDays?: number;
  smsCareCap?: { count: number; days: number };
  complaintAnswerHours?: { normal: number; urgent: number };
  designerFees?: Partial<DesignerFees>;
  designBudgetPercent?: number;
  matchMargin?: number;
}

type Range = { min: number; max: number };
const inRange = (value: unknown, { min, max }: Range): boolean => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const rangeMessage = ({ min, max }: Range): string => `a whole number from ${min} to ${max}`;

function checkRange(errors: FieldError[], path: string, value: unknown, range: Range): void {
  if (!inRange(value, range)) errors.push({ path, code: 'out_of_range', message: rangeMessage(range), params: { ...range } });
}

function checkPlan(errors: FieldError[], plan: CallbackPlanEntry[]): void {
  if (plan.length > SITE_BOUNDS.callbackPlans)
    errors.push({
      path: 'callbackPlan',
      code: 'too_many',
      message: `at most ${SITE_BOUNDS.callbackPlans} entries`,
      params: { max: SITE_BOUNDS.callbackPlans },
    });
  const names = new Set<string>();
  plan.forEach((entry, i) => {
    const at = `callbackPlan.${i}`;
    if (!PLAN_NAME.test(entry.plan)) errors.push({ path: `${at}.plan`, code: 'invalid_format', message: '1 to 32 letters, digits, - and _' });
    else if (names.has(entry.plan))
      errors.push({ path: `${at}.plan`, code: 'duplicate', message: `'${entry.plan}' is named twice`, params: { value: entry.plan } });
    names.add(entry.plan);
    if (!isCallbackOffset(entry.offset))
      errors.push({
        path: `${at}.offset`,
        code: 'invalid_duration',
        message: `an ISO 8601 date duration of at most ${MAX_CALLBACK_OFFSET}, such as P3M`,
        params: { max: MAX_CALLBACK_OFFSET },
      });
    if (entry.checklist.length > SITE_BOUNDS.checklistItems)
      errors.push({
        path: `${at}.checklist`,
        code: 'too_many',
        message: `at most ${SITE_BOUNDS.checklistItems} items`,
        params: { max: SITE_BOUNDS.checklistItems },
      });
    entry.checklist.forEach((item, j) => {
      if (item.trim() !== item || item.length < 1 || item.length > SITE_BOUNDS.checklistItemLength) {
        errors.push({
          path: `${at}.checklist.${j}`,
          code: 'out_of_range',
          message: `1 to ${SITE_BOUNDS.checklistItemLength} characters, trimmed`,
          params: { min: 1, max: SITE_BOUNDS.checklistItemLength },
        });
      }
    });
  });
}

/** Each (field, daysBefore) once: the pair is part of the task's id, so two would be one task. */
function checkMilestones(errors: FieldError[], rules: MilestoneRule[]): void {
  if (rules.length > SITE_BOUNDS.milestones)
    errors.push({ path: 'milestones', code: 'too_many', message: `at most ${SITE_BOUNDS.milestones} entries`, params: { max: SITE_BOUNDS.milestones } });
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (!(MILESTONE_FIELDS as readonly string[]).includes(rule.field))
      errors.push({
        path: `milestones.${i}.field`,
        code: 'not_allowed',
        message: `expected one of: ${MILESTONE_FIELDS.join(', ')}`,
        params: { values: MILESTONE_FIELDS.join(', ') },
      });
    checkRange(errors, `milestones.${i}.daysBefore`, rule.daysBefore, SITE_BOUNDS.milestoneDays);
    const key = `${rule.field}:${rule.daysBefore}`;
    if (seen.has(key)) errors.push({ path: `milestones.${i}`, code: 'duplicate', message: `'${key}' is named twice`, params: { value: key } });
    seen.add(key);
  });
}

/** Every field error of the settings given, at once; a field left out keeps its saved or default value. */
export function checkSiteSettings(settings: SiteSettings): void {
  const errors: FieldError[] = [];
  const { quietHours, followUpCadence, callbackPlan, callbackAttempts, callbackCapacity, potentialReviewDays, milestones, smsCareCap, complaintAnswerHours } =
    settings;
  const { lossRequestAnswerDays } = settings;
  if (quietHours) {
    for (const end of ['start', 'end'] as const) {
      if (!TIME_OF_DAY.test(quietHours[end])) errors.push({ path: `quietHours.${end}`, code: 'invalid_time', message: 'a time of day, HH:MM' });
    }
  }
  for (const key of CADENCE_KEYS) {
    const days = followUpCadence?.[key];
    if (days !== undefined) checkRange(errors, `followUpCadence.${key}`, days, SITE_BOUNDS.cadenceDays);
  }
  if (callbackPlan) checkPlan(errors, callbackPlan);
  if (callbackAttempts !== undefined) checkRange(errors, 'callbackAttempts', callbackAttempts, SITE_BOUNDS.callbackAttempts);
  if (callbackCapacity !== undefined) checkRange(errors, 'callbackCapacity', callbackCapacity, SITE_BOUNDS.callbackCapacity);
  if (potentialReviewDays !== undefined) checkRange(errors, 'potentialReviewDays', potentialReviewDays, SITE_BOUNDS.potentialReviewDays);
  if (milestones) checkMilestones(errors, milestones);
  if (lossRequestAnswerDays !== undefined) checkRange(errors, 'lossRequestAnswerDays', lossRequestAnswerDays, SITE_BOUNDS.lossRequestAnswerDays);
  if (smsCareCap) {
    checkRange(errors, 'smsCareCap.count', smsCareCap.count, SITE_BOUNDS.careCapCount);
    checkRange(errors, 'smsCareCap.days', smsCareCap.days, SITE_BOUNDS.careCapDays);
  }
  if (complaintAnswerHours) {
    checkRange(errors, 'complaintAnswerHours.normal', complaintAnswerHours.normal, SITE_BOUNDS.answerHours);
    checkRange(errors, 'complaintAnswerHours.urgent', complaintAnswerHours.urgent, SITE_BOUNDS.answerHours);
  }
  for (const level of DESIGNER_LEVELS) {
    const fee = settings.designerFees?.[level];
    if (fee !== undefined) checkRange(errors, `designerFees.${level}`, fee, SITE_BOUNDS.designerFee);
  }
  if (settings.designBudgetPercent !== undefined) checkRange(errors, 'designBudgetPercent', settings.designBudgetPercent, SITE_BOUNDS.designBudgetPercent);
  if (settings.matchMargin !== undefined) checkRange(errors, 'matchMargin', settings.matchMargin, SITE_BOUNDS.matchMargin);
  if (errors.length) throw new ValidationError('a site setting is out of range', errors);
}
