import type { Complaint, ComplaintEntry, Customer, Interaction, Principal, Reception, Task } from '../model.ts';
import { contactFigures, type FigureChange, receptionFigures } from './figures.ts';
import { CHANGE_FIELDS, type CustomerChange, type LeadFigureChange, leadFigures } from './lead-figures.ts';
import { type ReferralChange, referralFigures } from './referral-figures.ts';
import { type RegistrationChange, registrationFigures } from './registration-figures.ts';
import { callbackClosedFigures, callbackGivenFigures, complaintFiledFigures, complaintStepFigures } from './service-figures.ts';

/** A customer with everything kept in its partition that the figures count. */
export interface CustomerTrail {
  customer: Customer;
  receptions: Reception[];
  interactions: Interaction[];
  /** Oldest first. */
  changes: CustomerChange[];
}

/** What a site's records are, as far as its figures go. */
export interface SiteRecords {
  customers: CustomerTrail[];
  /** Callbacks and repair callbacks, with when they were given to their agent (null: not yet). */
  callbacks: { task: Task; givenAt: string | null }[];
  /** Each with its timeline, oldest first. */
  complaints: { complaint: Complaint; entries: ComplaintEntry[] }[];
}

/** The figures the records add up to, as the facts would have added them. */
export interface Recounted {
  figures: FigureChange[];
  registrations: RegistrationChange[];
  referrals: ReferralChange[];
  leads: LeadFigureChange[];
  /** The leads each rep owns now: what the gauges must read. */
  gauges: LeadFigureChange[];
}

/*
 * Every figure below comes from the very function the fact called when it landed, given the
 * before and after the records show: the facts and the rebuild cannot count differently.
 */

/** Who acted, as the figure functions tell staff from owners; a staff member's role says nothing more to them. */
const principalOf = (actor: { kind: string; id: string }): Principal => ({ sub: actor.id, role: actor.kind === 'owner' ? 'owner' : 'service', sites: [] });

export function recount(records: SiteRecords, timezone: string): Recounted {
  const out: Recounted = { figures: [], registrations: [], referrals: [], leads: [], gauges: [] };
  for (const trail of records.customers) recountCustomer(trail, timezone, out);
  for (const { task, givenAt } of records.callbacks) {
    if (givenAt !== null) out.figures.push(...callbackGivenFigures(task, new Date(givenAt), timezone));
    if (task.status === 'done' && task.closedAt && task.closedBy) {
      const before: Task = { ...task, status: 'open' };
      out.figures.push(...callbackClosedFigures(before, task, principalOf({ kind: 'staff', id: task.closedBy }), new Date(task.closedAt), timezone));
    }
  }
  for (const { complaint, entries } of records.complaints) out.figures.push(...complaintFigures(complaint, entries, timezone));
  return out;
}

function recountCustomer({ customer, receptions, interactions, changes }: CustomerTrail, timezone: string, out: Recounted): void {
  // The reception that created the customer is the one made at its creation; its maker owned it first.
  const creating = receptions.find((r) => r.at === customer.createdAt) ?? null;
  for (const reception of receptions) {
    const newOwnerId = reception === creating ? reception.receivedBy : null;
    out.figures.push(...receptionFigures(reception, timezone, newOwnerId));
    out.registrations.push(...registrationFigures(reception, timezone, newOwnerId));
  }
  out.referrals.push(...referralFigures(customer, timezone));
  for (const interaction of interactions) out.figures.push(...contactFigures(interaction, timezone, interaction.taskId !== null));

  // As created: each logged field held its first change's `from`; the rest are as they are now.
  let state: Customer = { ...customer };
  for (const field of CHANGE_FIELDS) {
    const first = changes.find((c) => c.field === field);
    if (first) state = { ...state, [field]: first.from };
  }
  out.leads.push(...leadFigures(null, state, new Date(customer.createdAt), timezone));
  for (const fact of byFact(changes)) {
    let next = state;
    for (const change of fact) next = { ...next, [change.field]: change.to };
    out.leads.push(...leadFigures(state, next, new Date(fact[0]!.at), timezone));
    state = next;
  }
  out.gauges.push(...leadFigures(null, customer, new Date(customer.updatedAt), timezone));
}

/**
 * The entries one fact logged together: those naming the same fact; for entries logged
 * before facts were named, the same instant, person and cause, and never one field twice
 * (two facts of one instant, a re-rating and its correction, are two changes).
 */
function byFact(changes: CustomerChange[]): CustomerChange[][] {
  const facts: CustomerChange[][] = [];
  for (const change of changes) {
    const group = facts.at(-1);
    const last = group?.[0];
    const same =
      last !== undefined &&
      (last.fact !== undefined || change.fact !== undefined
        ? last.fact === change.fact
        : last.at === change.at && last.by === change.by && last.via === change.via && !group!.some((c) => c.field === change.field));
    if (same) group!.push(change);
    else facts.push([change]);
  }
  return facts;
}

/**
 * A complaint's figures replayed along its timeline: each step's before and after are the
 * complaint as it stood around that entry. A close decided by a repair callback's rating
 * counts nothing here: its score counts on the callback, as when it happened.
 */
function complaintFigures(complaint: Complaint, entries: ComplaintEntry[], timezone: string): FigureChange[] {
  const filer = principalOf(complaint.filedBy);
  const changes = complaintFiledFigures(complaint, filer, timezone);
  let was: Complaint = { ...complaint, status: 'received', assigneeId: null, respondedAt: null, responseMinutes: null, satisfaction: null };
  for (const entry of entries) {
    const next: Complaint = { ...was, status: entry.toState, satisfaction: null };
    if (entry.event === 'assign' && typeof entry.details.assigneeId === 'string') next.assigneeId = entry.details.assigneeId;
    if (entry.event === 'respond' && was.respondedAt === null && entry.at === complaint.respondedAt) {
      Object.assign(next, { respondedAt: complaint.respondedAt, responseMinutes: complaint.responseMinutes });
    }
    if (entry.event === 'close' && typeof entry.details.satisfaction === 'number') next.satisfaction = entry.details.satisfaction;
    const byCallback = entry.event === 'close' && entry.details.callbackId !== undefined;
    if (!byCallback) changes.push(...complaintStepFigures({ ...was, status: entry.fromState }, next, principalOf(entry.by), new Date(entry.at), timezone));
    was = next;
  }
  return changes;
}

/** Amounts summed per key. */
export function summed<T>(
  items: T[],
  keyOf: (item: T) => string,
  amountsOf: (item: T) => Record<string, number | undefined>,
): Map<string, Record<string, number>> {
  const sums = new Map<string, Record<string, number>>();
  for (const item of items) {
    const key = keyOf(item);
    const sum = sums.get(key) ?? {};
    for (const [name, amount] of Object.entries(amountsOf(item))) sum[name] = (sum[name] ?? 0) + (amount ?? 0);
    sums.set(key, sum);
  }
  return sums;
}
