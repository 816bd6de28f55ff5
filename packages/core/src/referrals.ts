import type { Context } from './context.ts';
import type { Customer, Principal } from './model.ts';
import type { Page, PagePosition, PageRequest } from './ports.ts';
import { authorize, canSeeCustomer, visible, worksAt } from './reach.ts';

/**
 * The buyers a key person (关键人) brought, oldest first. The key person's owner and the
 * site's managers, admins and service agents see them all, since crediting a key person is
 * their business; another rep of the site sees only the buyers they own themselves, so a
 * referral never shows a rep another rep's customer. A key person outside the caller's sites
 * is not found. Buyers out of reach are dropped and the page filled from further ones, so an
 * empty page with a cursor never hints at them.
 */
export async function listReferrals(ctx: Context, principal: Principal, keyPersonId: string, page: PageRequest): Promise<Page<Customer>> {
  authorize(principal, 'customer.read');
  // A designer reaches only the customers given to them, the key person and the buyers alike.
  const designer = principal.role === 'designer';
  const keyPerson = visible(
    await ctx.store.getCustomer(keyPersonId),
    (c) => (designer ? canSeeCustomer(principal, c) : worksAt(principal, c.siteId)),
    'customer',
  );
  const seesAll = (principal.role !== 'sales' && !designer) || keyPerson.ownerId === principal.sub;
  const items: Customer[] = [];
  let after: PagePosition | undefined = page.after;
  do {
    const found = await ctx.store.listReferredCustomers(keyPerson.id, { limit: page.limit - items.length, ...(after ? { after } : {}) });
    items.push(...found.items.filter((c) => seesAll || (designer ? c.designerId === principal.sub : c.ownerId === principal.sub)));
    after = found.next ?? undefined;
  } while (items.length < page.limit && after);
  return { items, next: after ?? null };
}
