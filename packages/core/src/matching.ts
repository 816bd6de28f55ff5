import type { Customer, DesignerProfile, MatchCandidate, MatchReason, Site } from './model.ts';

/** The window a designer's load and yearly capacity are counted over. */
export const LOAD_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

/** A designer's assignments within the window ending at `now`. */
export const recentAssignments = (profile: DesignerProfile, now: Date): string[] => {
  const since = new Date(now.getTime() - LOAD_WINDOW_DAYS * DAY_MS).toISOString();
  return profile.recent.filter((at) => at > since);
};

/*
 * Points of a hundred: the fee against the design budget weighs most (000 names the
 * customer's spending power first), then style, then room in the designer's year.
 */
const BUDGET_POINTS = 50;
const STYLE_POINTS = 30;
const CAPACITY_POINTS = 20;

interface Scored extends MatchCandidate {
  rawScore: number;
}

function budgetPart(customer: Customer, site: Site, feePerM2: number): { points: number; fee: number | null; reason: MatchReason } {
  const area = customer.needs.area;
  const budget = customer.needs.budget;
  if (area === undefined || budget === undefined) {
    return { points: BUDGET_POINTS / 2, fee: area === undefined ? null : area * feePerM2, reason: { code: 'fee_unknown', params: { feePerM2 } } };
  }
  const fee = Math.round(area * feePerM2);
  const designBudget = Math.round((budget * site.designBudgetPercent) / 100);
  const params = { area, feePerM2, fee, designBudget };
  if (fee > designBudget) return { points: 0, fee, reason: { code: 'fee_over_budget', params } };
  // Within the budget the better designer the customer can afford scores higher (效率优先).
  const share = designBudget === 0 ? 0 : fee / designBudget;
  return { points: BUDGET_POINTS / 2 + (BUDGET_POINTS / 2) * share, fee, reason: { code: 'fee_within_budget', params } };
}

function stylePart(asked: string[], profile: DesignerProfile): { points: number; reason: MatchReason } {
  if (asked.length === 0) return { points: STYLE_POINTS / 2, reason: { code: 'style_not_asked', params: {} } };
  const theirs = new Set(profile.styles.map((s) => s.toLowerCase()));
  const shared = asked.filter((s) => theirs.has(s.toLowerCase()));
  if (shared.length === 0) return { points: 0, reason: { code: 'style_no_match', params: { styles: asked.join(', ') } } };
  return { points: (STYLE_POINTS * shared.length) / asked.length, reason: { code: 'style_match', params: { styles: shared.join(', ') } } };
}

function score(customer: Customer, site: Site, styles: string[], profile: DesignerProfile, now: Date): Scored {
  const feePerM2 = site.designerFees[profile.level];
  const budget = budgetPart(customer, site, feePerM2);
  const style = stylePart(styles, profile);
  const load = recentAssignments(profile, now).length;
  const remaining = Math.max(0, profile.capacityPerYear - load);
  const capacity: MatchReason =
    remaining === 0
      ? { code: 'capacity_full', params: { capacity: profile.capacityPerYear } }
      : { code: 'capacity_left', params: { remaining, capacity: profile.capacityPerYear } };
  const rawScore = budget.points + style.points + (CAPACITY_POINTS * remaining) / profile.capacityPerYear;
  return {
    staffId: profile.staffId,
    name: profile.name,
    level: profile.level,
    score: Math.round(rawScore * 10) / 10,
    rawScore,
    feePerM2,
    fee: budget.fee,
    remaining,
    assignmentsLastYear: load,
    reasons: [budget.reason, style.reason, capacity],
  };
}

const byScore = (a: Scored, b: Scored) => b.rawScore - a.rawScore || a.staffId.localeCompare(b.staffId);

/**
 * The site's designers for the customer, best first. 效率优先、兼顾公平 (000): candidates
 * scoring within the site's margin of the best one left are equals, and among equals the one
 * with fewer assignments in the last year goes first, so that work is shared, not always
 * given to the same top scorer.
 */
export function rankDesigners(customer: Customer, site: Site, styles: string[], profiles: DesignerProfile[], now: Date): MatchCandidate[] {
  const pool = profiles.map((p) => score(customer, site, styles, p, now)).sort(byScore);
  const ranked: MatchCandidate[] = [];
  while (pool.length > 0) {
    const best = pool[0]!;
    const equals = pool.filter((c) => best.rawScore - c.rawScore <= site.matchMargin);
    pool.splice(0, equals.length);
    const fewest = Math.min(...equals.map((c) => c.assignmentsLastYear));
    const shared = [...equals].sort((a, b) => a.assignmentsLastYear - b.assignmentsLastYear || byScore(a, b));
    for (const { rawScore: _raw, ...candidate } of shared) {
      const aheadOfBetter = equals.length > 1 && candidate.assignmentsLastYear === fewest && fewest < Math.max(...equals.map((c) => c.assignmentsLastYear));
      if (aheadOfBetter) candidate.reasons.push({ code: 'fewer_assignments', params: { count: candidate.assignmentsLastYear, margin: site.matchMargin } });
      ranked.push(candidate);
    }
  }
  return ranked;
}
