import type { Context } from './context.ts';
import { NotFoundError } from './errors.ts';
import type { Complaint, Customer, Principal } from './model.ts';
import { authorize, worksAt } from './reach.ts';

/** The customer records of an owner, found by the phone in their token, one per site. */
export async function ownersCustomers(ctx: Context, principal: Principal): Promise<Customer[]> {
  if (!principal.phone) return [];
  const ids = await ctx.store.customerIdsByPhone(principal.phone);
  const customers = await Promise.all(ids.map((id) => ctx.store.getCustomer(id)));
  return customers.filter((c): c is Customer => c !== null);
}

/** An owner reaches the complaints of their own records, staff those of their sites; anything else does not exist for them. */
export async function complaintInReach(ctx: Context, principal: Principal, id: string): Promise<Complaint> {
  const complaint = await ctx.store.getComplaint(id);
  if (complaint) {
    if (principal.role === 'owner') {
      if ((await ownersCustomers(ctx, principal)).some((c) => c.id === complaint.customerId)) return complaint;
    } else {
      authorize(principal, 'complaint.read');
      if (worksAt(principal, complaint.siteId)) return complaint;
    }
  }
  throw new NotFoundError('complaint not found', { what: 'complaint' }, 'record');
}
