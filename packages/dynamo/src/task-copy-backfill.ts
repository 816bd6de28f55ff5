import { VersionConflictError, type Customer, type Delivery, type Task } from '@guanjia/core';
import { customerKey } from './entities/customers.ts';
import { deliveryKey } from './entities/deliveries.ts';
import { siteStore } from './entities/sites.ts';
import { openTasksOfSiteQuery, taskSave } from './entities/tasks.ts';
import type { TableAccess } from './table-access.ts';

/**
 * Gives the open tasks written before tasks carried their customer's name and phone (and a
 * callback its asset label) those copies, and with them their place under the customer on
 * GSI3, so a later rename finds them. Read site by site with Queries (no Scan); each task is
 * saved whole under the version it was read at, so one saved meanwhile is left to that save
 * and a second run picks up what the first could not.
 */
export async function backfillTaskCopies(t: TableAccess): Promise<{ open: number; filled: number }> {
  const sites = await siteStore(t).listSites();
  const customers = new Map<string, Promise<Customer | null>>();
  const customerOf = (id: string) => {
    if (!customers.has(id)) customers.set(id, t.get<Customer>(customerKey(id), false));
    return customers.get(id)!;
  };
  let open = 0;
  let filled = 0;
  for (const site of sites) {
    const tasks = await t.all<Task>(openTasksOfSiteQuery(site.id));
    open += tasks.length;
    for (const task of tasks) {
      if (task.customerName != null && (task.kind !== 'callback' || task.assetLabel != null)) continue;
      const customer = await customerOf(task.customerId);
      if (!customer) continue;
      const delivery = task.kind === 'callback' ? await t.get<Delivery>(deliveryKey(task.customerId, task.deliveryId), false) : null;
      const copied = {
        ...task,
        customerName: customer.name,
        customerPhone: customer.phone,
        ...(delivery ? { assetLabel: delivery.asset.label } : {}),
        version: task.version + 1,
      } as Task;
      try {
        await t.write([taskSave({ task: copied, expectedVersion: task.version })]);
        filled++;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }
  return { open, filled };
}
