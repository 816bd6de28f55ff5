import { careConsentRefusal } from './consent.ts';
import { ownersCustomers } from './complaints.ts';
import type { Context } from './context.ts';
import { ForbiddenError } from './errors.ts';
import type { AssetKind, Complaint, Customer, Principal, Stage } from './model.ts';
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

export async function myRecords(ctx: Context, principal: Principal): Promise<MyRecord[]> {
  const customers = await mine(ctx, principal, 'me.read');
  if (customers.length === 0) return [];
  const smsCare = await caresToPhone(ctx, customers[0]!.phone);
  return Promise.all(
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
}

/** Every handover of every record, the latest first. */
export async function myDeliveries(ctx: Context, principal: Principal): Promise<MyDelivery[]> {
  const customers = await mine(ctx, principal, 'me.read');
  const deliveries = (await Promise.all(customers.map((c) => ctx.store.listDeliveries(c.id)))).flat();
  return deliveries
    .sort((a, b) => (a.deliveredOn === b.deliveredOn ? (a.id < b.id ? 1 : -1) : a.deliveredOn < b.deliveredOn ? 1 : -1))
    .map((d) => ({ id: d.id, customerId: d.customerId, siteId: d.siteId, asset: d.asset, deliveredOn: d.deliveredOn }));
}

export async function myComplaints(ctx: Context, principal: Principal, page: PageRequest = { limit: 20 }): Promise<Page<Complaint>> {
  const customers = await mine(ctx, principal, 'me.read');
  if (customers.length === 0) return { items: [], next: null };
  return ctx.store.listComplaintsOfCustomers(
    customers.map((c) => c.id),
    page,
  );
}

/** The owner's choice read back: what the phone's newest consent says, whichever site or person recorded it. */
export async function myPreferences(ctx: Context, principal: Principal): Promise<{ smsCare: boolean }> {
  authorize(principal, 'me.read');
  if (!principal.phone) throw new ForbiddenError('an owner is known by the phone in their token');
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
