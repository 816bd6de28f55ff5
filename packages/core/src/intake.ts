import { firstFollowUpDue } from './cadence.ts';
import { chaseKindOf, nextReviewDue } from './chase.ts';
import type { Context } from './context.ts';
import { PhoneTakenError, ValidationError, type PhoneHolder } from './errors.ts';
import type { Conflict, Customer, IntakeChannel, IntentLevel, LeadType, Needs, Principal, Reception, Site, Task } from './model.ts';
import { normalizePhone } from './phone.ts';
import { authorize, requireSite } from './reach.ts';
import { loadSite } from './sites.ts';
import { newMilestones } from './milestones.ts';
import { openTask } from './open-task.ts';
import { receptionFigures } from './reports/figures.ts';
import { leadFigures } from './reports/lead-figures.ts';
import { referralFigures } from './reports/referral-figures.ts';
import { registrationFigures } from './reports/registration-figures.ts';

export interface IntakeInput {
  siteId: string;
  name: string;
  phone: string;
  channel: IntakeChannel;
  leadType?: LeadType;
  intentLevel?: IntentLevel;
  needs?: Needs;
  birthday?: string;
  smsConsent?: boolean;
  note?: string;
  /** The phone of the customer who brought this one (a key person, 关键人): any rep may name one, owned or not. */
  referredBy?: string;
}

/** How a reception that came in a list differs from one at the desk. */
export interface IntakeOptions {
  /** Where a consent given with the reception came from (`intake` at the desk, `import` from a list). */
  consentSource?: string;
}

/**
 * What the caller may learn of an intake. A rep who collided with another's customer
 * learns only that a manager will decide (001): that answer names neither the owner nor
 * anything recorded of the customer, so no door can show it.
 */
export type IntakeResult =
  | { outcome: 'new'; customer: Customer; reception: Reception; task: Task }
  | { outcome: 'known'; customerId: string; ownerId: string; reception: Reception }
  | { outcome: 'conflict'; customerId: string; reception: Reception };

/**
 * 来店/来电登记. A new phone at the site becomes a customer owned by the caller, with its
 * first follow-up (a potential lead: its first review instead); a known phone gets the reception recorded on the existing customer, and
 * a sales rep other than the owner opens a conflict (碰车) for the managers instead of
 * taking the customer over.
 *
 * The phone is not looked up first: the new customer is written outright, and the phone's
 * claim, refusing it when the phone is known, hands back whom the phone belongs to. A new
 * phone costs that one transaction; a known one, the refused transaction and the reception.
 */
export async function intake(ctx: Context, principal: Principal, input: IntakeInput, options: IntakeOptions = {}): Promise<IntakeResult> {
  authorize(principal, 'customer.intake');
  requireSite(principal, input.siteId);
  const site = await loadSite(ctx, input.siteId);
  const phone = normalizePhone(input.phone);
  const referredBy = input.referredBy === undefined ? null : await referrerOf(ctx, site.id, input.referredBy);
  const now = ctx.clock.now();
  const at = now.toISOString();

  let holder: Required<PhoneHolder>;
  try {
    return await newCustomer(ctx, principal, input, options, site, phone, referredBy, now);
  } catch (error) {
    // Known at the site, or registered by another rep a moment earlier: theirs is the first reception.
    if (!(error instanceof PhoneTakenError)) throw error;
    holder = await holderOf(ctx, site.id, phone, error);
  }

  const contested = principal.role === 'sales' && holder.ownerId !== principal.sub;
  const [owner, claimant] = contested
    ? await Promise.all([ctx.store.getStaff(site.id, holder.ownerId), ctx.store.getStaff(site.id, principal.sub)])
    : [null, null];
  const conflict: Conflict | null = contested
    ? {
        id: ctx.ids.next(),
        siteId: site.id,
        customerId: holder.customerId,
        ownerId: holder.ownerId,
        claimantId: principal.sub,
        ownerName: owner?.name ?? null,
        claimantName: claimant?.name ?? null,
        receptionId: '',
        status: 'open',
        createdAt: at,
        resolvedAt: null,
        resolvedBy: null,
        decidedOwnerId: null,
      }
    : null;
  const reception = receptionOf(ctx, principal, input, holder.customerId, conflict?.id ?? null, at);
  if (conflict) conflict.receptionId = reception.id;
  await ctx.store.recordReception({
    reception,
    conflict,
    figures: receptionFigures(reception, site.timezone, null),
    registrations: registrationFigures(reception, site.timezone, null),
  });
  return conflict
    ? { outcome: 'conflict', customerId: holder.customerId, reception }
    : { outcome: 'known', customerId: holder.customerId, ownerId: holder.ownerId, reception };
}

