import { deactivatedError } from './active-staff.ts';
import { DEFAULT_CADENCE } from './cadence.ts';
import type { Context } from './context.ts';
import type { Page, PageRequest } from './paging.ts';
import { withVersionRetry } from './version-retry.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import type { Duty, Principal, Site, SiteKind, Staff, StaffRole } from './model.ts';
import { normalizePhone } from './phone.ts';
import { authorize, visible, worksAt } from './reach.ts';
import {
  DEFAULT_ANSWER_HOURS,
  DEFAULT_CALLBACK_ATTEMPTS,
  DEFAULT_CALLBACK_CAPACITY,
  DEFAULT_CALLBACK_PLAN,
  DEFAULT_DESIGN_BUDGET_PERCENT,
  DEFAULT_DESIGNER_FEES,
  DEFAULT_MATCH_MARGIN,
  DEFAULT_LOSS_REQUEST_ANSWER_DAYS,
  DEFAULT_MILESTONES,
  DEFAULT_POTENTIAL_REVIEW_DAYS,
  DEFAULT_QUIET_HOURS,
  DEFAULT_SMS_CARE_CAP,
  DEFAULT_TIMEZONE,
  isTimezone,
} from './site-defaults.ts';
import { checkSiteSettings, type SiteSettings } from './site-settings.ts';
import { assertValidTemplate, isSmsPurpose } from './sms-text.ts';

export * from './site-settings.ts';

export interface SiteInput extends SiteSettings {
  id?: string;
  name: string;
  kind: SiteKind;
  timezone?: string;
  smsSignature: string;
  smsTemplates?: Record<string, string>;
}

export type SitePatch = Partial<Omit<SiteInput, 'id' | 'kind'>>;

/** A site's texts are checked when saved, so a broken placeholder never reaches an owner. */
function checkTemplates(templates: Record<string, string> | undefined): void {
  for (const [purpose, text] of Object.entries(templates ?? {})) {
    if (!isSmsPurpose(purpose))
      throw new ValidationError('unknown SMS purpose', [
        { path: `smsTemplates.${purpose}`, code: 'unknown_sms_purpose', message: 'not a purpose Guanjia sends' },
      ]);
    assertValidTemplate(purpose, text, `smsTemplates.${purpose}`);
  }
}

function checkTimezone(zone: string): void {
  if (!isTimezone(zone))
    throw new ValidationError('unknown time zone', [
      { path: 'timezone', code: 'invalid_timezone', message: `'${zone}' is not an IANA time zone`, params: { value: zone } },
    ]);
}

