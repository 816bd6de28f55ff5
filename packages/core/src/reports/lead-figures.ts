import { siteDay } from '../calendar.ts';
import { INTENT_LEVELS, type Customer, type IntentLevel, type LeadType } from '../model.ts';

/** What the intent-level report counts of the leads a rep owns now: a gauge, moved by every change. */
export const LEAD_GAUGES = ['H', 'A', 'B', 'C', 'unrated', 'direct', 'keyPerson', 'potential', 'total'] as const;
export type LeadGauge = (typeof LEAD_GAUGES)[number];
/** What happened to a rep's leads in a month, counted as it happens. */
export const LEAD_EVENTS = ['upgraded', 'downgraded', 'signed', 'lost'] as const;
export type LeadEvent = (typeof LEAD_EVENTS)[number];

/**
 * One rep's share of a change to a customer: `gauge` moves the rep's leads now, and the same
 * amounts with the month's `events` are added to the month, so that the leads at a month's
 * end are the gauge less every month after it.
 */
export interface LeadFigureChange {
  siteId: string;
  staffId: string;
  month: string;
  gauge: Partial<Record<LeadGauge, number>>;
  events: Partial<Record<LeadEvent, number>>;
}

export type LeadFigures = { siteId: string; staffId: string } & Record<LeadGauge, number>;
export type LeadMonthFigures = LeadFigures & { month: string } & Record<LeadEvent, number>;

export const CHANGE_FIELDS = ['intentLevel', 'leadType', 'stage', 'ownerId', 'designerId', 'designAgreementAt'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];
export type ChangeCause = 'interaction' | 'update' | 'conflict' | 'delivery' | 'loss' | 'designer' | 'handover' | 'close_loop';

/** An entry of a customer's append-only change log: who changed which field from what to what. */
export interface CustomerChange {
  id: string;
  customerId: string;
  siteId: string;
  field: ChangeField;
  from: string | null;
  to: string | null;
  by: string;
  via: ChangeCause;
  at: string;
  /** The entries one fact logged share it: the rebuild replays them as one change. Absent on entries logged before it was kept. */
  fact?: string;
}

/** The log entries and the lead figures of one fact, written in its transaction. */
export interface CustomerHistory {
  changes: CustomerChange[];
  leads: LeadFigureChange[];
}

const LEAD_TYPE_GAUGE: Record<LeadType, LeadGauge> = { direct: 'direct', key_person: 'keyPerson', potential: 'potential' };
/** H is the warmest: C→B is an upgrade. */
const warmth = (level: IntentLevel): number => INTENT_LEVELS.length - INTENT_LEVELS.indexOf(level);

/** What a customer adds to its owner's gauge: one lead, by level and by type; nothing once signed. */
function contribution(c: Customer | null): Map<string, Partial<Record<LeadGauge, number>>> {
  if (c?.stage !== 'lead') return new Map();
  return new Map([[c.ownerId, { total: 1, [c.intentLevel ?? 'unrated']: 1, [LEAD_TYPE_GAUGE[c.leadType]]: 1 }]]);
}

/** The lead figures a change of the customer moves: `before` null for a new customer. */
export function leadFigures(before: Customer | null, after: Customer, at: Date, timezone: string): LeadFigureChange[] {
  const month = siteDay(at, timezone).slice(0, 7);
  const byStaff = new Map<string, LeadFigureChange>();
  const of = (staffId: string) => {
    let change = byStaff.get(staffId);
    if (!change) byStaff.set(staffId, (change = { siteId: after.siteId, staffId, month, gauge: {}, events: {} }));
    return change;
  };
  for (const [sign, customer] of [
    [-1, before],
    [1, after],
  ] as const) {
    for (const [staffId, amounts] of contribution(customer)) {
      const gauge = of(staffId).gauge;
      for (const [name, amount] of Object.entries(amounts) as [LeadGauge, number][]) gauge[name] = (gauge[name] ?? 0) + sign * amount;
    }
  }
  if (before?.stage === 'lead') {
    if (before.intentLevel && after.intentLevel && before.intentLevel !== after.intentLevel) {
      of(after.ownerId).events[warmth(after.intentLevel) > warmth(before.intentLevel) ? 'upgraded' : 'downgraded'] = 1;
    }
    // A lead leaves the gauges either way; the month tells a lost one (战败) from a signed one.
    if (after.stage !== 'lead') of(before.ownerId).events[after.stage === 'lost' ? 'lost' : 'signed'] = 1;
  }
  return [...byStaff.values()]
    .map((change) => ({ ...change, gauge: nonZero(change.gauge) }))
    .filter((change) => Object.keys(change.gauge).length > 0 || Object.keys(change.events).length > 0);
}

const nonZero = <K extends string>(amounts: Partial<Record<K, number>>): Partial<Record<K, number>> =>
  Object.fromEntries(Object.entries(amounts).filter(([, amount]) => amount !== 0)) as Partial<Record<K, number>>;

/** The log entries and lead figures of a change of the customer by `by`, through `via`. */
// Takes the id source by its one method: the port module imports this one for the history types.
export function customerHistory(
  ids: { next(): string },
  before: Customer,
  after: Customer,
  by: string,
  via: ChangeCause,
  at: Date,
  timezone: string,
): CustomerHistory {
  // A designer field absent on an older customer is no designer, as null is.
  const changed = CHANGE_FIELDS.filter((field) => (before[field] ?? null) !== (after[field] ?? null));
  const entryIds = changed.map(() => ids.next());
  const changes: CustomerChange[] = changed.map((field, i) => ({
    id: entryIds[i]!,
    fact: entryIds[0]!,
    customerId: after.id,
    siteId: after.siteId,
    field,
    from: before[field] ?? null,
    to: after[field] ?? null,
    by,
    via,
    at: at.toISOString(),
  }));
  return { changes, leads: leadFigures(before, after, at, timezone) };
}
