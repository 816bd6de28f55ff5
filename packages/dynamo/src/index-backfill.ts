import { VersionConflictError } from '@guanjia/core';
import type { Key } from './key-parts.ts';
import type { TableAccess } from './table-access.ts';

/**
 * Sets one record's index keys in place for a backfill: only at the version it was listed at,
 * and while `unset` still holds of the stored keys (not indexed yet, or still under an old
 * partition). A record saved since was written whole, its keys with it, by that save, so it is
 * left alone. True when the keys were set.
 */
export async function setIndexKeys(
  t: TableAccess,
  record: { key: Key; version: number; what: string; id: string },
  keys: Record<string, string>,
  unset: { condition: string; values?: Record<string, unknown> },
): Promise<boolean> {
  const names = Object.keys(keys);
  try {
    await t.write([
      {
        Update: {
          Key: record.key,
          UpdateExpression: `SET ${names.map((name, i) => `${name} = :k${i}`).join(', ')}`,
          ConditionExpression: `${unset.condition} AND #version = :version`,
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:k${i}`, keys[name]])), ...unset.values, ':version': record.version },
        },
        onConditionFailed: () => new VersionConflictError(`${record.what} ${record.id} is indexed or moved on`, { id: record.id }),
      },
    ]);
    return true;
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    return false;
  }
}
