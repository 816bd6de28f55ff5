import { ConflictError, type Conflict, type ConflictStore } from '@guanjia/core';
import { onIndex } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import type { GuardedPut } from '../transact.ts';
import { conflictItem, conflictKey, conflictsOfCustomerPk, conflictsOfSitePk } from './conflict-items.ts';
import { historyWrites } from './customer-history.ts';
import { writeOwnerMove } from './claims.ts';
import { customerSave } from './customers.ts';
import { taskSave } from './tasks.ts';

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
    resolveConflicts: ({ conflicts, customer, expectedVersion, movedTasks, history }) =>
      writeOwnerMove(t, customer, [...conflicts.map(settle), customerSave(customer, expectedVersion), ...movedTasks.map(taskSave), ...historyWrites(history)]),
  };
}
