import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { Customer, Principal, Role, Task } from './model.ts';

/**
 * Who may take each action, in one place; the README's "Who may do what" table and each
 * route's `x-roles` in /openapi.json are read from it. An action a role may never take is
 * 403; a record outside the caller's reach is 404, so that its existence is not confirmed.
 */
const ACTIONS = {
  'site.create': ['admin'],
  'site.read': ['admin', 'manager'],
  'site.update': ['admin'],
  'staff.create': ['admin'],
  'staff.read': ['admin', 'manager'],
  'staff.profile': ['admin', 'manager'],
  'staff.deactivate': ['admin', 'manager'],
  'staff.handover': ['admin', 'manager'],
  'duty.set': ['admin', 'manager'],
  'reception.next': ['admin', 'manager', 'sales', 'service'],
  'customer.intake': ['admin', 'manager', 'sales', 'service'],
  // A designer lists only the customers assigned to them (listCustomers).
  'customer.list': ['admin', 'manager', 'sales', 'service', 'designer'],
  'customer.read': ['admin', 'manager', 'sales', 'service', 'designer'],
  'customer.update': ['admin', 'manager', 'sales', 'service'],
  'customer.request_loss': ['admin', 'manager', 'sales'],
  'customer.decide_loss': ['admin', 'manager'],
  'customer.match': ['admin', 'manager', 'sales'],
  'customer.assign_designer': ['admin', 'manager', 'sales'],
  // The designer was at the meeting too: either side may say it took place (闭环, 000).
  'customer.record_meeting': ['admin', 'manager', 'sales', 'designer'],
  'interaction.create': ['admin', 'manager', 'sales', 'service'],
  'task.read': ['admin', 'manager', 'sales', 'service', 'designer'],
  'task.complete': ['admin', 'manager', 'sales', 'service'],
  'delivery.create': ['admin', 'manager', 'service'],
  'delivery.read': ['admin', 'manager', 'sales', 'service'],
  'sms.opt_out': ['admin', 'manager', 'service'],
  'complaint.create': ['admin', 'manager', 'sales', 'service'],
  'complaint.read': ['admin', 'manager', 'service'],
  'conflict.read': ['admin', 'manager'],
  'conflict.resolve': ['admin', 'manager'],
  'campaign.create': ['admin', 'manager'],
  'report.daily_activity': ['admin', 'manager', 'sales'],
  'report.intent_levels': ['admin', 'manager', 'sales'],
  'report.service': ['admin', 'manager', 'service'],
  'report.registrations': ['admin', 'manager', 'sales'],
  'import.create': ['admin', 'manager', 'service'],
  'import.read': ['admin', 'manager', 'service'],
  'me.read': ['owner'],
  'me.update': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

/**
 * Actions an owner takes too, on their own records only: their use cases find those records
 * by the phone in the token instead of asking the table above (complaints.ts,
 * complaint-reach.ts), so the table alone would not name owners for them.
 */
const OWNERS_TOO: readonly Action[] = ['complaint.create', 'complaint.read'];

/** The roles that may take an action, as the API documents them. */
export function rolesFor(action: Action): readonly Role[] {
  const roles: readonly Role[] = ACTIONS[action];
  return OWNERS_TOO.includes(action) ? [...roles, 'owner'] : roles;
}

export function authorize(principal: Principal, action: Action): void {
  if (!(ACTIONS[action] as readonly Role[]).includes(principal.role)) {
    // The role and the action go with the error, so that the API words it in the reader's language.
    throw new ForbiddenError(`the ${principal.role} role may not take the action ${action}`, { role: principal.role, action }, 'role_action');
  }
}

export function worksAt(principal: Principal, siteId: string): boolean {
  return principal.role === 'admin' || (principal.role !== 'owner' && principal.sites.includes(siteId));
}

/** For creating at, or listing, a site: a site the caller does not work at is forbidden. */
export function requireSite(principal: Principal, siteId: string): void {
  if (!worksAt(principal, siteId)) throw new ForbiddenError(`not a member of site '${siteId}'`, { siteId }, 'not_member');
}

/** A sales rep reaches the customers they own; a designer, the customers assigned to them. */
export function canSeeCustomer(principal: Principal, customer: Customer): boolean {
  if (!worksAt(principal, customer.siteId)) return false;
  if (principal.role === 'designer') return customer.designerId === principal.sub;
  return principal.role !== 'sales' || customer.ownerId === principal.sub;
}

/** Roles that reach only the tasks given to them. */
export const OWN_TASKS_ONLY: readonly Role[] = ['sales', 'designer'];

export function canSeeTask(principal: Principal, task: Task): boolean {
  if (!worksAt(principal, task.siteId)) return false;
  return !OWN_TASKS_ONLY.includes(principal.role) || task.assigneeId === principal.sub;
}

/** Narrows a record to the caller's reach: what they may not see does not exist for them. */
export function visible<T>(record: T | null, allowed: (record: T) => boolean, what: string): T {
  if (record === null || !allowed(record)) throw new NotFoundError(`${what} not found`, { what }, 'record');
  return record;
}

/** A site must be named unless the caller works at exactly one; a sales rep lists their own. */
export function siteInScope(principal: Principal, siteId: string | undefined): string {
  if (siteId !== undefined) {
    requireSite(principal, siteId);
    return siteId;
  }
  if (principal.role !== 'admin' && principal.sites.length === 1) return principal.sites[0]!;
  throw new ValidationError('siteId is required', [{ path: 'siteId', code: 'required', message: 'name the site to list' }]);
}
