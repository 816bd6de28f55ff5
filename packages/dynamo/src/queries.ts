import type { IndexName } from './table.ts';
import type { QueryInput } from './paging.ts';

/** A Query without its table: the entity modules describe what to read, `TableAccess` says where. */
export type KeyQuery = Omit<QueryInput, 'TableName'>;

/** A Query on one partition of a GSI in sort-key order (ascending or not), with optional equality filters. */
export function onIndex(
  index: IndexName,
  partition: string,
  options: { ascending: boolean; sortBefore?: string; filters?: Record<string, string | undefined> },
): KeyQuery {
  const names: Record<string, string> = { '#pk': `${index}PK` };
  const values: Record<string, unknown> = { ':pk': partition };
  let keyCondition = '#pk = :pk';
  if (options.sortBefore !== undefined) {
    names['#sk'] = `${index}SK`;
    values[':sortBefore'] = options.sortBefore;
    keyCondition += ' AND #sk < :sortBefore';
  }
  const filters: string[] = [];
  for (const [attribute, value] of Object.entries(options.filters ?? {})) {
    if (value === undefined) continue;
    names[`#f_${attribute}`] = attribute;
    values[`:f_${attribute}`] = value;
    filters.push(`#f_${attribute} = :f_${attribute}`);
  }
  return {
    IndexName: index,
    KeyConditionExpression: keyCondition,
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: options.ascending,
  };
}

/** The items of one base-table partition whose sort key starts with `prefix`. */
export function partitionQuery(partition: string, prefix: string, ascending: boolean): KeyQuery {
  return {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
    ScanIndexForward: ascending,
  };
}

/**
 * The items of a sparse list sorted by `<due>#<id>` (on GSI2 unless named), due by `until`:
 * `#` and the id sort after every character of the due value, and `~` after every id.
 */
export function dueByQuery(partition: string, until: string, index: IndexName = 'GSI2'): KeyQuery {
  return {
    IndexName: index,
    KeyConditionExpression: '#pk = :pk AND #sk <= :until',
    ExpressionAttributeNames: { '#pk': `${index}PK`, '#sk': `${index}SK` },
    ExpressionAttributeValues: { ':pk': partition, ':until': `${until}#~` },
    ScanIndexForward: true,
  };
}
