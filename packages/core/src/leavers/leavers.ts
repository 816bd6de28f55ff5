import type { Context } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors.ts';
import { deactivatedError, isActive } from '../active-staff.ts';
import type { Principal, Staff, StaffRole } from '../model.ts';
import { authorize, visible, worksAt } from '../reach.ts';
import type { HandoverRecord } from './handover-record.ts';

/** The staff member at a site the caller reaches: 404 for a site or staff member outside it. */
async function staffInReach(ctx: Context, principal: Principal, siteId: string, staffId: string): Promise<Staff> {
  visible(await ctx.store.getSite(siteId), (s) => worksAt(principal, s.id), 'site');
  const staff = await ctx.store.getStaff(siteId, staffId);
  if (!staff) throw new NotFoundError('staff not found', { what: 'staff' }, 'record');
  return staff;
}

/**
 * A rep who leaves (离职): marked inactive with who and when, and from then on their tokens
 * are refused. A token names a person, not a site, so the person leaves every site that has a
 * record of them: else another site would still give work to someone who cannot sign in.
 * Deactivating again changes nothing, so a retried request is harmless.
 */
export async function deactivateStaff(ctx: Context, principal: Principal, siteId: string, staffId: string): Promise<Staff> {
  authorize(principal, 'staff.deactivate');
  const staff = await staffInReach(ctx, principal, siteId, staffId);
  if (staffId === principal.sub && isActive(staff)) throw new ConflictError('you cannot deactivate yourself', {}, 'deactivate_self');
  const others = (await ctx.store.listSites()).filter((site) => site.id !== siteId);
  const elsewhere = (await Promise.all(others.map((site) => ctx.store.getStaff(site.id, staffId)))).filter((s): s is Staff => !!s && isActive(s));
  if (!isActive(staff) && elsewhere.length === 0) return staff;
  const mark = (s: Staff): Staff => ({ ...s, deactivatedAt: ctx.clock.now().toISOString(), deactivatedBy: principal.sub });
  const next = isActive(staff) ? mark(staff) : staff;
  await ctx.store.deactivateStaff([next, ...elsewhere.map(mark)]);
  return next;
}

/**
 * Who can do a leaver's work: their own role, and for a sales rep's book a manager too, since
 * a manager may own customers (intake makes the registering manager the owner) while a
 * service agent or designer would hold leads they are never asked to chase.
 */
const TAKES_OVER: Record<StaffRole, readonly StaffRole[]> = {
  sales: ['sales', 'manager'],
  manager: ['manager'],
  service: ['service'],
  designer: ['designer'],
};

/** Why a colleague named in `to` cannot take the leaver's work, or null when they can. */
function colleagueError(leaver: Staff, to: string[], i: number, colleague: Staff | undefined): FieldError | null {
  const id = to[i]!;
  const path = `to.${i}`;
  if (to.indexOf(id) !== i) return { path, code: 'duplicate', message: `'${id}' appears more than once`, params: { value: id } };
  if (id === leaver.id) return { path, code: 'is_leaver', message: `'${id}' is the leaver; name the colleagues who take over`, params: { value: id } };
  const gone = deactivatedError(colleague, path);
  if (gone) return gone;
  if (!colleague) return { path, code: 'not_staff', message: `'${id}' is not staff of site '${leaver.siteId}'`, params: { value: id, siteId: leaver.siteId } };
  const roles = TAKES_OVER[leaver.role];
  if (roles.includes(colleague.role)) return null;
  return {
    path,
    code: 'wrong_role',
    message: `'${id}' is ${colleague.role}; the work of a ${leaver.role} leaver goes to ${roles.join(' or ')}`,
    params: { value: id, role: colleague.role, leaverRole: leaver.role, roles: roles.join(', ') },
  };
}

/**
 * Colleagues who take the customers: active staff of the site who can do the leaver's work,
 * each named once, not the leaver; a designer's customers go through the assignment, which
 * takes only a designer with a profile at the site (`designers`, read for a designer's only).
 */
function checkColleagues(leaver: Staff, to: string[], staff: Map<string, Staff>, designers: Set<string> | null): void {
  const errors = to.flatMap((id, i): FieldError[] => {
    const error = colleagueError(leaver, to, i, staff.get(id));
    if (error) return [error];
    if (!designers || designers.has(id)) return [];
    return [
      {
        path: `to.${i}`,
        code: 'not_designer',
        message: `'${id}' has no designer profile at site '${leaver.siteId}'`,
        params: { value: id, siteId: leaver.siteId },
      },
    ];
  });
  if (errors.length) throw new ValidationError('the customers go to active colleagues who can do the work', errors);
}

/** A hand-over of the leaver at the site is running already: a second would deal out the same customers beside it. */
export class HandoverRunningError extends ConflictError {
  override readonly code = 'handover_running';
  constructor(readonly handoverId: string) {
    super(`hand-over ${handoverId} of this staff member is still running`, { id: handoverId });
  }
}

/**
 * Starts the hand-over of a leaver's customers and open tasks to colleagues, in turn. The
 * leaver must be deactivated first, so that nothing new lands on them while it runs. The
 * record is the job: the worker, woken by it, moves a chunk at a time (handover-work.ts).
 */
export async function startHandover(ctx: Context, principal: Principal, siteId: string, staffId: string, to: string[]): Promise<HandoverRecord> {
  authorize(principal, 'staff.handover');
  const leaver = await staffInReach(ctx, principal, siteId, staffId);
  if (isActive(leaver)) throw new ConflictError('deactivate the staff member before handing over their customers', {}, 'staff_active');
  const [staff, profiles] = await Promise.all([
    ctx.store.listStaff(siteId),
    leaver.role === 'designer' ? ctx.store.listDesignerProfiles(siteId) : Promise.resolve(null),
  ]);
  checkColleagues(leaver, to, new Map(staff.map((s) => [s.id, s])), profiles && new Set(profiles.map((p) => p.staffId)));
  const at = ctx.clock.now().toISOString();
  const record: HandoverRecord = {
    id: ctx.ids.next(),
    siteId,
    fromId: staffId,
    to,
    status: 'running',
    counts: { customers: 0, tasks: 0, skipped: 0 },
    turn: 0,
    chunksDone: 0,
    by: { sub: principal.sub, role: principal.role, sites: principal.sites },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  // A running hand-over of the leaver at the site holds a guard the new record's write needs: HandoverRunningError.
  await ctx.store.createHandover(record);
  return record;
}

export async function getHandover(ctx: Context, principal: Principal, id: string): Promise<HandoverRecord> {
  authorize(principal, 'staff.handover');
  return visible(await ctx.store.getHandover(id), (h) => worksAt(principal, h.siteId), 'handover');
}