export async function createSite(ctx: Context, principal: Principal, input: SiteInput): Promise<Site> {
  authorize(principal, 'site.create');
  const timezone = input.timezone ?? DEFAULT_TIMEZONE;
  checkTimezone(timezone);
  checkSiteSettings(input);
  checkTemplates(input.smsTemplates);
  const now = ctx.clock.now().toISOString();
  const site: Site = {
    id: input.id ?? ctx.ids.next(),
    name: input.name,
    kind: input.kind,
    timezone,
    smsSignature: input.smsSignature,
    quietHours: input.quietHours ?? DEFAULT_QUIET_HOURS,
    followUpCadence: { ...DEFAULT_CADENCE, ...input.followUpCadence },
    callbackPlan: input.callbackPlan ?? DEFAULT_CALLBACK_PLAN,
    callbackAttempts: input.callbackAttempts ?? DEFAULT_CALLBACK_ATTEMPTS,
    callbackCapacity: input.callbackCapacity ?? DEFAULT_CALLBACK_CAPACITY,
    potentialReviewDays: input.potentialReviewDays ?? DEFAULT_POTENTIAL_REVIEW_DAYS,
    milestones: input.milestones ?? DEFAULT_MILESTONES,
    lossRequestAnswerDays: input.lossRequestAnswerDays ?? DEFAULT_LOSS_REQUEST_ANSWER_DAYS,
    smsCareCap: input.smsCareCap ?? DEFAULT_SMS_CARE_CAP,
    complaintAnswerHours: input.complaintAnswerHours ?? DEFAULT_ANSWER_HOURS,
    smsTemplates: input.smsTemplates ?? {},
    designerFees: { ...DEFAULT_DESIGNER_FEES, ...input.designerFees },
    designBudgetPercent: input.designBudgetPercent ?? DEFAULT_DESIGN_BUDGET_PERCENT,
    matchMargin: input.matchMargin ?? DEFAULT_MATCH_MARGIN,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.createSite(site);
  return site;
}

/** The site as its staff may see it; 404 for a site the caller does not work at. */
export async function getSite(ctx: Context, principal: Principal, siteId: string): Promise<Site> {
  authorize(principal, 'site.read');
  return withDefaults(visible(await ctx.store.getSite(siteId), (s) => worksAt(principal, s.id), 'site'));
}

/** For use cases that need the site's rules; the caller's reach is checked before. */
export async function loadSite(ctx: Context, siteId: string): Promise<Site> {
  const site = await ctx.store.getSite(siteId);
  if (!site) throw new NotFoundError('site not found', { what: 'site' }, 'record');
  return withDefaults(site);
}

/** Every site with its rules, for the jobs that work site by site. */
export async function loadSites(ctx: Context): Promise<Site[]> {
  return (await ctx.store.listSites()).map(withDefaults);
}

/**
 * Sites saved before they were listed are not on the list: saved again at the version they
 * are read at, unchanged, they are. Safe to run again and while the site is in use.
 */
export async function backfillSiteList(ctx: Context, siteId: string): Promise<{ siteId: string }> {
  await withVersionRetry(async () => {
    const site = await ctx.store.getSite(siteId);
    if (!site) throw new NotFoundError(`site ${siteId} not found`, { what: 'site' }, 'record');
    await ctx.store.updateSite(site, site.version);
  });
  return { siteId };
}

/** Sites saved before a rule existed take its default. */
function withDefaults(site: Site): Site {
  return {
    ...site,
    callbackAttempts: site.callbackAttempts ?? DEFAULT_CALLBACK_ATTEMPTS,
    callbackCapacity: site.callbackCapacity ?? DEFAULT_CALLBACK_CAPACITY,
    potentialReviewDays: site.potentialReviewDays ?? DEFAULT_POTENTIAL_REVIEW_DAYS,
    milestones: site.milestones ?? DEFAULT_MILESTONES,
    lossRequestAnswerDays: site.lossRequestAnswerDays ?? DEFAULT_LOSS_REQUEST_ANSWER_DAYS,
    smsCareCap: site.smsCareCap ?? DEFAULT_SMS_CARE_CAP,
    complaintAnswerHours: site.complaintAnswerHours ?? DEFAULT_ANSWER_HOURS,
    smsTemplates: site.smsTemplates ?? {},
    designerFees: { ...DEFAULT_DESIGNER_FEES, ...site.designerFees },
    designBudgetPercent: site.designBudgetPercent ?? DEFAULT_DESIGN_BUDGET_PERCENT,
    matchMargin: site.matchMargin ?? DEFAULT_MATCH_MARGIN,
  };
}

export async function updateSite(ctx: Context, principal: Principal, siteId: string, patch: SitePatch): Promise<Site> {
  authorize(principal, 'site.update');
  if (patch.timezone) checkTimezone(patch.timezone);
  checkSiteSettings(patch);
  checkTemplates(patch.smsTemplates);
  return withVersionRetry(async () => {
    const site = await loadSite(ctx, siteId);
    const next: Site = {
      ...site,
      ...patch,
      followUpCadence: { ...site.followUpCadence, ...patch.followUpCadence },
      smsTemplates: { ...site.smsTemplates, ...patch.smsTemplates },
      designerFees: { ...site.designerFees, ...patch.designerFees },
      updatedAt: ctx.clock.now().toISOString(),
      version: site.version + 1,
    };
    await ctx.store.updateSite(next, site.version);
    return next;
  });
}

export interface StaffInput {
  id: string;
  name: string;
  role: StaffRole;
  phone?: string;
}

export async function addStaff(ctx: Context, principal: Principal, siteId: string, input: StaffInput): Promise<Staff> {
  authorize(principal, 'staff.create');
  await loadSite(ctx, siteId);
  const staff: Staff = {
    siteId,
    id: input.id,
    name: input.name,
    role: input.role,
    phone: input.phone === undefined ? null : normalizePhone(input.phone),
    createdAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.createStaff(staff);
  return staff;
}

export async function listStaff(ctx: Context, principal: Principal, siteId: string, page: PageRequest): Promise<Page<Staff>> {
  authorize(principal, 'staff.read');
  await getSiteInReach(ctx, principal, siteId);
  return ctx.store.pageStaff(siteId, page);
}

async function getSiteInReach(ctx: Context, principal: Principal, siteId: string): Promise<Site> {
  return visible(await ctx.store.getSite(siteId), (s) => worksAt(principal, s.id), 'site');
}

/** 候客顺序: sets who is on duty, in the order they take walk-ins; the turn starts over. */
export async function setDuty(ctx: Context, principal: Principal, siteId: string, staffIds: string[]): Promise<{ siteId: string; staffIds: string[] }> {
  authorize(principal, 'duty.set');
  await getSiteInReach(ctx, principal, siteId);
  const duplicates = staffIds.filter((id, i) => staffIds.indexOf(id) !== i);
  if (duplicates.length)
    throw new ValidationError(
      'a rep is on duty once',
      duplicates.map((id) => ({ path: 'staffIds', code: 'duplicate' as const, message: `'${id}' appears more than once`, params: { value: id } })),
    );
  const known = new Map((await ctx.store.listStaff(siteId)).map((s) => [s.id, s]));
  const unknown = staffIds.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ValidationError(
      'not staff of this site',
      unknown.map((id) => ({
        path: 'staffIds',
        code: 'not_staff' as const,
        message: `'${id}' is not staff of site '${siteId}'`,
        params: { value: id, siteId },
      })),
    );
  const leavers = staffIds.flatMap((id) => deactivatedError(known.get(id), 'staffIds') ?? []);
  if (leavers.length) throw new ValidationError('a deactivated staff member takes no walk-ins', leavers);
  return withVersionRetry(async () => {
    const current = await ctx.store.getDuty(siteId);
    await ctx.store.saveDuty(
      { siteId, staffIds, turn: 0, updatedAt: ctx.clock.now().toISOString(), updatedBy: principal.sub, version: (current?.version ?? 0) + 1 },
      current?.version ?? null,
    );
    return { siteId, staffIds };
  });
}

/**
 * The rep whose turn it is, from the rotation as stored, passing over anyone deactivated since
 * the rotation was set (离职): `passed` is how many, so that taking the turn moves past them too.
 * One read of the rep on turn, more only when leavers are on the list.
 */
async function onTurn(ctx: Context, duty: Duty | null): Promise<{ duty: Duty; onDuty: OnDuty; passed: number }> {
  if (!duty || duty.staffIds.length === 0) throw new ConflictError('no one is on duty at this site; a manager sets the rotation first', {}, 'no_one_on_duty');
  for (let passed = 0; passed < duty.staffIds.length; passed++) {
    const staffId = duty.staffIds[(duty.turn + passed) % duty.staffIds.length]!;
    const staff = await ctx.store.getStaff(duty.siteId, staffId);
    // A rep removed from the staff list since the rotation was set is still named by id: the desk calls them by it.
    if (!deactivatedError(staff, 'staffIds')) return { duty, onDuty: { staffId, name: staff?.name ?? staffId }, passed };
  }
  throw new ConflictError('everyone on duty at this site has been deactivated; a manager sets the rotation again', {}, 'no_one_on_duty');
}

/** The rep on turn, with the name the desk calls them by. */
export interface OnDuty {
  staffId: string;
  name: string;
}

/** Whose turn it is to receive the next walk-in, without taking it: the desk can look before anyone walks in. */
export async function peekOnDuty(ctx: Context, principal: Principal, siteId: string): Promise<OnDuty> {
  authorize(principal, 'reception.next');
  await getSiteInReach(ctx, principal, siteId);
  return (await onTurn(ctx, await ctx.store.getDuty(siteId))).onDuty;
}

/** Whose turn it is to receive the next walk-in; the turn moves on, once per call, even under load. */
export async function nextOnDuty(ctx: Context, principal: Principal, siteId: string): Promise<OnDuty> {
  authorize(principal, 'reception.next');
  await getSiteInReach(ctx, principal, siteId);
  return withVersionRetry(async () => {
    const { duty, onDuty, passed } = await onTurn(ctx, await ctx.store.getDuty(siteId));
    await ctx.store.saveDuty({ ...duty, turn: duty.turn + passed + 1, version: duty.version + 1 }, duty.version);
    return onDuty;
  }, 20);
}
