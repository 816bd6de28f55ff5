/**
 * An in-memory model of what the four reports count, kept apart from the code under test: it
 * reads site days through Intl and counts each fact as API.md and DOMAIN.md describe it, so
 * that a report agreeing with it agrees with the contract, not with the figure functions.
 */

export type Level = 'H' | 'A' | 'B' | 'C';
export type LeadType = 'direct' | 'key_person' | 'potential';
export type Stage = 'lead' | 'customer' | 'owner';
export type ComplaintStatus = 'received' | 'responded' | 'resolved' | 'closed';

/** Who a fact counts for when no staff member made it (an owner filing or closing): the site only. */
export const NOBODY = '-';

/** The site day of an instant, by Intl rather than the code under test. */
export const dayIn = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
export const plusDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface ModelSite {
  id: string;
  timezone: string;
  sales: string[];
  service: string;
  /** Calls that reach nobody before a callback closes as unreached. */
  attempts: number;
}

export interface ModelCustomer {
  id: string;
  siteId: string;
  ownerId: string;
  stage: Stage;
  leadType: LeadType;
  level: Level | null;
  /** An open follow-up: a potential lead's open task is a review instead, which no daily figure counts. */
  followUpOpen: boolean;
  /** Sales reps whose reception of the customer opened a conflict not settled yet. */
  claimants: string[];
}

export interface ModelCallback {
  id: string;
  siteId: string;
  kind: 'callback' | 'repair_callback';
  dueOn: string;
  assigneeId: string | null;
  open: boolean;
  attempts: number;
  complaintId: string | null;
}

export interface ModelComplaint {
  id: string;
  siteId: string;
  customerId: string;
  repair: boolean;
  status: ComplaintStatus;
  createdAt: number;
  respondBy: number;
  answered: boolean;
  assigneeId: string | null;
  version: number;
}

