import { SERVICE_FIGURES, type FigureChange, type LeadFigureChange, type RegistrationChange } from '@guanjia/core';
// The item builders are the store's own, not part of the package's surface: seeding in bulk
// writes exactly the items the store would.
import { dailyFiguresItem, registrationItem, serviceSiteItem } from '@guanjia/dynamo/entities/counters';
import { leadGaugeItem, leadMonthItem } from '@guanjia/dynamo/entities/customer-history';
import type { Item } from '@guanjia/dynamo/items';

/**
 * Every figure is summed, per item, from what core's figure functions say each record adds,
 * so the counters agree with the records written beside them, as the use cases would have
 * kept them one fact at a time.
 */
export class Counters {
  private readonly daily = new Map<string, { day: string; staffId: string; sums: Record<string, number> }>();
  private readonly registrations = new Map<string, RegistrationChange>();
  private readonly gauges = new Map<string, Record<string, number>>();
  private readonly months = new Map<string, { month: string; staffId: string; amounts: Record<string, number> }>();
  private readonly activeDays = new Set<string>();

  figures(changes: FigureChange[]): void {
    for (const c of changes) {
      const row = this.daily.get(`${c.day}#${c.staffId}`) ?? { day: c.day, staffId: c.staffId, sums: {} };
      this.daily.set(`${c.day}#${c.staffId}`, row);
      for (const [name, n] of Object.entries(c.add)) row.sums[name] = (row.sums[name] ?? 0) + n;
      // A day with a service figure marks the site active on it, as the store's writes do.
      if (SERVICE_FIGURES.some((name) => (c.add[name] ?? 0) !== 0)) this.activeDays.add(c.day);
    }
  }

  registered(changes: RegistrationChange[]): void {
    for (const r of changes) {
      const k = `${r.day}#${r.staffId}#${r.channel}`;
      const seen = this.registrations.get(k) ?? { ...r, add: {} };
      this.registrations.set(k, seen);
      for (const [name, n] of Object.entries(r.add) as ['receptions' | 'newCustomers', number][]) seen.add[name] = (seen.add[name] ?? 0) + n;
    }
  }

  leads(changes: LeadFigureChange[]): void {
    for (const { staffId, month, gauge, events } of changes) {
      const g = this.gauges.get(staffId) ?? {};
      this.gauges.set(staffId, g);
      const m = this.months.get(`${month}#${staffId}`) ?? { month, staffId, amounts: {} };
      this.months.set(`${month}#${staffId}`, m);
      for (const [name, n] of Object.entries(gauge)) (g[name] = (g[name] ?? 0) + n), (m.amounts[name] = (m.amounts[name] ?? 0) + n);
      for (const [name, n] of Object.entries(events)) m.amounts[name] = (m.amounts[name] ?? 0) + n;
    }
  }

  items(siteId: string): Item[] {
    const cast = <T>(x: object) => x as T;
    return [
      ...[...this.daily.values()].map((f) => dailyFiguresItem(cast({ siteId, day: f.day, staffId: f.staffId, ...f.sums }))),
      ...[...this.activeDays].map((day) => serviceSiteItem(siteId, day)),
      ...[...this.registrations.values()].map((r) => registrationItem(cast({ siteId, day: r.day, staffId: r.staffId, channel: r.channel, ...r.add }))),
      ...[...this.gauges].map(([staffId, g]) => leadGaugeItem(cast({ siteId, staffId, ...g }))),
      ...[...this.months.values()].map((m) => leadMonthItem(cast({ siteId, staffId: m.staffId, month: m.month, ...m.amounts }))),
    ];
  }
}
