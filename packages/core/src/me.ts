import { careConsentRefusal } from './consent.ts';
import { complaintsForOwner, ownersCustomers, type OwnerComplaint } from './complaints.ts';
import type { Context } from './context.ts';
import { ForbiddenError } from './errors.ts';
import type { AssetKind, Customer, Principal, Stage } from './model.ts';
import type { Page, PageRequest } from './ports.ts';
import { authorize } from './reach.ts';
import { loadSite } from './sites.ts';

/**
 * The owners' side (mini-program): an owner is whoever holds the phone in their token, and
 * their records are the customers holding that phone, one per site. Who sold to them and
 * what staff noted about them stay with the staff.
 */
export interface MyRecord {
  id: string;
  siteId: string;
  siteName: string;
  name: string;
  phone: string;
  stage: Stage;
  /** The owner's name for what staff see as `smsConsent`: whether care texts go to the phone. */
  smsCare: boolean;
}

export interface MyDelivery {
  id: string;
  customerId: string;
  siteId: string;
  asset: { kind: AssetKind; label: string };
  deliveredOn: string;
}

const OWNER_PREFERENCE = 'owner_preference';

async function mine(ctx: Context, principal: Principal, action: 'me.read' | 'me.update'): Promise<Customer[]> {
  authorize(principal, action);
  return ownersCustomers(ctx, principal);
}

/** Care texts go by the phone's newest consent, not by the flag on each record, so that is what the owner is shown. */
async function caresToPhone(ctx: Context, phone: string): Promise<boolean> {
  return (await careConsentRefusal(ctx, phone)) === null;
}

/** A page of the phone's claims, one per site: the Query is paged, not a list cut after reading it whole. */
export async function myRecords(ctx: Context, principal: Principal, page: PageRequest): Promise<Page<MyRecord>> {
  authorize(principal, 'me.read');
  if (!principal.phone) return { items: [], next: null };
  const ids = await ctx.store.pageCustomerIdsByPhone(principal.phone, page);
  const customers = (await Promise.all(ids.items.map((id) => ctx.store.getCustomer(id)))).filter((c): c is Customer => c !== null);
  const smsCare = customers.length > 0 && (await caresToPhone(ctx, principal.phone));
  const items = await Promise.all(
    customers.map(async (c) => ({
      id: c.id,
      siteId: c.siteId,
      siteName: (await loadSite(ctx, c.siteId)).name,
      name: c.name,
      phone: c.phone,
      stage: c.stage,
      smsCare,
    })),
  );
  return { items, next: ids.next };
}

/** Later handovers first; the id settles a day with several. */
type Handed = Pick<MyDelivery, 'deliveredOn' | 'id'>;
const laterFirst = (a: Handed, b: Handed) => (a.deliveredOn === b.deliveredOn ? (a.id < b.id ? 1 : -1) : a.deliveredOn < b.deliveredOn ? 1 : -1);

/**
 * Every handover of every record, the latest first. They sit in one partition per record, so
 * no single Query sorts them by date: an owner's few are read whole and merged, and the page
 * resumes after the last one shown (its date and id), which stays right when one is added.
 */
export async function myDeliveries(ctx: Context, principal: Principal, page: PageRequest): Promise<Page<MyDelivery>> {
  const customers = await mine(ctx, principal, 'me.read');
  const deliveries = (await Promise.all(customers.map((c) => ctx.store.listDeliveries(c.id)))).flat();
  const after = page.after;
  const sorted = deliveries
    .map((d) => ({ id: d.id, customerId: d.customerId, siteId: d.siteId, asset: d.asset, deliveredOn: d.deliveredOn }))
    .sort(laterFirst)
    .filter((d) => !after || laterFirst(d, { deliveredOn: after.deliveredOn ?? '', id: after.id ?? '' }) > 0);
  const items = sorted.slice(0, page.limit);
  const last = items.at(-1);
  return { items, next: sorted.length > items.length && last ? { deliveredOn: last.deliveredOn, id: last.id } : null };
}

/** The owner's complaints, as they read them: staff by name, none of the staff's own bookkeeping. */
export async function myComplaints(ctx: Context, principal: Principal, page: PageRequest = { limit: 20 }): Promise<Page<OwnerComplaint>> {
  const customers = await mine(ctx, principal, 'me.read');
  if (customers.length === 0) return { items: [], next: null };
  const found = await ctx.store.listComplaintsOfCustomers(
    customers.map((c) => c.id),
    page,
  );
  return { items: await complaintsForOwner(ctx, found.items), next: found.next };
}

/** The owner's choice read back: what the phone's newest consent says, whichever site or person recorded it. */
export async function myPreferences(ctx: Context, principal: Principal): Promise<{ smsCare: boolean }> {
  authorize(principal, 'me.read');
  if (!principal.phone) throw new ForbiddenError('an owner is known by the phone in their token', {}, 'no_phone_in_token');
  return { smsCare: await caresToPhone(ctx, principal.phone) };
}

/**
 * Consent is the phone's, company-wide, kept as a history: the owner's choice is appended,
 * whether or not any site knows them yet, and the newest record is what the outbox obeys.
 */
export async function setMyPreferences(ctx: Context, principal: Principal, preferences: { smsCare: boolean }): Promise<{ smsCare: boolean }> {
  authorize(principal, 'me.update');
  if (!principal.phone) throw new ForbiddenError('an owner is known by the phone in their token', {}, 'no_phone_in_token');
  await ctx.store.recordConsent({
    phone: principal.phone,
    granted: preferences.smsCare,
    source: OWNER_PREFERENCE,
    by: principal.sub,
    at: ctx.clock.now().toISOString(),
  });
  return { smsCare: preferences.smsCare };
}
