import type { TaskKind } from '../model.ts';
import type { DailyFigures, ServiceFigures } from './figures.ts';
import type { CustomerChange, LeadFigures, LeadMonthFigures } from './lead-figures.ts';
import type { RegistrationFigures } from './registration-figures.ts';

/** What the reports read: figures kept by the facts that change them, and the open follow-ups. */
export interface ReportStore {
  /** The figures of every staff member with activity at the site on the day: one Query. */
  listDailyFigures(siteId: string, day: string): Promise<DailyFigures[]>;
  /** The service figures of every staff member with service activity at the site on the day: one Query. */
  listServiceFigures(siteId: string, day: string): Promise<ServiceFigures[]>;
  /** The sites with any service figure on the day, company-wide: one Query. */
  listServiceSites(day: string): Promise<string[]>;
  /** Every staff member's registrations by source at the site on the day: one Query. */
  listRegistrations(siteId: string, day: string): Promise<RegistrationFigures[]>;
  /** How many open tasks of the kind each assignee at the site has due before `before`. */
  countOpenTasksDueBefore(siteId: string, kind: TaskKind, before: string): Promise<Map<string, number>>;
  /** The leads each rep of the site owns now, by level and type: one Query. */
  listLeadGauges(siteId: string): Promise<LeadFigures[]>;
  /** What each rep's leads changed by in the month, with its upgrades, downgrades and signings: one Query. */
  listLeadMonth(siteId: string, month: string): Promise<LeadMonthFigures[]>;
  /** The customer's change log, oldest first. */
  listCustomerChanges(customerId: string): Promise<CustomerChange[]>;
}
