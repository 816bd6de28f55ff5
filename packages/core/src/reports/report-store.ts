import type { TaskKind } from '../model.ts';
import type { DayClose, DayFigures, ServiceFigures } from './figures.ts';
import type { CustomerChange, LeadFigures, LeadMonthFigures } from './lead-figures.ts';
import type { ReferralFigures } from './referral-figures.ts';
import type { RegistrationFigures } from './registration-figures.ts';

/** A task as the overdue counts need it. */
export interface TaskDue {
  id: string;
  assigneeId: string | null;
  dueAt: string;
}

/** What the reports read: figures kept by the facts that change them, and the open follow-ups. */
export interface ReportStore {
  /** The figures of every staff member with activity at the site on the day, and whether the day is closed: one Query. */
  listDailyFigures(siteId: string, day: string): Promise<DayFigures>;
  /** Writes the overdue follow-ups of an ended day and marks it closed; the same again changes nothing. */
  closeDay(close: DayClose): Promise<void>;
  /** The service figures of every staff member with service activity at the site on the day: one Query. */
  listServiceFigures(siteId: string, day: string): Promise<ServiceFigures[]>;
  /** The sites with any service figure on the day, company-wide: one Query. */
  listServiceSites(day: string): Promise<string[]>;
  /** Every staff member's registrations by source at the site on the day: one Query. */
  listRegistrations(siteId: string, day: string): Promise<RegistrationFigures[]>;
  /** The day's registrations and referrals together, as the registrations report reads them: one Query. */
  listRegistrationDay(siteId: string, day: string): Promise<{ registrations: RegistrationFigures[]; referrals: ReferralFigures[] }>;
  /** Every key person's referrals at the site on the day: one Query. */
  listReferralFigures(siteId: string, day: string): Promise<ReferralFigures[]>;
  /** The open tasks of the kind at the site due before `before`: one Query of the open ones. */
  listOpenTasksDueBefore(siteId: string, kind: TaskKind, before: string): Promise<TaskDue[]>;
  /** The site's follow-ups closed on the day, a later one than they fell due on, due before `dueBefore`: one Query. */
  listFollowUpsClosedLate(siteId: string, closedOn: string, dueBefore: string): Promise<TaskDue[]>;
  /** The leads each rep of the site owns now, by level and type: one Query. */
  listLeadGauges(siteId: string): Promise<LeadFigures[]>;
  /** What each rep's leads changed by in the month, with its upgrades, downgrades and signings: one Query. */
  listLeadMonth(siteId: string, month: string): Promise<LeadMonthFigures[]>;
  /** The customer's change log, oldest first. */
  listCustomerChanges(customerId: string): Promise<CustomerChange[]>;
}
