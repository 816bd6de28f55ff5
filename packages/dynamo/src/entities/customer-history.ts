import { LEAD_EVENTS, LEAD_GAUGES, type CustomerChange, type CustomerHistory, type LeadFigures, type LeadMonthFigures, type ReportStore } from '@guanjia/core';
import { withZeros, type Item } from '../items.ts';
import { bySortable, customerPk, type Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { addTo, exists, putNew, type GuardedWrite } from '../transact.ts';

/** A customer's change log sits in its partition, append-only, in the order the changes happened. */
const CHANGE_PREFIX = 'CHANGE#';
const changeKey = (c: CustomerChange): Key => ({ PK: customerPk(c.customerId), SK: `${CHANGE_PREFIX}${bySortable(c.at, c.id)}` });
export const customerChangeItem = (c: CustomerChange): Item => ({ ...changeKey(c), type: 'customer_change', ...c });

/**
 * The leads of a rep now (one item per rep of a site) and what they changed by in each month
 * (one item per rep and month): a write contends only with the same rep's, and a month's
 * report reads the site's gauges and the months since, one Query each.
 */
const STAFF_PREFIX = 'STAFF#';
const gaugesOfSitePk = (siteId: string) => `LEADS#${siteId}`;
const monthOfSitePk = (siteId: string, month: string) => `LEADS#${siteId}#${month}`;
export const gaugeKey = (siteId: string, staffId: string): Key => ({ PK: gaugesOfSitePk(siteId), SK: `${STAFF_PREFIX}${staffId}` });
export const monthKey = (siteId: string, month: string, staffId: string): Key => ({ PK: monthOfSitePk(siteId, month), SK: `${STAFF_PREFIX}${staffId}` });

export const leadGaugeItem = (g: LeadFigures): Item => ({ ...gaugeKey(g.siteId, g.staffId), type: 'lead_gauge', ...g });
export const leadMonthItem = (m: LeadMonthFigures): Item => ({ ...monthKey(m.siteId, m.month, m.staffId), type: 'lead_month', ...m });

/** The log entries and the figure additions of a fact, for its transaction. */
export function historyWrites(history: CustomerHistory | undefined): GuardedWrite[] {
  if (!history) return [];
  const writes: GuardedWrite[] = history.changes.map((change) => putNew(customerChangeItem(change), exists('customer change', change.id)));
  for (const { siteId, staffId, month, gauge, events } of history.leads) {
    if (Object.keys(gauge).length > 0)
      writes.push(addTo(gaugeKey(siteId, staffId), gauge as Record<string, number>, undefined, { type: 'lead_gauge', siteId, staffId }));
    writes.push(
      addTo(monthKey(siteId, month, staffId), { ...gauge, ...events } as Record<string, number>, undefined, { type: 'lead_month', siteId, staffId, month }),
    );
  }
  return writes;
}

export function customerHistoryStore(t: TableAccess): Pick<ReportStore, 'listLeadGauges' | 'listLeadMonth' | 'listCustomerChanges'> {
  return {
    async listLeadGauges(siteId) {
      const items = await t.all<LeadFigures>({ ...partitionQuery(gaugesOfSitePk(siteId), STAFF_PREFIX, true), ConsistentRead: true });
      return items.map((item) => withZeros(item, LEAD_GAUGES));
    },
    async listLeadMonth(siteId, month) {
      const items = await t.all<LeadMonthFigures>({ ...partitionQuery(monthOfSitePk(siteId, month), STAFF_PREFIX, true), ConsistentRead: true });
      return items.map((item) => withZeros(item, [...LEAD_GAUGES, ...LEAD_EVENTS]));
    },
    listCustomerChanges: (customerId) => t.all({ ...partitionQuery(customerPk(customerId), CHANGE_PREFIX, true), ConsistentRead: true }),
  };
}
