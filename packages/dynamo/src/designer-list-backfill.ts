import type { Customer, DesignerAssignment, DesignerProfile } from '@guanjia/core';
import { customerKey, designerListKeys } from './entities/customers.ts';
import { assignmentsOfDesignerQuery, profilesOfSiteQuery } from './entities/designers.ts';
import { siteStore } from './entities/sites.ts';
import { setIndexKeys } from './index-backfill.ts';
import type { TableAccess } from './table-access.ts';

/**
 * Puts the customers assigned before designers had a list of their own on their designer's
 * list (GSI4). Found through each designer's assignments, site by site (Queries, no Scan);
 * a customer is indexed only under the designer it still names, at the version read and while
 * unindexed: one saved meanwhile was written whole, with its keys, by that save.
 */
export async function backfillDesignerLists(t: TableAccess): Promise<{ assigned: number; indexed: number }> {
  let assigned = 0;
  let indexed = 0;
  for (const site of await siteStore(t).listSites()) {
    for (const profile of await t.all<DesignerProfile>(profilesOfSiteQuery(site.id))) {
      const assignments = await t.all<DesignerAssignment>(assignmentsOfDesignerQuery(site.id, profile.staffId));
      for (const customerId of new Set(assignments.map((a) => a.customerId))) {
        const customer = await t.get<Customer>(customerKey(customerId), true);
        if (!customer || customer.designerId !== profile.staffId) continue;
        assigned++;
        if (await indexUnder(t, customer)) indexed++;
      }
    }
  }
  return { assigned, indexed };
}

/**
 * A follow-up's pointer moves a customer's version without writing its keys, so a refused set
 * is read again and tried once more while the customer still names the designer; one that
 * was indexed by its own save meanwhile is refused each time, harmlessly.
 */
async function indexUnder(t: TableAccess, listed: Customer): Promise<boolean> {
  let customer: Customer | null = listed;
  for (let tries = 0; customer && tries < 3; tries++) {
    const record = { key: customerKey(customer.id), version: customer.version, what: 'customer', id: customer.id };
    if (await setIndexKeys(t, record, designerListKeys(customer), { condition: 'attribute_not_exists(GSI4PK)' })) return true;
    const again: Customer | null = await t.get<Customer>(customerKey(listed.id), true);
    customer = again && again.designerId === listed.designerId && again.version !== customer.version ? again : null;
  }
  return false;
}