/** The phone's first reception at the site: the customer, its chase and its figures, in one write that the phone's claim refuses when the phone is known. */
async function newCustomer(
  ctx: Context,
  principal: Principal,
  input: IntakeInput,
  options: IntakeOptions,
  site: Site,
  phone: string,
  referredBy: string | null,
  now: Date,
): Promise<IntakeResult> {
  const at = now.toISOString();
  const customer: Customer = {
    id: ctx.ids.next(),
    siteId: site.id,
    name: input.name,
    phone,
    ownerId: principal.sub,
    stage: 'lead',
    leadType: input.leadType ?? 'direct',
    intentLevel: input.intentLevel ?? null,
    channel: input.channel,
    needs: input.needs ?? {},
    birthday: input.birthday ?? null,
    smsConsent: input.smsConsent ?? false,
    note: input.note ?? null,
    openFollowUpId: null,
    ...(referredBy ? { referredBy } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const kind = chaseKindOf(customer.leadType);
  const dueAt = kind === 'review' ? nextReviewDue(now, site) : firstFollowUpDue(now, site.followUpCadence, site.timezone);
  const task = openTask(ctx, kind, customer, dueAt, at);
  customer.openFollowUpId = task.id;
  customer.openFollowUpDueAt = task.dueAt;
  const reception = receptionOf(ctx, principal, input, customer.id, null, at);
  const source = options.consentSource ?? 'intake';
  const consent = input.smsConsent === undefined ? undefined : { phone, granted: input.smsConsent, source, by: principal.sub, at };
  await ctx.store.createCustomer({
    customer,
    reception,
    task,
    milestones: newMilestones(ctx, site, customer, now),
    ...(consent ? { consent } : {}),
    figures: receptionFigures(reception, site.timezone, customer.ownerId),
    registrations: registrationFigures(reception, site.timezone, customer.ownerId),
    referrals: referralFigures(customer, site.timezone),
    history: { changes: [], leads: leadFigures(null, customer, now, site.timezone) },
  });
  return { outcome: 'new', customer, reception, task };
}

/**
 * Whom the phone belongs to: the refused claim says so. A claim written before claims carried
 * the owner (or a store that cannot tell) costs the reads it always did, the claim and the customer.
 */
async function holderOf(ctx: Context, siteId: string, phone: string, refused: PhoneTakenError): Promise<Required<PhoneHolder>> {
  const told = refused.holder;
  if (told?.ownerId !== undefined) return { customerId: told.customerId, ownerId: told.ownerId };
  const customerId = told?.customerId ?? (await ctx.store.findCustomerIdByPhone(siteId, phone));
  if (customerId === null) throw refused;
  const customer = await ctx.store.getCustomer(customerId);
  if (!customer) throw new Error(`phone claim points at a missing customer ${customerId}`);
  return { customerId, ownerId: customer.ownerId };
}

/**
 * The customer a referral names, by phone, so that a rep can name a key person another rep
 * owns. Any customer of the site may have brought a buyer, whatever their lead type: an owner
 * who brings a neighbour (老带新) refers as a key person does, and the type says how the
 * referrer is chased, not whether they may refer. A phone that is no customer of the site is
 * refused before anything is written.
 */
async function referrerOf(ctx: Context, siteId: string, phone: string): Promise<string> {
  const id = await ctx.store.findCustomerIdByPhone(siteId, normalizePhone(phone, 'referredBy'));
  if (id === null)
    throw new ValidationError('referredBy names no customer of the site', [
      { path: 'referredBy', code: 'unknown_referrer', message: 'is not the phone of a customer of this site' },
    ]);
  return id;
}

function receptionOf(ctx: Context, principal: Principal, input: IntakeInput, customerId: string, conflictId: string | null, at: string): Reception {
  return {
    id: ctx.ids.next(),
    customerId,
    siteId: input.siteId,
    receivedBy: principal.sub,
    channel: input.channel,
    name: input.name,
    needs: input.needs ?? {},
    note: input.note ?? null,
    conflictId,
    at,
  };
}
