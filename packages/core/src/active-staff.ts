import type { Context } from './context.ts';
import { ValidationError, type FieldError } from './errors.ts';
import type { Staff } from './model.ts';

/**
 * Who can receive new work: staff not deactivated (离职). A leaver's record stays, so that
 * reports still name them; every path that chooses or accepts someone for new work (a
 * rotation's turn, a job's recipients, a named owner, designer or assignee) asks this rule.
 */
export const isActive = (staff: Staff): boolean => !staff.deactivatedAt;

/** The site's staff who can receive new work. */
export async function activeStaff(ctx: Context, siteId: string): Promise<Staff[]> {
  return (await ctx.store.listStaff(siteId)).filter(isActive);
}

/** The field error for a request naming a leaver to receive work; null for someone active or absent. */
export function deactivatedError(staff: Staff | null | undefined, path: string): FieldError | null {
  if (!staff || isActive(staff)) return null;
  return {
    path,
    code: 'staff_deactivated',
    message: `'${staff.id}' was deactivated at site '${staff.siteId}' and receives no new work`,
    params: { value: staff.id, siteId: staff.siteId },
  };
}

/** Refuses (400, `staff_deactivated`) a leaver named to receive work. */
export function requireActive(staff: Staff | null | undefined, path: string): void {
  const error = deactivatedError(staff, path);
  if (error) throw new ValidationError('a deactivated staff member receives no new work', [error]);
}
