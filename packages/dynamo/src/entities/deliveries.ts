import type { Delivery, DeliveryStore } from '@guanjia/core';
import type { Item } from '../items.ts';
import { customerPk, type Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict } from '../transact.ts';
import { historyWrites } from './customer-history.ts';
import { customerSave } from './customers.ts';
import { taskPut, taskSave } from './tasks.ts';

/** A delivery sits in its customer's partition: the customer's page lists them with one Query. */
const DELIVERY_PREFIX = 'DELIVERY#';
const deliveriesOfCustomerPk = customerPk;
export const deliveryKey = (customerId: string, id: string): Key => ({ PK: customerPk(customerId), SK: `${DELIVERY_PREFIX}${id}` });

export const deliveryItem = (d: Delivery): Item => ({ ...deliveryKey(d.customerId, d.id), type: 'delivery', ...d });

export function deliveryStore(t: TableAccess): DeliveryStore {
  return {
    createDelivery: ({ delivery, customer, expectedVersion, closeTask, callbacks, history }) =>
      t.write([
        putNew(deliveryItem(delivery), exists('delivery', delivery.id)),
        customerSave(customer, expectedVersion),
        ...(closeTask ? [taskSave(closeTask)] : []),
        ...callbacks.map((task) => taskPut(task, 'callback')),
        ...historyWrites(history),
      ]),
    getDelivery: (customerId, id) => t.get(deliveryKey(customerId, id), true),
    listDeliveries: (customerId) => t.all(partitionQuery(deliveriesOfCustomerPk(customerId), DELIVERY_PREFIX, true)),
    pageDeliveries: (customerId, page) => t.page(partitionQuery(deliveriesOfCustomerPk(customerId), DELIVERY_PREFIX, true), page),
    updateDelivery: ({ delivery, expectedVersion, movedTasks }) =>
      t.write([putVersioned(deliveryItem(delivery), expectedVersion, versionConflict('delivery', delivery.id)), ...movedTasks.map(taskSave)]),
  };
}
