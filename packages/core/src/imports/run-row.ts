import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import { recordDelivery } from '../deliveries.ts';
import { PhoneTakenError } from '../errors.ts';
import { intake } from '../intake.ts';
import type { Customer, Principal, Site, Staff } from '../model.ts';
import type { RowOutcome } from './preview.ts';
import type { ImportRow } from './rows.ts';

/** What a chunk's rows share: the site as it is now, its staff, and the importer. */
export interface RowScope {
  site: Site;
  staff: Map<string, Staff>;
  importer: Principal;
}

/**
 * A consent from a list counts only for a phone nobody has asked yet: an old file must not
 * override an opt-in or an opt-out given since.
 */
async function consentIfNone(ctx: Context, phone: string, consent: boolean | undefined): Promise<boolean | undefined> {
  if (consent === undefined) return undefined;
  return (await ctx.store.latestConsent(phone)) === null ? consent : undefined;
}

async function recordConsentIfNone(ctx: Context, by: string, phone: string, consent: boolean | undefined): Promise<void> {
  const granted = await consentIfNone(ctx, phone, consent);
  if (granted === undefined) return;
  await ctx.store.recordConsent({ phone, granted, source: 'import', by, at: ctx.clock.now().toISOString() });
}

/**
 * A buyer on a handover list the site has never met: an owner from the start, with nobody
 * chasing them and no reception to count, since nobody received them.
 */
async function createOwner(ctx: Context, scope: RowScope, row: ImportRow): Promise<string | null> {
  const at = ctx.clock.now().toISOString();
  const granted = await consentIfNone(ctx, row.phone, row.smsConsent);
  const customer: Customer = {
    id: ctx.ids.next(),
    siteId: scope.site.id,
    name: row.name,
    phone: row.phone,
    ownerId: scope.importer.sub,
    stage: 'owner',
    leadType: 'direct',
    intentLevel: null,
    channel: 'walk_in',
    needs: {},
    birthday: row.birthday ?? null,
    smsConsent: row.smsConsent ?? false,
    note: '交付名单导入',
    openFollowUpId: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const consent = granted === undefined ? undefined : { phone: row.phone, granted, source: 'import', by: scope.importer.sub, at };
  try {
    await ctx.store.createCustomer({ customer, ...(consent ? { consent } : {}) });
    return customer.id;
  } catch (error) {
    if (error instanceof PhoneTakenError) return null;
    throw error;
  }
}

/** A handover row: the buyer (found by phone, or new), then the delivery as the single route records it. */
async function deliveryRow(ctx: Context, scope: RowScope, row: ImportRow): Promise<RowOutcome> {
  let customerId = await ctx.store.findCustomerIdByPhone(scope.site.id, row.phone);
  let created = false;
  if (customerId === null) {
    customerId = await createOwner(ctx, scope, row);
    created = customerId !== null;
    // Another import or a rep took the phone a moment earlier: theirs is the customer.
    customerId ??= await ctx.store.findCustomerIdByPhone(scope.site.id, row.phone);
    if (customerId === null) throw new Error(`the phone of row ${row.number} is claimed by no customer`);
  } else {
    await recordConsentIfNone(ctx, scope.importer.sub, row.phone, row.smsConsent);
  }
  const today = siteDay(ctx.clock.now(), scope.site.timezone);
  const { outcome } = await recordDelivery(ctx, scope.importer, customerId, { asset: row.asset!, deliveredOn: row.deliveredOn! }, { skipDueBefore: today });
  if (created) return 'created';
  return outcome === 'unchanged' ? 'skipped' : 'updated';
}

/**
 * A lead row, as a reception of the rep it names (or of the importer): a new phone is that
 * rep's customer; a known one is left as it is, unless the row names another rep, which
 * opens the conflict for the managers exactly as their second reception at the desk would.
 */
async function leadRow(ctx: Context, scope: RowScope, row: ImportRow): Promise<RowOutcome> {
  const named = row.ownerId ? scope.staff.get(row.ownerId) : undefined;
  const actor: Principal = named ? { sub: named.id, role: named.role, sites: [scope.site.id] } : scope.importer;
  const known = await ctx.store.findCustomerIdByPhone(scope.site.id, row.phone);
  if (known !== null) {
    await recordConsentIfNone(ctx, scope.importer.sub, row.phone, row.smsConsent);
    const customer = await ctx.store.getCustomer(known);
    if (!named || customer?.ownerId === named.id) return 'skipped';
  }
  const smsConsent = await consentIfNone(ctx, row.phone, row.smsConsent);
  const leadType = row.leadType ?? 'direct';
  const needs = {
    ...(row.needs ? { notes: row.needs } : {}),
    ...(row.installDate ? { installDate: row.installDate } : {}),
    ...(row.handoverDate ? { handoverDate: row.handoverDate } : {}),
  };
  const result = await intake(
    ctx,
    actor,
    {
      siteId: scope.site.id,
      name: row.name,
      phone: row.phone,
      channel: row.channel!,
      leadType,
      ...(row.intentLevel ? { intentLevel: row.intentLevel } : {}),
      ...(Object.keys(needs).length ? { needs } : {}),
      ...(row.birthday ? { birthday: row.birthday } : {}),
      ...(smsConsent === undefined ? {} : { smsConsent }),
    },
    // A potential lead is watched, not chased (004): intake opens its review, as at the desk.
    { consentSource: 'import' },
  );
  if (result.outcome === 'new') return 'created';
  return result.outcome === 'conflict' ? 'updated' : 'skipped';
}

/** One row through the rules of the single routes. */
export function runRow(ctx: Context, scope: RowScope, kind: 'deliveries' | 'leads', row: ImportRow): Promise<RowOutcome> {
  return kind === 'deliveries' ? deliveryRow(ctx, scope, row) : leadRow(ctx, scope, row);
}
