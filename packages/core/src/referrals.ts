import type { Context } from './context.ts';
import type { Customer, Principal } from './model.ts';
import type { Page, PagePosition, PageRequest } from './ports.ts';
import { authorize, visible, worksAt } from './reach.ts';

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
  const keyPerson = visible(await ctx.store.getCustomer(keyPersonId), (c) => worksAt(principal, c.siteId), 'customer');
  const seesAll = principal.role !== 'sales' || keyPerson.ownerId === principal.sub;
  const items: Customer[] = [];
  let after: PagePosition | undefined = page.after;
  do {
    const found = await ctx.store.listReferredCustomers(keyPerson.id, { limit: page.limit - items.length, ...(after ? { after } : {}) });
    items.push(...found.items.filter((c) => seesAll || c.ownerId === principal.sub));
    after = found.next ?? undefined;
  } while (items.length < page.limit && after);
  return { items, next: after ?? null };
}
