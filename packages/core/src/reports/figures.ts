import { siteDay } from '../calendar.ts';
import type { Interaction, Reception } from '../model.ts';

/** The counts a day's activity report is read from; each is only ever added to. */
export const DAILY_FIGURES = ['receptions', 'newCustomers', 'interactions', 'followUpsDone'] as const;
export type DailyFigure = (typeof DAILY_FIGURES)[number];

/**
 * The counts the service report is read from, kept on the same per-staff day items: sums and
 * counts only, so that every rate and average is a ratio of two of them over any span.
 */
export const SERVICE_FIGURES = [
  'callbacksDue',
  'callbacksDone',
  'callbacksReached',
  'callbacksUnreached',
  'complaintsFiled',
  'complaintsAnswered',
  'complaintsAnsweredInWindow',
  'responseMinutes',
  'satisfactionCount',
  'satisfactionSum',
  'satisfied',
] as const;
export type ServiceFigure = (typeof SERVICE_FIGURES)[number];
export type CountedFigure = DailyFigure | ServiceFigure;

/**
 * What one fact adds to the figures of one staff member on one site day. The store writes
 * these in the fact's own transaction, so a figure moves exactly when its fact lands.
 */
export interface FigureChange {
  siteId: string;
  day: string;
  staffId: string;
  add: Partial<Record<CountedFigure, number>>;
}

/**
 * The stored figures of one staff member on one site day. `followUpsOverdue` is not added to
 * by facts: the day-close job sets it once the day has ended, and it is zero until then.
 */
export type DailyFigures = { siteId: string; day: string; staffId: string } & Record<DailyFigure | 'followUpsOverdue', number>;

/** A site day's figures; `closedAt` set once the day-close job has written its overdue follow-ups. */
export interface DayFigures {
  closedAt: string | null;
  staff: DailyFigures[];
}

/** An ended site day's follow-ups open at its end, per staff member, as the day-close job writes them. */
export interface DayClose {
  siteId: string;
  day: string;
  followUpsOverdue: Map<string, number>;
  at: string;
}
/** The stored service figures of one staff member on one site day. */
export type ServiceFigures = { siteId: string; day: string; staffId: string } & Record<ServiceFigure, number>;

/** A reception counts for whoever received; a new customer also counts for its new owner. */
export function receptionFigures(reception: Reception, timezone: string, newOwnerId: string | null): FigureChange[] {
  const day = siteDay(new Date(reception.at), timezone);
  const changes: FigureChange[] = [{ siteId: reception.siteId, day, staffId: reception.receivedBy, add: { receptions: 1 } }];
  if (newOwnerId !== null) changes.push({ siteId: reception.siteId, day, staffId: newOwnerId, add: { newCustomers: 1 } });
  return merged(changes);
}

/** A contact counts for whoever made it, and as a follow-up done only when it closed the open one. */
export function contactFigures(interaction: Interaction, timezone: string, closedFollowUp: boolean): FigureChange[] {
  const add: FigureChange['add'] = closedFollowUp ? { interactions: 1, followUpsDone: 1 } : { interactions: 1 };
  return [{ siteId: interaction.siteId, day: siteDay(new Date(interaction.at), timezone), staffId: interaction.staffId, add }];
}

/** One change per (site, day, staff): a transaction may touch each counter item only once. */
export function merged(changes: FigureChange[]): FigureChange[] {
  const byKey = new Map<string, FigureChange>();
  for (const change of changes) {
    const key = `${change.siteId}\n${change.day}\n${change.staffId}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...change, add: { ...change.add } });
    else for (const [figure, amount] of Object.entries(change.add) as [CountedFigure, number][]) seen.add[figure] = (seen.add[figure] ?? 0) + amount;
  }
  return [...byKey.values()];
}
