import { ConflictError, type Conflict, type ConflictStore } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, customerPk, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { onIndex } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, type GuardedPut } from '../transact.ts';
import { customerSave } from './customers.ts';
import { taskSave } from './tasks.ts';

const conflictKey = (id: string): Key => ({ PK: `CONFLICT#${id}`, SK: 'CONFLICT' });
const conflictsOfSitePk = (siteId: string, status: string) => `${sitePk(siteId)}#CONFLICT#${status}`;
const conflictsOfCustomerPk = (customerId: string, status: string) => `${customerPk(customerId)}#CONFLICT#${status}`;
const conflictIndexKeys = (c: { id: string; siteId: string; customerId: string; status: string; createdAt: string }): Partial<IndexKeys> => ({
  GSI1PK: conflictsOfSitePk(c.siteId, c.status),
  GSI1SK: bySortable(c.createdAt, c.id),
  GSI2PK: conflictsOfCustomerPk(c.customerId, c.status),
  GSI2SK: bySortable(c.createdAt, c.id),
});

export const conflictItem = (c: Conflict): Item => ({ ...conflictKey(c.id), ...conflictIndexKeys(c), type: 'conflict', ...c });

/** A conflict opened in the transaction of the reception that reveals it. */
export const conflictPut = (conflict: Conflict): GuardedPut => putNew(conflictItem(conflict), exists('conflict', conflict.id));

/** A conflict settled once: a second settlement of the same one fails. */
const settle = (c: Conflict): GuardedPut => ({
  Item: conflictItem(c),
  ConditionExpression: '#status = :open',
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: { ':open': 'open' },
  onConditionFailed: () => new ConflictError(`conflict ${c.id} is not open`, { id: c.id }),
});

export function conflictStore(t: TableAccess): ConflictStore {
  return {
    getConflict: (id) => t.get(conflictKey(id), true),
    listConflicts: ({ siteId, status }, page) => t.page(onIndex('GSI1', conflictsOfSitePk(siteId, status), { ascending: false }), page),
    listOpenConflictsOfCustomer: (customerId) => t.all(onIndex('GSI2', conflictsOfCustomerPk(customerId, 'open'), { ascending: false })),
    resolveConflicts: ({ conflicts, customer, expectedVersion, movedTasks }) =>
      t.write([...conflicts.map(settle), customerSave(customer, expectedVersion), ...movedTasks.map(taskSave)]),
  };
}