export const DAILY = ['receptions', 'newCustomers', 'interactions', 'followUpsDone'] as const;
export const SERVICE = [
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
export const GAUGES = ['H', 'A', 'B', 'C', 'unrated', 'direct', 'keyPerson', 'potential', 'total'] as const;
export const EVENTS = ['upgraded', 'downgraded', 'signed', 'lost'] as const;
export type Daily = Record<(typeof DAILY)[number], number>;
export type Service = Record<(typeof SERVICE)[number], number>;
export type Gauges = Record<(typeof GAUGES)[number], number>;
export type Events = Record<(typeof EVENTS)[number], number>;

export const zeros = <K extends string>(names: readonly K[]): Record<K, number> => Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
export const key = (...parts: string[]) => parts.join('\n');
const WARMTH: Record<Level, number> = { H: 4, A: 3, B: 2, C: 1 };
const TYPE_GAUGE: Record<LeadType, 'direct' | 'keyPerson' | 'potential'> = { direct: 'direct', key_person: 'keyPerson', potential: 'potential' };

export class ReportsModel {
  readonly sites = new Map<string, ModelSite>();
  readonly customers: ModelCustomer[] = [];
  readonly callbacks: ModelCallback[] = [];
  readonly complaints: ModelComplaint[] = [];
  readonly daily = new Map<string, Daily>();
  readonly service = new Map<string, Service>();
  readonly registrations = new Map<string, { receptions: number; newCustomers: number }>();
  /** Buyers brought, by (site, day, key person). */
  readonly referrals = new Map<string, number>();
  readonly events = new Map<string, Events>();
  /** The leads of each rep as they stood after the last step of each site month. */
  readonly monthEnd = new Map<string, Map<string, Gauges>>();
  /** The site days and months on which anything happened, in order. */
  readonly days = new Map<string, Set<string>>();
  readonly months = new Map<string, string[]>();

  constructor(private readonly now: () => Date) {}

  addSite(site: ModelSite): void {
    this.sites.set(site.id, site);
    this.days.set(site.id, new Set());
    this.months.set(site.id, []);
  }

  today(siteId: string): string {
    return dayIn(this.now(), this.sites.get(siteId)!.timezone);
  }

  countDaily(siteId: string, staffId: string, add: Partial<Daily>): void {
    const k = key(siteId, this.today(siteId), staffId);
    const figures = this.daily.get(k) ?? zeros(DAILY);
    this.daily.set(k, figures);
    for (const [name, n] of Object.entries(add) as [keyof Daily, number][]) figures[name] += n;
  }

  countService(siteId: string, staffId: string, add: Partial<Service>): void {
    const k = key(siteId, this.today(siteId), staffId);
    const figures = this.service.get(k) ?? zeros(SERVICE);
    this.service.set(k, figures);
    for (const [name, n] of Object.entries(add) as [keyof Service, number][]) figures[name] += n;
  }

  countScore(siteId: string, staffId: string, score: number): void {
    this.countService(siteId, staffId, { satisfactionCount: 1, satisfactionSum: score, satisfied: score >= 4 ? 1 : 0 });
  }

  register(siteId: string, staffId: string, channel: string, add: { receptions: number; newCustomers: number }): void {
    const k = key(siteId, this.today(siteId), staffId, channel);
    const figures = this.registrations.get(k) ?? { receptions: 0, newCustomers: 0 };
    this.registrations.set(k, figures);
    figures.receptions += add.receptions;
    figures.newCustomers += add.newCustomers;
  }

  /** A new customer brought by a key person counts for the key person on the day they came. */
  refer(siteId: string, keyPersonId: string): void {
    const k = key(siteId, this.today(siteId), keyPersonId);
    this.referrals.set(k, (this.referrals.get(k) ?? 0) + 1);
  }

  private countEvent(siteId: string, staffId: string, name: keyof Events): void {
    const k = key(siteId, this.today(siteId).slice(0, 7), staffId);
    const events = this.events.get(k) ?? zeros(EVENTS);
    this.events.set(k, events);
    events[name]++;
  }

  /** A lead re-rated between H, A, B and C is up or down; a first rating or an unrating is neither. */
  rate(c: ModelCustomer, level: Level | null): void {
    if (c.stage === 'lead' && c.level !== null && level !== null && level !== c.level) {
      this.countEvent(c.siteId, c.ownerId, WARMTH[level] > WARMTH[c.level] ? 'upgraded' : 'downgraded');
    }
    c.level = level;
  }

  /** A lead that signs, or is handed over, stops being a lead: signed for its owner in the month. */
  leaveLeads(c: ModelCustomer, stage: Stage): void {
    if (c.stage === 'lead') this.countEvent(c.siteId, c.ownerId, 'signed');
    c.stage = stage;
    c.followUpOpen = false;
  }

  /** Called after every step: the day is touched, and each site's month ends, so far, as things stand. */
  settle(): void {
    for (const site of this.sites.values()) {
      const day = this.today(site.id);
      this.days.get(site.id)!.add(day);
      const months = this.months.get(site.id)!;
      const month = day.slice(0, 7);
      // A month the clock jumped over ends as the one before it did.
      for (let m = months.at(-1); m !== undefined && nextMonth(m) < month; m = nextMonth(m)) {
        this.monthEnd.set(key(site.id, nextMonth(m)), this.monthEnd.get(key(site.id, m))!);
        months.push(nextMonth(m));
      }
      if (months.at(-1) !== month) months.push(month);
      const leads = new Map<string, Gauges>();
      for (const c of this.customers) {
        if (c.siteId !== site.id || c.stage !== 'lead') continue;
        const g = leads.get(c.ownerId) ?? zeros(GAUGES);
        leads.set(c.ownerId, g);
        g.total++;
        g[c.level ?? 'unrated']++;
        g[TYPE_GAUGE[c.leadType]]++;
      }
      this.monthEnd.set(key(site.id, month), leads);
    }
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
