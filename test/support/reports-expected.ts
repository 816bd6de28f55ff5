import { DAILY, EVENTS, GAUGES, key, NOBODY, SERVICE, zeros, type Daily, type Gauges, type ReportsModel, type Service } from './reports-model.ts';

/** What each report should answer, read off the model: the contract's rows and ratios, written again. */

/** The staff with anything counted on the site day, and their four activity figures. */
export function dailyActivity(model: ReportsModel, siteId: string, day: string): Record<string, Daily> {
  const rows: Record<string, Daily> = {};
  for (const [k, f] of model.daily) {
    const [s, d, staffId] = k.split('\n') as [string, string, string];
    if (s === siteId && d === day && DAILY.some((n) => f[n] > 0)) rows[staffId] = { ...f };
  }
  return rows;
}

/** Every sales rep's row and anyone else's with a lead or an event, sorted by staff id, and their totals. */
export function intentLevels(model: ReportsModel, siteId: string, month: string) {
  const site = model.sites.get(siteId)!;
  const leads = model.monthEnd.get(key(siteId, month)) ?? new Map<string, Gauges>();
  const ids = new Set([...site.sales, ...leads.keys()]);
  for (const k of model.events.keys()) if (k.startsWith(key(siteId, month, ''))) ids.add(k.split('\n')[2]!);
  const rows = [...ids].sort().map((staffId) => ({
    staffId,
    name: staffId,
    ...(leads.get(staffId) ?? zeros(GAUGES)),
    ...(model.events.get(key(siteId, month, staffId)) ?? zeros(EVENTS)),
  }));
  const totals = zeros([...GAUGES, ...EVENTS]);
  for (const row of rows) for (const n of [...GAUGES, ...EVENTS]) totals[n] += row[n];
  return { rows: rows.filter((r) => site.sales.includes(r.staffId) || [...GAUGES, ...EVENTS].some((n) => r[n] !== 0)), totals };
}

/** The service report over the days, for the sites named, and the group over every site. */
export function serviceReport(model: ReportsModel, siteIds: string[] | null, from: string, to: string) {
  const inSpan = [...model.service]
    .map(([k, f]) => ({ parts: k.split('\n') as [string, string, string], f }))
    .filter(({ parts: [, d] }) => d >= from && d <= to);
  const active = [...new Set(inSpan.filter(({ f }) => SERVICE.some((n) => f[n] !== 0)).map(({ parts: [s] }) => s))];
  const reached = (siteIds ?? active).sort();
  const rowsByStaff = new Map<string, Service[]>();
  for (const { parts, f } of inSpan) {
    if (!reached.includes(parts[0]) || parts[2] === NOBODY || SERVICE.every((n) => f[n] === 0)) continue;
    const k = key(parts[0], parts[2]);
    rowsByStaff.set(k, [...(rowsByStaff.get(k) ?? []), f]);
  }
  const rows = [...rowsByStaff.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, list]) => {
      const [siteId, staffId] = k.split('\n') as [string, string];
      const s = sum(list);
      return {
        siteId,
        staffId,
        name: staffId,
        callbacksDone: s.callbacksDone,
        complaintsAnswered: s.complaintsAnswered,
        answeredInWindowRate: ratio(s.complaintsAnsweredInWindow, s.complaintsAnswered),
        satisfactionAverage: ratio(s.satisfactionSum, s.satisfactionCount),
        satisfactionCount: s.satisfactionCount,
      };
    });
  const ofSites = (ids: string[]) => sum(inSpan.filter(({ parts: [s] }) => ids.includes(s)).map(({ f }) => f));
  return {
    from,
    to,
    sites: reached.map((siteId) => ({ siteId, ...aggregate(ofSites([siteId])) })),
    rows,
    totals: aggregate(ofSites(reached)),
    group: aggregate(sum(inSpan.map(({ f }) => f))),
  };
}

/** One row per (day, staff member, source) with anything counted, in that order. */
export function registrationRows(model: ReportsModel, siteId: string, from: string, to: string) {
  return [...model.registrations]
    .map(([k, f]) => {
      const [s, date, staffId, channel] = k.split('\n') as [string, string, string, string];
      return { s, date, staffId, name: staffId, channel, ...f };
    })
    .filter((r) => r.s === siteId && r.date >= from && r.date <= to && (r.receptions !== 0 || r.newCustomers !== 0))
    .sort((a, b) => (key(a.date, a.staffId, a.channel) < key(b.date, b.staffId, b.channel) ? -1 : 1))
    .map(({ s: _, ...row }) => row);
}

/** The referrals per key person over the span, in id order; every customer of the run is named 刘洋. */
export function keyPersonRows(model: ReportsModel, siteId: string, from: string, to: string) {
  const sums = new Map<string, number>();
  for (const [k, n] of model.referrals) {
    const [s, date, keyPersonId] = k.split('\n') as [string, string, string];
    if (s === siteId && date >= from && date <= to) sums.set(keyPersonId, (sums.get(keyPersonId) ?? 0) + n);
  }
  return [...sums.keys()].sort().map((keyPersonId) => ({ keyPersonId, name: '刘洋', referrals: sums.get(keyPersonId)! }));
}

/** API.md: a rate of nothing has no value. */
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

const sum = (list: Service[]): Service => {
  const total = zeros(SERVICE);
  for (const f of list) for (const n of SERVICE) total[n] += f[n];
  return total;
};

function aggregate(s: Service) {
  return {
    callbacks: {
      due: s.callbacksDue,
      done: s.callbacksDone,
      reached: s.callbacksReached,
      unreached: s.callbacksUnreached,
      completionRate: ratio(s.callbacksDone, s.callbacksDue),
    },
    complaints: {
      filed: s.complaintsFiled,
      answered: s.complaintsAnswered,
      answeredInWindow: s.complaintsAnsweredInWindow,
      answeredInWindowRate: ratio(s.complaintsAnsweredInWindow, s.complaintsAnswered),
      averageResponseMinutes: ratio(s.responseMinutes, s.complaintsAnswered),
    },
    satisfaction: {
      count: s.satisfactionCount,
      average: ratio(s.satisfactionSum, s.satisfactionCount),
      satisfiedRate: ratio(s.satisfied, s.satisfactionCount),
    },
  };
}
