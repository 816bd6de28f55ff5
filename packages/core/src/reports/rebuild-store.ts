import type { IntakeChannel } from '../model.ts';

/** One counter item the rebuild may set: what its key is made of. */
export type CounterTarget =
  | { kind: 'day'; siteId: string; day: string; staffId: string }
  | { kind: 'registrations'; siteId: string; day: string; staffId: string; channel: IntakeChannel }
  | { kind: 'referrals'; siteId: string; day: string; keyPersonId: string }
  | { kind: 'lead_gauge'; siteId: string; staffId: string }
  | { kind: 'lead_month'; siteId: string; month: string; staffId: string };

/** What the rebuild needs beyond the reads of the reports and the records. */
export interface RebuildStore {
  /** When the site's first customer was created, if it has any: where its records begin. One Query of one item. */
  firstCustomerCreatedAt(siteId: string): Promise<string | null>;
  /**
   * Sets the named figures of one counter item, only while each still holds the value the
   * rebuild compared (a missing figure holds 0): a fact that landed meanwhile added to it, and
   * then the item is left as it is and false comes back. Sets the day's service-site marker
   * when a service figure is set above zero. These are the only writes to counters that set
   * rather than add.
   */
  setCounters(target: CounterTarget, values: Record<string, number>, expected: Record<string, number>): Promise<boolean>;
}
