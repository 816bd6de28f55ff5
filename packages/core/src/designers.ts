import { activeStaff, requireActive } from './active-staff.ts';
import type { Context } from './context.ts';
import { ValidationError } from './errors.ts';
import { recentAssignments, rankDesigners } from './matching.ts';
import type { Customer, DesignerLevel, DesignerProfile, MatchCandidate, Principal } from './model.ts';
import { authorize, canSeeCustomer, visible, worksAt } from './reach.ts';
import { customerHistory } from './reports/lead-figures.ts';
import { DEFAULT_CAPACITY } from './site-defaults.ts';
import { loadSite } from './sites.ts';
import { withVersionRetry } from './version-retry.ts';

export * from './matching.ts';

export interface ProfileInput {
  level: DesignerLevel;
  styles: string[];
  capacityPerYear?: number;
  languages?: string[];
  notes?: string | null;
}

/** Sets a staff member's matching profile; the assignments counted so far stay with it. */
export async function setDesignerProfile(ctx: Context, principal: Principal, siteId: string, staffId: string, input: ProfileInput): Promise<DesignerProfile> {
  authorize(principal, 'staff.profile');
  visible(await ctx.store.getSite(siteId), (s) => worksAt(principal, s.id), 'site');
  const staff = visible(await ctx.store.getStaff(siteId, staffId), () => true, 'staff');
  return withVersionRetry(async () => {
    const current = await ctx.store.getDesignerProfile(siteId, staffId);
    const profile: DesignerProfile = {
      siteId,
      staffId,
      name: staff.name,
      level: input.level,
      styles: input.styles,
      capacityPerYear: input.capacityPerYear ?? DEFAULT_CAPACITY[input.level],
      languages: input.languages ?? [],
      notes: input.notes ?? null,
      recent: current?.recent ?? [],
      updatedAt: ctx.clock.now().toISOString(),
      updatedBy: principal.sub,
      version: (current?.version ?? 0) + 1,
    };
    await ctx.store.saveDesignerProfile(profile, current?.version ?? null);
    return profile;
  });
}

async function customerInReach(ctx: Context, principal: Principal, customerId: string): Promise<Customer> {
  return visible(await ctx.store.getCustomer(customerId), (c) => canSeeCustomer(principal, c), 'customer');
}

/**
 * The site's active designers ranked for the customer (rankDesigners): the customer, the site,
 * one Query of the site's profiles and one of its staff, whatever the number of customers. A
 * designer who has left keeps their profile (their past assignments stay theirs) but is not ranked.
 */
export async function matchDesigners(ctx: Context, principal: Principal, customerId: string, styles: string[] = []): Promise<MatchCandidate[]> {
  authorize(principal, 'customer.match');
  const customer = await customerInReach(ctx, principal, customerId);
  const [site, profiles, active] = await Promise.all([
    loadSite(ctx, customer.siteId),
    ctx.store.listDesignerProfiles(customer.siteId),
    activeStaff(ctx, customer.siteId),
  ]);
  const activeIds = new Set(active.map((s) => s.id));
  return rankDesigners(
    customer,
    site,
    styles,
    profiles.filter((p) => activeIds.has(p.staffId)),
    ctx.clock.now(),
  );
}

/**
 * The designer a customer leaves no longer counts them: the assignment's instant, kept on the
 * customer, is taken out of their load, so that a change of designer gives the year's room back.
 */
async function releasedFrom(ctx: Context, customer: Customer): Promise<{ profile: DesignerProfile; profileVersion: number } | undefined> {
  const leaving = customer.designerId;
  const at = customer.designerDecision?.at;
  if (!leaving || !at) return undefined;
  const profile = await ctx.store.getDesignerProfile(customer.siteId, leaving);
  if (!profile?.recent.includes(at)) return undefined;
  return { profile: { ...profile, recent: profile.recent.filter((r) => r !== at), version: profile.version + 1 }, profileVersion: profile.version };
}

/**
 * Assigns a designer to the customer, with who decided, in the customer's change log; the
 * assignment counts toward the designer's load. The same designer again changes nothing.
 */
export async function assignDesigner(ctx: Context, principal: Principal, customerId: string, staffId: string): Promise<Customer> {
  authorize(principal, 'customer.assign_designer');
  return withVersionRetry(async () => {
    const customer = await customerInReach(ctx, principal, customerId);
    if (customer.designerId === staffId) return customer;
    return assigned(ctx, principal, customer, staffId);
  });
}

/**
 * A departed designer's customer given to a colleague in a hand-over, as the manager who began
 * it decided: only while the customer still names the leaver, judged on the read the write's
 * version condition holds to, so an overlapping run or a manager's own choice meanwhile stands.
 * Counted on the hand-over in the same transaction. False when it no longer named the leaver.
 */
export async function handDesignOver(
  ctx: Context,
  principal: Principal,
  customerId: string,
  handover: { id: string; fromId: string; toId: string },
): Promise<boolean> {
  authorize(principal, 'customer.assign_designer');
  return withVersionRetry(async () => {
    const customer = await customerInReach(ctx, principal, customerId);
    if (customer.designerId !== handover.fromId) return false;
    await assigned(ctx, principal, customer, handover.toId, handover.id);
    return true;
  });
}

async function assigned(ctx: Context, principal: Principal, customer: Customer, staffId: string, handoverId?: string): Promise<Customer> {
  const profile = await ctx.store.getDesignerProfile(customer.siteId, staffId);
  if (!profile)
    throw new ValidationError('not a designer of the site', [
      {
        path: 'staffId',
        code: 'not_designer',
        message: `'${staffId}' has no designer profile at site '${customer.siteId}'`,
        params: { value: staffId, siteId: customer.siteId },
      },
    ]);
  requireActive(await ctx.store.getStaff(customer.siteId, staffId), 'staffId');
  const now = ctx.clock.now();
  const at = now.toISOString();
  const next: Customer = {
    ...customer,
    designerId: staffId,
    designerDecision: { decidedBy: principal.sub, at },
    updatedAt: at,
    version: customer.version + 1,
  };
  const site = await loadSite(ctx, customer.siteId);
  const released = await releasedFrom(ctx, customer);
  await ctx.store.assignDesigner({
    customer: next,
    expectedVersion: customer.version,
    profile: { ...profile, recent: [...recentAssignments(profile, now), at], version: profile.version + 1 },
    profileVersion: profile.version,
    assignment: { siteId: customer.siteId, staffId, customerId: customer.id, decidedBy: principal.sub, at },
    ...(released ? { released } : {}),
    ...(handoverId ? { handoverId } : {}),
    history: customerHistory(ctx.ids, customer, next, principal.sub, 'designer', now, site.timezone),
  });
  return next;
}
