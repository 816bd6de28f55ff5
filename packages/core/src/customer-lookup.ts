import type { Context } from './context.ts';
import type { Customer, Principal } from './model.ts';
import { normalizePhone } from './phone.ts';
import type { Page, PagePosition, PageRequest } from './ports.ts';
import { authorize, canSeeCustomer, siteInScope } from './reach.ts';

/**
 * Finding a customer at the desk or on the phone. A customer outside the caller's reach is
 * simply not among the matches, so a sales rep cannot tell another rep's customer from an
 * unknown number (001: a rep must not probe to claim a customer).
 */
export async function findCustomersByPhone(ctx: Context, principal: Principal, siteId: string | undefined, phone: string): Promise<Page<Customer>> {
  authorize(principal, 'customer.list');
  const site = siteInScope(principal, siteId);
  const id = await ctx.store.findCustomerIdByPhone(site, normalizePhone(phone));
  const customer = id === null ? null : await ctx.store.getCustomer(id);
  return { items: customer && canSeeCustomer(principal, customer) ? [customer] : [], next: null };
}

/**
 * 尾号: the customers of the site whose number ends in `tail`. Matches outside reach are
 * dropped and the page is filled from further matches, so that an empty page with a cursor
 * never hints at a customer the caller may not see.
 */
export async function findCustomersByPhoneTail(
  ctx: Context,
  principal: Principal,
  siteId: string | undefined,
  tail: string,
  page: PageRequest,
): Promise<Page<Customer>> {
  authorize(principal, 'customer.list');
  const site = siteInScope(principal, siteId);
  const items: Customer[] = [];
  let after: PagePosition | undefined = page.after;
  do {
    const found = await ctx.store.listCustomersByPhoneTail(site, tail, { limit: page.limit - items.length, ...(after ? { after } : {}) });
    items.push(...found.items.filter((c) => canSeeCustomer(principal, c)));
    after = found.next ?? undefined;
  } while (items.length < page.limit && after);
  return { items, next: after ?? null };
}

export interface PhoneTailBackfill {
  siteId: string;
  customers: number;
  indexed: number;
  /** Customers whose phone claim names another customer (or another owner than the list showed, moved meanwhile): left alone, for someone to look at. */
  skipped: string[];
}

/**
 * Customers created before phone tails were kept have none: this gives each customer of the
 * site its tail, and its claim the owner (which a second intake of the phone reads from the
 * claim, and otherwise reads the customer for). Safe to run again and while the site is in use.
 */
export async function backfillPhoneTails(ctx: Context, siteId: string): Promise<PhoneTailBackfill> {
  const report: PhoneTailBackfill = { siteId, customers: 0, indexed: 0, skipped: [] };
  let after: PagePosition | undefined;
  do {
    const page = await ctx.store.listCustomers({ siteId }, { limit: 100, ...(after ? { after } : {}) });
    for (const customer of page.items) {
      report.customers++;
      if (await ctx.store.indexPhoneTail(customer)) report.indexed++;
      else report.skipped.push(customer.id);
    }
    after = page.next ?? undefined;
  } while (after);
  return report;
}
