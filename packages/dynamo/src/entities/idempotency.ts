import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore } from '@guanjia/api';
import { ConflictError, type IdempotencyRecord } from '@guanjia/core';
import type { Item } from '../items.ts';
import type { Key } from '../key-parts.ts';
import type { TableAccess } from '../table-access.ts';
import { retryTransactionConflicts } from '../transact.ts';

/** The API's memory of a request by its caller's `Idempotency-Key`; TTL forgets it a day later. */
const idempotencyKey = (scope: string, key: string): Key => ({ PK: `IDEM#${scope}#${key}`, SK: 'IDEM' });
export const idempotencyItem = (r: IdempotencyRecord): Item => ({ ...idempotencyKey(r.scope, r.key), type: 'idempotency', ...r });

export function idempotencyStore(t: TableAccess): IdempotencyStore {
  return {
    getIdempotency: (scope, key) => t.get(idempotencyKey(scope, key), true),
    async beginIdempotency(record, staleBefore) {
      // TTL deletes lazily, so a record past its expiry may still be there: it no longer holds the key.
      // Nor does a pending one older than `staleBefore`, whose request died holding it.
      const now = Math.floor(Date.parse(record.createdAt) / 1000);
      try {
        await t.write([
          {
            Item: idempotencyItem(record),
            ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt < :now OR (#state = :pending AND #createdAt < :stale)',
            ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#state': 'state', '#createdAt': 'createdAt' },
            ExpressionAttributeValues: { ':now': now, ':pending': 'pending', ':stale': staleBefore },
            onConditionFailed: () => new ConflictError('idempotency key held', { scope: record.scope, key: record.key }),
          },
        ]);
        return true;
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },
    async completeIdempotency(record) {
      await retryTransactionConflicts(() => t.doc.send(new PutCommand({ TableName: t.tableName, Item: idempotencyItem(record) })));
    },
    async releaseIdempotency(scope, key) {
      try {
        await retryTransactionConflicts(() =>
          t.doc.send(
            new DeleteCommand({
              TableName: t.tableName,
              Key: idempotencyKey(scope, key),
              ConditionExpression: '#state = :pending',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':pending': 'pending' },
            }),
          ),
        );
      } catch (error) {
        // Already done or already gone: there is nothing to release.
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
        throw error;
      }
    },
  };
}
