import type { CustomerQuery, TaskQuery } from '@guanjia/core';
import {
  UNANSWERED_COMPLAINTS_PK,
  complaintsOfSitePk,
  UNANNOUNCED_CALLBACKS_PK,
  CONSENT_PREFIX,
  consentsOfPhonePk,
  DEFERRED_MESSAGES_PK,
  QUEUED_MESSAGES_PK,
  messagesOfCustomerPk,
  conflictsOfCustomerPk,
  conflictsOfSitePk,
  customersOfOwnerPk,
  customersOfSitePk,
  tasksOfAssigneePk,
  tasksOfSitePk,
} from './keys.ts';
import type { IndexName } from './table.ts';
import type { QueryInput } from './paging.ts';

/** A Query on one partition of a GSI in sort-key order (ascending or not), with optional equality filters. */
function onIndex(
  tableName: string,
  index: IndexName,
  partition: string,
  options: { ascending: boolean; sortBefore?: string; filters?: Record<string, string | undefined> },
): QueryInput {
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
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: keyCondition,
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: options.ascending,
  };
}

export function customersQuery(tableName: string, q: CustomerQuery): QueryInput {
  const filters = { intentLevel: q.intentLevel, leadType: q.leadType, stage: q.stage };
  return q.ownerId !== undefined
    ? onIndex(tableName, 'GSI2', customersOfOwnerPk(q.siteId, q.ownerId), { ascending: false, filters })
    : onIndex(tableName, 'GSI1', customersOfSitePk(q.siteId), { ascending: false, filters });
}

export function tasksQuery(tableName: string, q: TaskQuery): QueryInput {
  const options = { ascending: true, sortBefore: q.dueBefore };
  if (q.assigneeId !== undefined) {
    return onIndex(tableName, 'GSI2', tasksOfAssigneePk(q.assigneeId, q.status), {
      ...options,
      filters: { kind: q.kind, siteId: q.siteId },
    });
  }
  if (q.siteId !== undefined) {
    return onIndex(tableName, 'GSI1', tasksOfSitePk(q.siteId, q.status), { ...options, filters: { kind: q.kind } });
  }
  throw new TypeError('listTasks needs a siteId or an assigneeId');
}

export function conflictsOfSiteQuery(tableName: string, siteId: string, status: string): QueryInput {
  return onIndex(tableName, 'GSI1', conflictsOfSitePk(siteId, status), { ascending: false });
}

export function conflictsOfCustomerQuery(tableName: string, customerId: string, status: string): QueryInput {
  return onIndex(tableName, 'GSI2', conflictsOfCustomerPk(customerId, status), { ascending: false });
}

/** The items of one base-table partition whose sort key starts with `prefix`. */
export function partitionQuery(tableName: string, partition: string, prefix: string, ascending: boolean): QueryInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
    ScanIndexForward: ascending,
  };
}

export function messagesOfCustomerQuery(tableName: string, customerId: string): QueryInput {
  return onIndex(tableName, 'GSI1', messagesOfCustomerPk(customerId), { ascending: false });
}

/**
 * Care messages sent since an instant. A message is created at most a night before it is
 * sent (quiet hours), so reading from a day earlier than `since` by creation finds them all.
 */
export function careSentSinceQuery(tableName: string, customerId: string, since: string): QueryInput {
  const createdFrom = new Date(Date.parse(since) - 24 * 3600_000).toISOString();
  return {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :from',
    FilterExpression: '#kind = :care AND #state = :sent AND #sentAt >= :since',
    ExpressionAttributeNames: { '#kind': 'kind', '#state': 'state', '#sentAt': 'sentAt' },
    ExpressionAttributeValues: { ':pk': messagesOfCustomerPk(customerId), ':from': createdFrom, ':care': 'care', ':sent': 'sent', ':since': since },
  };
}

/**
 * The items of a sparse GSI2 list sorted by `<due>#<id>`, due by `until`: `#` and the id sort
 * after every character of the due value, and `~` after every id.
 */
function dueByQuery(tableName: string, partition: string, until: string): QueryInput {
  return {
    TableName: tableName,
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :until',
    ExpressionAttributeValues: { ':pk': partition, ':until': `${until}#~` },
    ScanIndexForward: true,
  };
}

/** Deferred messages whose quiet hours end by `now`. */
export const deferredDueQuery = (tableName: string, now: string) => dueByQuery(tableName, DEFERRED_MESSAGES_PK, now);

/** Messages queued at or before `before` and still not claimed by a dispatcher. */
export const queuedSinceQuery = (tableName: string, before: string) => dueByQuery(tableName, QUEUED_MESSAGES_PK, before);

export function latestConsentQuery(tableName: string, phone: string): QueryInput {
  return { ...partitionQuery(tableName, consentsOfPhonePk(phone), CONSENT_PREFIX, false), Limit: 1 } as QueryInput;
}

/** Unanswered complaints due by `before`: the most overdue first. */
export const unansweredComplaintsQuery = (tableName: string, before: string) => dueByQuery(tableName, UNANSWERED_COMPLAINTS_PK, before);

export function complaintsOfSiteQuery(tableName: string, siteId: string, status?: string): QueryInput {
  return onIndex(tableName, 'GSI1', complaintsOfSitePk(siteId), { ascending: false, filters: { status } });
}

/** Callbacks nobody has been given, due on or before the day. */
export const unannouncedCallbacksQuery = (tableName: string, dueOnOrBefore: string) => dueByQuery(tableName, UNANNOUNCED_CALLBACKS_PK, dueOnOrBefore);
