import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { loadSite } from '../sites.ts';
import { LEAD_EVENTS, LEAD_GAUGES, type LeadEvent, type LeadGauge } from './lead-figures.ts';
import { StaffRows, type StaffRow } from './staff-rows.ts';

export type IntentLevelFigures = Record<LeadGauge | LeadEvent, number>;
export type IntentLevelRow = StaffRow<LeadGauge | LeadEvent>;

/** 《月份意向客户级别状况表》: the leads each rep owned at the month's end, and what moved in it. */
export interface IntentLevelReport {
  siteId: string;
  month: string;
  rows: IntentLevelRow[];
  totals: IntentLevelFigures;
}

/** Each month back is one more Query; the form is a monthly one, so three years is plenty. */
export const INTENT_REPORT_MONTHS_BACK = 36;

const FIGURES = [...LEAD_GAUGES, ...LEAD_EVENTS] as const;

/** The months after `month` up to and including `last`, both `YYYY-MM`. */
function monthsAfter(month: string, last: string): string[] {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let i = index(month) + 1; i <= index(last); i++) months.push(`${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
  return months;
}

/**
 * The leads at a month's end are the gauge of now less what every later month changed; the
 * month's upgrades, downgrades and signings are counted as they happen. So the report reads
 * the site's gauges and one item list per month since: its cost grows with the staff and the
 * months back, never with the customers kept.
 */
export async function intentLevels(ctx: Context, principal: Principal, query: { siteId: string; month?: string }): Promise<IntentLevelReport> {
  authorize(principal, 'report.intent_levels');
  requireSite(principal, query.siteId);
  const site = await loadSite(ctx, query.siteId);
  const current = siteDay(ctx.clock.now(), site.timezone).slice(0, 7);
  const month = query.month ?? current;
  const later = month <= current ? monthsAfter(month, current) : [];
  if (month > current || later.length > INTENT_REPORT_MONTHS_BACK) {
    throw new ValidationError('the month is out of reach', [
      {
        path: 'month',
        code: 'out_of_range',
        message: `from ${INTENT_REPORT_MONTHS_BACK} months before ${current} up to ${current}`,
        params: { months: INTENT_REPORT_MONTHS_BACK, max: current },
      },
    ]);
  }

  const [staff, gauges, ofMonth, ...afterwards] = await Promise.all([
    ctx.store.listStaff(site.id),
    ctx.store.listLeadGauges(site.id),
    ctx.store.listLeadMonth(site.id, month),
    ...later.map((m) => ctx.store.listLeadMonth(site.id, m)),
  ]);
  const table = new StaffRows(staff, FIGURES);
  for (const gauge of gauges) for (const name of LEAD_GAUGES) table.of(gauge.staffId)[name] += gauge[name];
  for (const figures of afterwards.flat()) for (const name of LEAD_GAUGES) table.of(figures.staffId)[name] -= figures[name];
  for (const figures of ofMonth) for (const name of LEAD_EVENTS) table.of(figures.staffId)[name] += figures[name];
  return { siteId: site.id, month, ...table.readBy(principal) };
}
