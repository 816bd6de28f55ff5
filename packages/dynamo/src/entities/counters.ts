import { DAILY_FIGURES, type DailyFigures, type FigureChange, type ReportStore } from '@guanjia/core';
import { withZeros, type Item } from '../items.ts';
import type { Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { addTo, type GuardedUpdate } from '../transact.ts';

/**
 * One item per (site, day, staff member): a write contends only with the same person's other
 * facts of that day, never with the whole site's, and a day's report is one Query of one
 * partition holding one item per staff member with activity.
 */
const figuresOfDayPk = (siteId: string, day: string) => `COUNT#${siteId}#${day}`;
const STAFF_PREFIX = 'STAFF#';
const figuresKey = (siteId: string, day: string, staffId: string): Key => ({ PK: figuresOfDayPk(siteId, day), SK: `${STAFF_PREFIX}${staffId}` });
const labels = (f: { siteId: string; day: string; staffId: string }) => ({ type: 'daily_figures', siteId: f.siteId, day: f.day, staffId: f.staffId });

export const dailyFiguresItem = (f: DailyFigures): Item => ({ ...figuresKey(f.siteId, f.day, f.staffId), ...labels(f), ...f });

/** The additions of a fact, written in the fact's transaction: they land, and count, only with it. */
export function figureAdds(changes: FigureChange[] | undefined): GuardedUpdate[] {
  return (changes ?? [])
    .map((change) => ({ change, amounts: Object.fromEntries(Object.entries(change.add).filter(([, amount]) => amount !== 0)) as Record<string, number> }))
    .filter(({ amounts }) => Object.keys(amounts).length > 0)
    .map(({ change, amounts }) => addTo(figuresKey(change.siteId, change.day, change.staffId), amounts, undefined, labels(change)));
}

export function counterStore(t: TableAccess): Pick<ReportStore, 'listDailyFigures'> {
  return {
    async listDailyFigures(siteId, day) {
      const items = await t.all<DailyFigures>({ ...partitionQuery(figuresOfDayPk(siteId, day), STAFF_PREFIX, true), ConsistentRead: true });
      return items.map((item) => withZeros(item, DAILY_FIGURES));
    },
  };
}
