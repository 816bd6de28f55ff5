import type { Conflict } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, customerPk, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { exists, putNew, type GuardedPut } from '../transact.ts';

/*
 * A conflict's keys and item, apart from its store: a reception opens a conflict in the
 * customer's transaction, and settling one saves the customer, so the two store modules
 * would otherwise import each other.
 */

export const conflictKey = (id: string): Key => ({ PK: `CONFLICT#${id}`, SK: 'CONFLICT' });
export const conflictsOfSitePk = (siteId: string, status: string) => `${sitePk(siteId)}#CONFLICT#${status}`;
export const conflictsOfCustomerPk = (customerId: string, status: string) => `${customerPk(customerId)}#CONFLICT#${status}`;
const conflictIndexKeys = (c: { id: string; siteId: string; customerId: string; status: string; createdAt: string }): Partial<IndexKeys> => ({
  GSI1PK: conflictsOfSitePk(c.siteId, c.status),
  GSI1SK: bySortable(c.createdAt, c.id),
  GSI2PK: conflictsOfCustomerPk(c.customerId, c.status),
  GSI2SK: bySortable(c.createdAt, c.id),
});

export const conflictItem = (c: Conflict): Item => ({ ...conflictKey(c.id), ...conflictIndexKeys(c), type: 'conflict', ...c });

/** A conflict opened in the transaction of the reception that reveals it. */
export const conflictPut = (conflict: Conflict): GuardedPut => putNew(conflictItem(conflict), exists('conflict', conflict.id));
