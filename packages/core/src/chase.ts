import { addSiteDays, nextFollowUpDue } from './cadence.ts';
import type { IntentLevel, LeadType, Site } from './model.ts';

/**
 * Lead types that change behaviour (004): a potential lead knows the brand and has no need
 * yet, so it is watched, not chased. The customer's one open chasing task is a follow-up, or
 * for a potential lead a review. Every door (the desk, the import, a contact, an edit) asks
 * here, so the rule is written once.
 */
export type ChaseKind = 'follow_up' | 'review';

export function chaseKindOf(leadType: LeadType): ChaseKind {
  return leadType === 'potential' ? 'review' : 'follow_up';
}

/** The next review of a watched lead: the site's period from now, whatever the contact's outcome. */
export function nextReviewDue(now: Date, site: Pick<Site, 'potentialReviewDays' | 'timezone'>): Date {
  return addSiteDays(now, site.potentialReviewDays, site.timezone);
}

/** The chasing task a lead gets when its type changes: a review by the period, a follow-up by the level's cadence. */
export function chaseOnTypeChange(now: Date, site: Site, leadType: LeadType, level: IntentLevel | null): { kind: ChaseKind; dueAt: Date } {
  const kind = chaseKindOf(leadType);
  return { kind, dueAt: kind === 'review' ? nextReviewDue(now, site) : nextFollowUpDue(now, site.followUpCadence, level, site.timezone) };
}
